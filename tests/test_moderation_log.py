"""The moderation log and a comment's history: every decision, who, what, from, to, why."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import Article, Comment, CommentRevision, ModerationAction, User, utcnow
from app.services import moderation
from app.services.queue import log_page
from tests.moderation_support import build_scene
from tests.support import login_as


@pytest.fixture
def scene(app, make):  # noqa: ANN001, ANN201
    scene = build_scene(make)
    with app.app_context():
        moderator = db.session.get(User, scene.moderator.id)
        admin = db.session.get(User, scene.admin.id)
        now = utcnow()
        moderation.approve(
            db.session, db.session.get(Comment, scene.pending.id), actor=moderator, now=now
        )
        moderation.hide(
            db.session,
            db.session.get(Comment, scene.visible.id),
            actor=admin,
            now=now,
            reason="Beleidigend",
        )
        moderation.set_comments_open(
            db.session, db.session.get(Article, scene.article.id), False, actor=admin, now=now
        )
        db.session.commit()
    return scene


def rows(html: str) -> list[str]:
    body = html[html.index("<tbody>") : html.index("</tbody>")] if "<tbody>" in html else ""
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


def test_the_log_lists_every_decision_newest_first(client, scene):
    login_as(client, scene.moderator)
    html = client.get("/moderation/log").text
    found = rows(html)
    assert len(found) == 3
    assert "Kommentare geschlossen" in found[0]
    assert "Verborgen" in found[1] and "Beleidigend" in found[1] and "chefin" in found[1]
    assert "Freigegeben" in found[2] and "moderatorin" in found[2]
    assert "wartend → sichtbar" in found[2]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("action=hide", ["Beleidigend"]),
        ("action=approve", ["wartend → sichtbar"]),
        ("action=nonsense", None),  # ignored: everything
        ("comment={visible}", ["Beleidigend"]),
        ("article={article}", None),
        ("moderator={moderator}", ["wartend → sichtbar"]),
        ("moderator={admin}", ["Beleidigend", "offen → geschlossen"]),
        ("member={author}", ["wartend → sichtbar", "Beleidigend"]),
    ],
)
def test_the_log_filters(client, scene, query, expected):
    login_as(client, scene.admin)
    ids = {
        "visible": scene.visible.id,
        "article": scene.article.id,
        "moderator": scene.moderator.id,
        "admin": scene.admin.id,
        "author": scene.author.id,
    }
    found = rows(client.get("/moderation/log?" + query.format(**ids)).text)
    if expected is None:
        assert len(found) == 3
        return
    assert len(found) == len(expected)
    for text in expected:
        assert any(text in row for row in found), text


def test_a_filter_without_matches_says_so(client, scene):
    login_as(client, scene.moderator)
    html = client.get("/moderation/log?comment=999999").text
    assert rows(html) == []
    assert "Keine Entscheidung passt zu diesem Filter." in html


def test_log_page_service_pages_newest_first(app, scene):
    with app.app_context():
        listing, articles = log_page(db.session, page=1, per_page=2)
        assert [e.action for e in listing.items] == [
            ModerationAction.CLOSE,
            ModerationAction.HIDE,
        ]
        assert listing.has_next and listing.total == 3
        assert scene.article.id in articles
        second, _ = log_page(db.session, page=2, per_page=2)
        assert [e.action for e in second.items] == [ModerationAction.APPROVE]


def test_a_comment_history_shows_revisions_flags_and_events(app, client, scene):
    with app.app_context():
        db.session.add(
            CommentRevision(
                comment_id=scene.visible.id,
                body="Die erste Fassung.",
                body_html="<p>Die erste Fassung.</p>",
                created_at=utcnow(),
            )
        )
        db.session.commit()
    login_as(client, scene.moderator)
    html = client.get(f"/moderation/comments/{scene.visible.id}").text
    assert "Die erste Fassung." in html
    assert "Schon sichtbar." in html
    assert "Beleidigend" in html
    assert "sichtbar → verborgen" in html
    assert f"/moderation/comments/{scene.visible.id}/unhide" in html
    assert "Niemand hat diesen Kommentar gemeldet." in html


def test_a_member_record_lists_their_comments_and_decisions(client, scene):
    login_as(client, scene.moderator)
    html = client.get(f"/moderation/members/{scene.author.id}").text
    assert "autorin" in html
    for text in ("Wartet noch.", "Schon sichtbar.", "Längst verborgen."):
        assert text in html
    assert "Beleidigend" in html  # a decision about them
    assert f"/moderation/members/{scene.author.id}/ban" in html


def test_the_moderator_filter_offers_those_who_decided(app, client, scene):
    from app.services.transitions import log_event

    with app.app_context():
        log_event(
            db.session,
            action=ModerationAction.POST,
            actor=db.session.get(User, scene.author.id),
            now=utcnow(),
            comment=db.session.get(Comment, scene.pending.id),
            to_state="pending",
        )
        db.session.commit()
    login_as(client, scene.moderator)
    html = client.get("/moderation/log").text
    select = html[
        html.index('id="log-moderator"') : html.index("</select>", html.index('id="log-moderator"'))
    ]
    assert "moderatorin" in select and "chefin" in select
    assert "autorin" not in select
    assert len(rows(html)) == 4  # writing a comment is in the log all the same
