"""Undoing a decision: exactly the state before, logged as its own event, refused when it
should be (someone else, too late, twice, something happened since)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import (
    AccountState,
    Article,
    Comment,
    CommentStatus,
    Flag,
    FlagReason,
    ModerationAction,
    User,
    UserRole,
    utcnow,
)
from app.services import bans, moderation, undo
from app.services.errors import Conflict, InvalidInput, NotAllowed
from tests.moderation_support import build_scene, events, reload, statuses
from tests.support import csrf_token, login_as

P, V, H, D = (
    CommentStatus.PENDING,
    CommentStatus.VISIBLE,
    CommentStatus.HIDDEN,
    CommentStatus.DELETED,
)
WINDOW = timedelta(minutes=5)


@pytest.fixture
def scene(make):  # noqa: ANN001, ANN201
    return build_scene(make)


def snapshot(app, comment_id: int) -> dict:  # noqa: ANN001
    """Everything a decision on one comment can change, and the counts kept about it."""
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        article = db.session.get(Article, comment.article_id)
        open_flags = db.session.scalars(
            select(Flag.id).where(Flag.comment_id == comment_id, Flag.dismissed_at.is_(None))
        ).all()
        return {
            "status": comment.status,
            "reason": comment.status_reason,
            "changed_at": comment.status_changed_at,
            "flag_count": comment.flag_count,
            "open_flags": sorted(open_flags),
            "visible_comments": article.visible_comment_count,
        }


def add_flags(app, comment_id: int, count: int, make) -> None:  # noqa: ANN001
    with app.app_context():
        for _ in range(count):
            user = make.user()
            db.session.add(Flag(comment_id=comment_id, user_id=user.id, reason=FlagReason.SPAM))
        db.session.get(Comment, comment_id).flag_count = count
        db.session.commit()


def decide(app, decision: str, comment_id: int, actor_id: int, **kwargs) -> int:  # noqa: ANN001
    with app.app_context():
        event = moderation.DECISIONS[decision](
            db.session,
            db.session.get(Comment, comment_id),
            actor=db.session.get(User, actor_id),
            now=kwargs.pop("now", utcnow()),
            **kwargs,
        )
        db.session.commit()
        return event.id


def take_back(app, event_id: int, actor_id: int, now=None) -> None:  # noqa: ANN001
    with app.app_context():
        try:
            undo.undo(
                db.session,
                event_id,
                actor=db.session.get(User, actor_id),
                now=now or utcnow(),
                window=WINDOW,
            )
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise


@pytest.mark.parametrize(
    ("decision", "which"),
    [("hide", "visible"), ("delete", "visible"), ("approve", "pending"), ("unhide", "hidden")],
)
def test_undo_restores_exactly_what_was_before(app, make, scene, decision, which):
    comment = getattr(scene, which)
    if which == "pending":
        add_flags(app, comment.id, 2, make)  # went back to review: approving settles them
    before = snapshot(app, comment.id)
    event_id = decide(app, decision, comment.id, scene.moderator.id, reason="Grund")
    assert snapshot(app, comment.id) != before
    take_back(app, event_id, scene.moderator.id)
    assert snapshot(app, comment.id) == before
    undone = events(app, comment_id=comment.id)[-1]
    assert undone.action is ModerationAction.UNDO
    assert undone.actor_id == scene.moderator.id
    assert undone.reason.params == {"event": event_id, "action": decision}
    assert events(app, id=event_id)[0].undone_at is not None


def test_undoing_a_dismissal_opens_the_flags_again(app, make, scene):
    add_flags(app, scene.visible.id, 2, make)
    before = snapshot(app, scene.visible.id)
    event_id = decide(app, "approve", scene.visible.id, scene.moderator.id)
    assert events(app, id=event_id)[0].action is ModerationAction.DISMISS_FLAGS
    assert snapshot(app, scene.visible.id)["flag_count"] == 0
    take_back(app, event_id, scene.moderator.id)
    assert snapshot(app, scene.visible.id) == before


def test_undoing_a_ban_restores_the_account_and_the_hidden_comments(app, scene):
    with app.app_context():
        author = db.session.get(User, scene.author.id)
        author.state, author.ban_reason = AccountState.BANNED, "Alt"
        author.banned_until = utcnow() - timedelta(days=1)  # an earlier ban, run out
        db.session.commit()
    user_before = reload(app, User, scene.author.id)
    comments_before = {c.id: snapshot(app, c.id) for c in (scene.pending, scene.visible)}
    with app.app_context():
        event = bans.ban(
            db.session,
            db.session.get(User, scene.author.id),
            actor=db.session.get(User, scene.moderator.id),
            now=utcnow(),
            reason="Neu",
            until=utcnow() + timedelta(days=2),
            hide_comments=True,
        )
        db.session.commit()
        event_id = event.id
    assert reload(app, Comment, scene.visible.id).status is H
    take_back(app, event_id, scene.moderator.id)
    user = reload(app, User, scene.author.id)
    assert (user.state, user.ban_reason, user.banned_until) == (
        user_before.state,
        user_before.ban_reason,
        user_before.banned_until,
    )
    assert {c: snapshot(app, c) for c in comments_before} == comments_before
    undos = events(app, action=ModerationAction.UNDO)
    assert len(undos) == 3  # the ban and each comment hidden with it
    assert all(e.actor_id == scene.moderator.id for e in undos)


def test_only_the_moderator_who_decided_may_undo(app, make, scene):
    other = make.user("zweite", role=UserRole.MODERATOR)
    event_id = decide(app, "hide", scene.visible.id, scene.moderator.id)
    before = statuses(app)
    for actor in (other, scene.admin, scene.author):
        with pytest.raises(NotAllowed):
            take_back(app, event_id, actor.id)
    assert statuses(app) == before
    assert events(app, id=event_id)[0].undone_at is None


def test_undo_after_the_window_is_refused(app, scene):
    event_id = decide(app, "hide", scene.visible.id, scene.moderator.id)
    before = statuses(app)
    with pytest.raises(InvalidInput):
        take_back(app, event_id, scene.moderator.id, now=utcnow() + WINDOW + timedelta(seconds=1))
    assert statuses(app) == before


def test_undo_twice_or_after_another_decision_is_refused(app, make, scene):
    event_id = decide(app, "hide", scene.visible.id, scene.moderator.id)
    take_back(app, event_id, scene.moderator.id)
    before = statuses(app)
    with pytest.raises(Conflict):
        take_back(app, event_id, scene.moderator.id)
    assert statuses(app) == before

    hide_id = decide(app, "hide", scene.visible.id, scene.moderator.id)
    other = make.user("zweite", role=UserRole.MODERATOR)
    decide(app, "unhide", scene.visible.id, other.id)
    before = statuses(app)
    with pytest.raises(Conflict):
        take_back(app, hide_id, scene.moderator.id)
    assert statuses(app) == before


def test_a_member_cannot_undo_a_moderators_decision(app, client, scene):
    event_id = decide(app, "hide", scene.visible.id, scene.moderator.id)
    login_as(client, scene.author)
    token = csrf_token(client.get("/account").data)
    before = statuses(app)
    response = client.post(f"/moderation/undo/{event_id}", data={"csrf_token": token})
    assert response.status_code == 403
    assert statuses(app) == before
    assert events(app, id=event_id)[0].undone_at is None


def test_the_confirmation_offers_undo_and_the_route_takes_it_back(app, client, scene):
    login_as(client, scene.moderator)
    queue = client.get("/moderation/")
    before = snapshot(app, scene.pending.id)
    answer = client.post(
        f"/moderation/comments/{scene.pending.id}/hide",
        data={"csrf_token": csrf_token(queue.data), "expected": "pending", "reason": "Werbung"},
        follow_redirects=True,
    )
    assert "Der Kommentar wurde verborgen." in answer.text
    assert 'class="flash flash--undo undo-offer"' in answer.text
    [hidden] = events(app, action=ModerationAction.HIDE)
    assert f'action="/moderation/undo/{hidden.id}"' in answer.text
    undone = client.post(
        f"/moderation/undo/{hidden.id}",
        data={"csrf_token": csrf_token(answer.data), "next": "/moderation/"},
        follow_redirects=True,
    )
    assert "Die Entscheidung wurde rückgängig gemacht." in undone.text
    assert snapshot(app, scene.pending.id) == before
    again = client.get("/moderation/").text
    assert "undo-offer" not in again  # offered once, with the confirmation


def test_the_script_gets_the_undo_offer_as_json(app, client, scene):
    login_as(client, scene.moderator)
    token = csrf_token(client.get("/moderation/").data)
    answer = client.post(
        f"/moderation/comments/{scene.pending.id}/approve",
        data={"csrf_token": token, "expected": "pending"},
        headers={"Accept": "application/json"},
    )
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["ok"] is True and body["waiting"] == 0
    assert body["undo"]["url"].startswith("/moderation/undo/")
    stale = client.post(
        f"/moderation/comments/{scene.pending.id}/hide",
        data={"csrf_token": token, "expected": "pending"},
        headers={"Accept": "application/json"},
    )
    assert stale.status_code == 409 and stale.get_json()["ok"] is False
    taken_back = client.post(
        body["undo"]["url"], data={"csrf_token": token}, headers={"Accept": "application/json"}
    )
    assert taken_back.get_json()["ok"] is True
    assert reload(app, Comment, scene.pending.id).status is P
    again = client.post(
        body["undo"]["url"], data={"csrf_token": token}, headers={"Accept": "application/json"}
    )
    assert again.status_code == 409


@pytest.mark.parametrize("role", ["reader", "admin", "other moderator"])
def test_the_undo_route_refuses_everyone_but_the_decider(app, client, make, scene, role):
    from tests.moderation_support import mint_csrf

    event_id = decide(app, "delete", scene.visible.id, scene.moderator.id)
    if role == "admin":
        login_as(client, scene.admin)
    elif role == "other moderator":
        login_as(client, make.user("zweite", role=UserRole.MODERATOR))
    token = mint_csrf(app, client)
    before = statuses(app)
    response = client.post(f"/moderation/undo/{event_id}", data={"csrf_token": token})
    if role == "reader":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    else:
        assert response.status_code == 302
        refused = client.get(response.headers["Location"]).text
        assert "Nur wer eine Entscheidung getroffen hat" in refused
        json = client.post(
            f"/moderation/undo/{event_id}",
            data={"csrf_token": token},
            headers={"Accept": "application/json"},
        )
        assert json.status_code == 403 and json.get_json()["ok"] is False
    assert statuses(app) == before
    assert events(app, id=event_id)[0].undone_at is None
