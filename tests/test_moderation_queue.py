"""The queue: what it lists, in which order, its filters, paging, bulk actions, SQL count."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import Comment, CommentStatus, Flag, FlagReason, utcnow
from app.moderation.routes import QUEUE_PER_PAGE
from tests.moderation_support import (
    build_scene,
    count_queries,
    event_count,
    note,
    reload,
    statuses,
)
from tests.support import csrf_token, login_as

P, V, H = CommentStatus.PENDING, CommentStatus.VISIBLE, CommentStatus.HIDDEN


@pytest.fixture
def scene(make):  # noqa: ANN001, ANN201
    return build_scene(make)


def add_flag(app, comment, user, note=None):  # noqa: ANN001, ANN201
    with app.app_context():
        db.session.add(
            Flag(
                comment_id=comment.id,
                user_id=user.id,
                reason=FlagReason.OTHER if note else FlagReason.SPAM,
                note=note,
                created_at=utcnow(),
            )
        )
        db.session.get(Comment, comment.id).flag_count += 1
        db.session.commit()


def entry_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<li class="queue-entry" id="entry-(\d+)"', html)]


def test_the_queue_lists_pending_and_flagged_comments_oldest_first(app, client, make, scene):
    now = utcnow()
    old = make.comment(scene.article, scene.author, "Alt", status=P, created_at=now - timedelta(1))
    flagged = make.comment(scene.article, scene.author, "Gemeldet", created_at=now)
    add_flag(app, flagged, scene.member, note="Falsche Zahl")
    other_article = make.article("Zweiter Artikel")
    newest = make.comment(
        other_article, scene.member, "Neu", status=P, created_at=now + timedelta(1)
    )
    login_as(client, scene.moderator)
    page = client.get("/moderation/")
    assert page.status_code == 200
    assert entry_ids(page.text) == [old.id, scene.pending.id, flagged.id, newest.id]
    newest_first = client.get("/moderation/?order=newest").text
    assert entry_ids(newest_first) == [newest.id, flagged.id, scene.pending.id, old.id]
    assert "Zweiter Artikel" in page.text and "Über Banken" in page.text
    assert "Falsche Zahl" in page.text  # the flag's note
    assert "Schon sichtbar." not in page.text and "Längst verborgen." not in page.text


def test_an_entry_shows_context_record_and_buttons(app, client, make, scene):
    parent = make.comment(scene.article, scene.member, "Die Frage, auf die geantwortet wird.")
    reply = make.comment(scene.article, scene.author, "Die Antwort.", status=P, parent=parent)
    login_as(client, scene.moderator)
    html = client.get("/moderation/").text
    start = html.index(f'id="entry-{reply.id}"')
    entry = html[start : html.index("</li>", html.index('class="author-record"', start))]
    assert "Die Frage, auf die geantwortet wird." in entry  # the comment it answers
    assert "Über Banken" in entry  # the article
    assert f"/moderation/comments/{reply.id}/approve" in entry
    assert f"/moderation/comments/{reply.id}/hide" in entry
    assert f"/moderation/comments/{reply.id}/delete" in entry
    assert f'for="hide-reason-{reply.id}"' in entry  # the reason has a label
    assert f'for="select-{reply.id}"' in entry  # and so has the checkbox
    # The author's record: 1 visible (scene), 1 hidden, 2 waiting; member since.
    record = entry[entry.index('class="author-record"') :]
    numbers = re.findall(r"<dd>(\d+)</dd>", record)
    assert numbers == ["1", "2", "1", "0"]
    assert "Mitglied seit" in record


def test_the_queue_filters_by_article_author_and_kind(app, client, make, scene):
    other_article = make.article("Anderer Artikel")
    by_member = make.comment(other_article, scene.member, "Vom Mitglied", status=P)
    flagged = make.comment(scene.article, scene.member, "Gemeldet")
    add_flag(app, flagged, scene.author)
    login_as(client, scene.moderator)
    assert entry_ids(client.get(f"/moderation/?article={other_article.id}").text) == [by_member.id]
    assert set(entry_ids(client.get("/moderation/?author=MITGLIED").text)) == {
        by_member.id,
        flagged.id,
    }
    assert entry_ids(client.get("/moderation/?kind=flagged").text) == [flagged.id]
    assert flagged.id not in entry_ids(client.get("/moderation/?kind=pending").text)
    unknown = client.get("/moderation/?author=niemand")
    assert unknown.status_code == 200 and entry_ids(unknown.text) == []
    assert "Es gibt kein Mitglied mit diesem Namen." in unknown.text
    # Nonsense in the query string is ignored, not an error.
    assert client.get("/moderation/?article=abc&kind=xyz&page=-3").status_code == 200


def test_the_queue_is_paged(app, client, make, scene):
    for number in range(QUEUE_PER_PAGE + 2):
        make.comment(scene.article, scene.author, f"Nummer {number}", status=P)
    login_as(client, scene.moderator)
    first = client.get("/moderation/")
    assert len(entry_ids(first.text)) == QUEUE_PER_PAGE
    assert 'rel="next"' in first.text
    second = client.get("/moderation/?page=2")
    assert len(entry_ids(second.text)) == 3  # two more and the scene's pending one
    assert not set(entry_ids(first.text)) & set(entry_ids(second.text))
    # A page emptied by decisions leads to the last one that still has entries.
    beyond = client.get("/moderation/?page=9&kind=pending")
    assert beyond.status_code == 302
    assert beyond.headers["Location"] == "/moderation/?page=2&kind=pending"


def _queue_queries(app, client, make, scene, entries: int, start: int) -> int:
    """Add *entries* waiting comments, newer than all before: different authors, some replies,
    a flagged one on top; then count the statements of one request for the queue."""
    parent = make.comment(scene.article, scene.member, "Eltern")
    now = utcnow() + timedelta(days=start)
    authors = [make.user(f"person{start}x{number}") for number in range(entries)]
    for number in range(entries - 1):
        make.comment(
            scene.article,
            authors[number],
            f"Eintrag {number}",
            status=P,
            parent=parent if number % 2 == 0 else None,
            created_at=now + timedelta(minutes=number),
        )
    flagged = make.comment(
        scene.article, authors[-1], "Gemeldet", created_at=now + timedelta(hours=5)
    )
    add_flag(app, flagged, scene.member)
    login_as(client, scene.moderator)
    client.get("/moderation/?order=newest")  # warm up: the first request compiles what it needs
    with count_queries(app) as statements:
        response = client.get("/moderation/?order=newest")
    assert response.status_code == 200
    shown = entry_ids(response.text)
    assert shown[0] == flagged.id
    assert len(shown) == min(len(shown), QUEUE_PER_PAGE)
    return len(statements)


def test_the_queue_needs_the_same_queries_for_2_and_30_entries(app, client, make, scene):
    few = _queue_queries(app, client, make, scene, 2, start=1)
    many = _queue_queries(app, client, make, scene, 30, start=2)
    assert few == many


def test_the_header_shows_moderators_how_many_wait(app, client, make, scene):
    flagged = make.comment(scene.article, scene.member, "Gemeldet")
    add_flag(app, flagged, scene.author)
    login_as(client, scene.moderator)
    html = client.get("/").text
    assert 'href="/moderation/"' in html
    assert re.search(r'<span class="badge"[^>]*>2</span>', html)  # one pending, one flagged
    assert "2 Kommentare warten" in html
    login_as(client, scene.member)
    assert 'href="/moderation/"' not in client.get("/").text


def test_the_header_count_is_one_query(app, client, scene):
    login_as(client, scene.moderator)
    client.get("/pages/nothing")
    with count_queries(app) as statements:
        client.get("/pages/nothing")  # a 404 page: little else runs
    counts = [s for s in statements if "count(comments." in s.lower()]
    assert len(counts) == 1


def test_bulk_approve_and_hide_from_the_queue(app, client, make, scene):
    second = make.comment(scene.article, scene.member, "Zweiter", status=P)
    third = make.comment(scene.article, scene.member, "Dritter", status=P)
    login_as(client, scene.moderator)
    page = client.get("/moderation/")
    token = csrf_token(page.data)
    response = client.post(
        "/moderation/bulk",
        data={"csrf_token": token, "action": "approve", "ids": [scene.pending.id, second.id]},
        follow_redirects=True,
    )
    assert "2 Kommentare freigegeben." in response.text
    assert reload(app, Comment, scene.pending.id).status is V
    assert reload(app, Comment, second.id).status is V
    response = client.post(
        "/moderation/bulk",
        data={"csrf_token": token, "action": "hide", "ids": [third.id], "reason": "Spam"},
        follow_redirects=True,
    )
    assert "1 Kommentar verborgen." in response.text
    hidden = reload(app, Comment, third.id)
    assert (hidden.status, hidden.status_reason) == (H, note("Spam"))


@pytest.mark.parametrize(
    "data",
    [
        {"action": "approve"},
        {"action": "delete", "ids": ["1"]},
        {"action": "approve", "ids": ["abc", "-1"]},
        {"action": "hide", "ids": ["1"], "reason": "x" * 501},
    ],
)
def test_bad_bulk_requests_change_nothing(app, client, scene, data):
    login_as(client, scene.moderator)
    token = csrf_token(client.get("/moderation/").data)
    before, events_before = statuses(app), event_count(app)
    response = client.post("/moderation/bulk", data={"csrf_token": token, **data})
    assert response.status_code == 302
    assert statuses(app) == before
    assert event_count(app) == events_before


def test_an_empty_queue_says_so(app, client, make):
    from app.models import UserRole

    moderator = make.user("mod", role=UserRole.MODERATOR)
    login_as(client, moderator)
    html = client.get("/moderation/").text
    assert "Nichts wartet." in html
    assert "bulk-form" not in html
