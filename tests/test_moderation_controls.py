"""The controls as people meet them: deleting asks first without JavaScript, a thread shows
moderators a compact menu, members see "reported" after flagging, a pulled comment's flag
link explains itself, and the queue goes on at the next comment."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import Comment, CommentStatus, Flag, FlagReason, ModerationAction, utcnow
from app.services import flags
from tests.moderation_support import build_scene, event_count, events, note, reload, statuses
from tests.support import Factory, csrf_token, login_as

P, V, H, D = (
    CommentStatus.PENDING,
    CommentStatus.VISIBLE,
    CommentStatus.HIDDEN,
    CommentStatus.DELETED,
)


@pytest.fixture
def scene(make):  # noqa: ANN001, ANN201
    return build_scene(make)


def article_path(scene) -> str:  # noqa: ANN001
    return f"/articles/{scene.article.slug}"


def test_a_members_delete_without_confirmation_asks_on_a_page(app, client, make, scene):
    own = make.comment(scene.article, scene.member, "Mein Beitrag, bald weg.")
    login_as(client, scene.member)
    page = client.get(article_path(scene))
    before = statuses(app)
    asked = client.post(f"/comments/{own.id}/delete", data={"csrf_token": csrf_token(page.data)})
    assert asked.status_code == 200
    assert "Ihren Kommentar löschen?" in asked.text and "Mein Beitrag, bald weg." in asked.text
    assert 'name="confirmed" value="1"' in asked.text
    assert statuses(app) == before
    done = client.post(
        f"/comments/{own.id}/delete",
        data={"csrf_token": csrf_token(asked.data), "confirmed": "1"},
    )
    assert done.status_code == 302
    assert reload(app, Comment, own.id).status is D


def test_a_moderators_delete_asks_on_a_page_and_keeps_the_reason(app, client, scene):
    login_as(client, scene.moderator)
    queue = client.get("/moderation/")
    before, logged = statuses(app), event_count(app)
    asked = client.post(
        f"/moderation/comments/{scene.visible.id}/delete",
        data={
            "csrf_token": csrf_token(queue.data),
            "expected": "visible",
            "reason": "Doppelt gepostet",
            "next": "/moderation/#entry-7",
        },
    )
    assert asked.status_code == 200
    assert "Diesen Kommentar löschen?" in asked.text
    assert 'value="Doppelt gepostet"' in asked.text  # nothing typed is lost
    assert (statuses(app), event_count(app)) == (before, logged)
    done = client.post(
        f"/moderation/comments/{scene.visible.id}/delete",
        data={
            "csrf_token": csrf_token(asked.data),
            "expected": "visible",
            "reason": "Doppelt gepostet",
            "confirmed": "1",
            "next": "/moderation/#entry-7",
        },
    )
    assert done.status_code == 302 and done.headers["Location"] == "/moderation/#entry-7"
    comment = reload(app, Comment, scene.visible.id)
    assert (comment.status, comment.status_reason) == (D, note("Doppelt gepostet"))
    [event] = events(app, action=ModerationAction.DELETE)
    assert event.reason == note("Doppelt gepostet")


def test_closing_comments_keeps_its_reason(app, client, scene):
    login_as(client, scene.moderator)
    page = client.get(f"/moderation/?article={scene.article.id}")
    client.post(
        f"/moderation/articles/{scene.article.id}/close",
        data={"csrf_token": csrf_token(page.data), "reason": "Zu hitzig"},
    )
    [closed] = events(app, action=ModerationAction.CLOSE)
    assert closed.reason == note("Zu hitzig")


def test_a_thread_shows_moderators_one_compact_menu_per_comment(app, client, make, scene):
    own = make.comment(scene.article, scene.moderator, "Von der Moderatorin selbst.")
    login_as(client, scene.moderator)
    html = client.get(article_path(scene)).text
    start = html.index(f'id="comment-{own.id}"')
    mine = html[start : html.index("</article>", start)]
    assert mine.count(">Löschen<") == 1  # her own delete; the menu offers none for it
    assert f"/comments/{own.id}/delete" in mine
    assert f"/moderation/comments/{own.id}/delete" not in mine
    start = html.index(f'id="comment-{scene.visible.id}"')
    theirs = html[start : html.index("</article>", start)]
    assert '<details class="mod-menu">' in theirs
    assert theirs.count(">Löschen<") == 1
    assert 'class="danger"' in theirs[theirs.index('<details class="mod-menu">') :]


def test_members_see_reported_after_flagging(app, client, make, scene):
    login_as(client, scene.member)
    link = f"/comments/{scene.visible.id}/flag"
    assert link in client.get(article_path(scene)).text
    page = client.get(link)
    client.post(link, data={"csrf_token": csrf_token(page.data), "reason": "spam"})
    html = client.get(article_path(scene)).text
    start = html.index(f'id="comment-{scene.visible.id}"')
    comment = html[start : html.index("</article>", start)]
    assert link not in comment
    assert "gemeldet" in comment
    other = make.user("andere")
    login_as(client, other)
    assert link in client.get(article_path(scene)).text  # nobody else's flag shows


@pytest.mark.parametrize("state", [H, D, P])
def test_a_flag_link_of_a_pulled_comment_explains_itself(app, client, scene, state):
    login_as(client, scene.member)
    with app.app_context():
        db.session.get(Comment, scene.visible.id).status = state
        db.session.commit()
    response = client.get(f"/comments/{scene.visible.id}/flag")
    assert response.status_code == 404
    assert "Dieser Kommentar wird nicht mehr angezeigt" in response.text
    assert f'href="/articles/{scene.article.slug}#comments"' in response.text
    assert 'class="site-header"' in response.text  # the site's layout, not a bare page


def test_the_flagged_filter_includes_comments_sent_back_by_flags(app, client, make, scene):
    sent_back = make.comment(scene.article, scene.author, "Zurück zur Prüfung")
    with app.app_context():
        for name in ("eins", "zwei"):
            reporter = make.user(name)
            flags.flag_comment(
                db.session,
                db.session.get(Comment, sent_back.id),
                user=db.session.get(type(reporter), reporter.id),
                reason=FlagReason.SPAM,
                note=None,
                now=utcnow(),
                threshold=2,
            )
            db.session.commit()
    assert reload(app, Comment, sent_back.id).status is P
    flagged_visible = make.comment(scene.article, scene.author, "Gemeldet, noch sichtbar")
    with app.app_context():
        db.session.add(
            Flag(comment_id=flagged_visible.id, user_id=scene.member.id, reason=FlagReason.SPAM)
        )
        db.session.get(Comment, flagged_visible.id).flag_count = 1
        db.session.commit()
    login_as(client, scene.moderator)
    shown = re.findall(r'id="entry-(\d+)"', client.get("/moderation/?kind=flagged").text)
    assert sorted(map(int, shown)) == sorted([sent_back.id, flagged_visible.id])


def test_each_decision_in_the_queue_goes_on_at_the_next_comment(app, client, make, scene):
    later = make.comment(scene.article, scene.member, "Später", status=P)
    login_as(client, scene.moderator)
    html = client.get("/moderation/").text
    first = html.index(f'id="entry-{scene.pending.id}"')
    entry = html[first : html.index(f'id="entry-{later.id}"')]
    assert f'name="next" value="/moderation/#entry-{later.id}"' in entry
    last = html[html.index(f'id="entry-{later.id}"') :]
    assert 'name="next" value="/moderation/#queue-top"' in last
    assert 'aria-keyshortcuts="a"' in entry
    assert 'id="queue-keys"' in html and 'role="status"' in html


def test_the_last_entry_of_a_page_goes_on_at_the_first_of_the_next(app, client, make, scene):
    from app.moderation.routes import QUEUE_PER_PAGE

    waiting = [
        make.comment(scene.article, scene.member, f"Nummer {n}", status=P)
        for n in range(QUEUE_PER_PAGE + 1)
    ]
    login_as(client, scene.moderator)
    html = client.get("/moderation/").text
    shown = [int(n) for n in re.findall(r'id="entry-(\d+)"', html)]
    assert len(shown) == QUEUE_PER_PAGE
    following = ([scene.pending.id] + [c.id for c in waiting])[QUEUE_PER_PAGE]
    last = html[html.index(f'id="entry-{shown[-1]}"') :]
    assert f'name="next" value="/moderation/#entry-{following}"' in last


def test_reported_shows_with_the_page_cache_on_and_only_to_the_flagger(app, make, tmp_path):
    """Members' threads come from pieces kept as a nameless member sees them; a comment one
    has flagged is rendered for oneself, so no kept piece says "reported" to anybody else."""
    from tests.conftest import make_app

    cached = make_app(app.config["DATABASE_URL"], tmp_path, PAGE_CACHE=True)
    scene = build_scene(Factory(cached))
    flagger, other = scene.member, make.user("andere")
    path = article_path(scene)
    link = f"/comments/{scene.visible.id}/flag"
    clients = {}
    for user in (flagger, other):
        clients[user.id] = cached.test_client()
        login_as(clients[user.id], user)
        assert link in clients[user.id].get(path).text  # kept once, then served from it
    page = clients[flagger.id].get(link)
    clients[flagger.id].post(link, data={"csrf_token": csrf_token(page.data), "reason": "spam"})
    for _ in range(2):
        mine = clients[flagger.id].get(path).text
        assert link not in mine and 'class="flag-control flag-control--done"' in mine
        theirs = clients[other.id].get(path).text
        assert link in theirs and "flag-control--done" not in theirs
    with cached.app_context():
        db.session.remove()
        db.engine.dispose()
