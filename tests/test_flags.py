"""Flags: once per member, never one's own, the threshold, dismissal; the flag page."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    Comment,
    CommentStatus,
    Flag,
    FlagReason,
    ModerationAction,
    User,
    UserRole,
    utcnow,
)
from app.services import flags
from app.services.errors import Conflict, InvalidInput, NotAllowed, NotFound
from app.services.site_settings import save_settings
from tests.moderation_support import build_scene, event_count, events, reload, statuses
from tests.support import csrf_token, login_as


@pytest.fixture
def scene(make):  # noqa: ANN001, ANN201
    return build_scene(make)


def flag(app, comment_id, user_id, reason="spam", note=None, threshold=3):  # noqa: ANN001, ANN201
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        user = db.session.get(User, user_id)
        result = flags.flag_comment(
            db.session,
            comment,
            user=user,
            reason=reason,
            note=note,
            now=utcnow(),
            threshold=threshold,
        )
        db.session.commit()
        return result.id


def flag_rows(app, comment_id):  # noqa: ANN001, ANN201
    with app.app_context():
        rows = list(db.session.scalars(select(Flag).where(Flag.comment_id == comment_id)))
        for row in rows:
            db.session.expunge(row)
        return rows


def test_a_member_flags_a_comment_once(app, scene):
    flag(app, scene.visible.id, scene.member.id, reason="other", note="  Falsche   Zahlen ")
    [row] = flag_rows(app, scene.visible.id)
    assert (row.user_id, row.reason, row.note) == (
        scene.member.id,
        FlagReason.OTHER,
        "Falsche Zahlen",
    )
    assert reload(app, Comment, scene.visible.id).flag_count == 1
    with pytest.raises(Conflict):
        flag(app, scene.visible.id, scene.member.id, reason="abuse")
    assert len(flag_rows(app, scene.visible.id)) == 1
    assert reload(app, Comment, scene.visible.id).flag_count == 1


def test_nobody_flags_their_own_comment(app, scene):
    with pytest.raises(NotAllowed):
        flag(app, scene.visible.id, scene.author.id)
    assert flag_rows(app, scene.visible.id) == []


def test_banned_and_unconfirmed_members_cannot_flag(app, make, scene):
    banned = make.user("gesperrt", state="banned")
    unconfirmed = make.user("neu", confirmed=False)
    for user in (banned, unconfirmed):
        with pytest.raises(NotAllowed):
            flag(app, scene.visible.id, user.id)
    assert flag_rows(app, scene.visible.id) == []


@pytest.mark.parametrize("status", ["pending", "hidden", "deleted"])
def test_only_visible_comments_can_be_flagged(app, scene, make, status):
    comment = make.comment(scene.article, scene.author, "x", status=CommentStatus(status))
    with pytest.raises((NotFound, InvalidInput)):
        flag(app, comment.id, scene.member.id)
    assert flag_rows(app, comment.id) == []


@pytest.mark.parametrize(
    ("reason", "note", "field"),
    [
        ("", None, "reason"),
        ("nonsense", None, "reason"),
        ("other", "  ", "note"),
        ("spam", "x" * 501, "note"),
    ],
)
def test_bad_reasons_and_notes_are_refused(app, scene, reason, note, field):
    with pytest.raises(InvalidInput) as refused:
        flag(app, scene.visible.id, scene.member.id, reason=reason, note=note)
    assert refused.value.field == field
    assert flag_rows(app, scene.visible.id) == []


def test_the_threshold_sends_a_visible_comment_back_to_review(app, make, scene):
    flaggers = [scene.member, make.user("zwei"), make.user("drei")]
    for user in flaggers[:2]:
        flag(app, scene.visible.id, user.id)
    assert reload(app, Comment, scene.visible.id).status is CommentStatus.VISIBLE
    assert events(app, comment_id=scene.visible.id) == []
    flag(app, scene.visible.id, flaggers[2].id)
    comment = reload(app, Comment, scene.visible.id)
    assert (comment.status, comment.flag_count) == (CommentStatus.PENDING, 3)
    [event] = events(app, comment_id=comment.id)
    assert event.action is ModerationAction.FLAG_THRESHOLD
    assert (event.from_state, event.to_state) == ("visible", "pending")
    assert event.actor_id is None


def test_dismissed_flags_do_not_count_towards_the_threshold(app, make, scene):
    flag(app, scene.visible.id, scene.member.id, threshold=2)
    dismiss(app, scene.visible.id, scene.moderator.id)
    flag(app, scene.visible.id, make.user("zwei").id, threshold=2)
    comment = reload(app, Comment, scene.visible.id)
    assert (comment.status, comment.flag_count) == (CommentStatus.VISIBLE, 1)


def dismiss(app, comment_id, actor_id):  # noqa: ANN001, ANN201
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        actor = db.session.get(User, actor_id)
        event = flags.dismiss_flags(db.session, comment, actor=actor, now=utcnow())
        db.session.commit()
        return len(event.previous["flags"])  # how many flags it closed


def test_moderators_dismiss_flags_and_the_log_says_so(app, make, scene):
    flag(app, scene.visible.id, scene.member.id)
    flag(app, scene.visible.id, make.user("zwei").id)
    assert dismiss(app, scene.visible.id, scene.moderator.id) == 2
    assert reload(app, Comment, scene.visible.id).flag_count == 0
    assert all(row.dismissed_at is not None for row in flag_rows(app, scene.visible.id))
    [event] = events(app, comment_id=scene.visible.id)
    assert event.action is ModerationAction.DISMISS_FLAGS
    assert (event.from_state, event.to_state) == ("visible", "visible")
    with pytest.raises(InvalidInput):
        dismiss(app, scene.visible.id, scene.moderator.id)


def test_members_cannot_dismiss_flags(app, scene):
    flag(app, scene.visible.id, scene.member.id)
    with pytest.raises(NotAllowed):
        dismiss(app, scene.visible.id, make_member_id := scene.author.id)  # noqa: F841
    assert reload(app, Comment, scene.visible.id).flag_count == 1


# --- the page: GET and POST /comments/<id>/flag ----------------------------------------------


def test_the_flag_page_asks_for_a_reason_and_flags(app, client, scene):
    login_as(client, scene.member)
    url = f"/comments/{scene.visible.id}/flag"
    page = client.get(url)
    assert page.status_code == 200
    assert "Melden" in page.text
    assert "Schon sichtbar." in page.text
    response = client.post(
        url,
        data={"csrf_token": csrf_token(page.data), "reason": "abuse", "next": "/somewhere#x"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/somewhere#x"
    [row] = flag_rows(app, scene.visible.id)
    assert row.reason is FlagReason.ABUSE
    again = client.get(url)
    assert again.status_code == 302  # nothing to fill in: back with a message
    assert len(flag_rows(app, scene.visible.id)) == 1


def test_other_without_a_note_is_refused_beside_the_field_and_keeps_the_choice(app, client, scene):
    login_as(client, scene.member)
    url = f"/comments/{scene.visible.id}/flag"
    token = csrf_token(client.get(url).data)
    response = client.post(url, data={"csrf_token": token, "reason": "other", "note": ""})
    assert response.status_code == 400
    assert re.search(r'<input checked[^>]*value="other"', response.text)
    assert "field__error" in response.text
    assert flag_rows(app, scene.visible.id) == []


def test_the_threshold_comes_from_the_settings_page_value(app, client, make, scene):
    with app.app_context():
        save_settings(db.session, {"FLAG_THRESHOLD": 1}, utcnow())
        db.session.commit()
    login_as(client, scene.member)
    url = f"/comments/{scene.visible.id}/flag"
    token = csrf_token(client.get(url).data)
    client.post(url, data={"csrf_token": token, "reason": "spam"})
    assert reload(app, Comment, scene.visible.id).status is CommentStatus.PENDING


def test_readers_are_sent_to_log_in(client, scene):
    response = client.get(f"/comments/{scene.visible.id}/flag")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_own_comment_banned_member_and_unknown_comment(app, client, make, scene):
    login_as(client, scene.author)
    assert client.get(f"/comments/{scene.visible.id}/flag").status_code == 403
    banned = make.user("gesperrt", state="banned")
    login_as(client, banned)
    assert client.get(f"/comments/{scene.visible.id}/flag").status_code == 403
    login_as(client, scene.member)
    assert client.get("/comments/999999/flag").status_code == 404
    # A comment this member cannot see does not exist for them.
    assert client.get(f"/comments/{scene.hidden.id}/flag").status_code == 404


def test_flag_without_csrf_is_refused_and_changes_nothing(app, client, scene):
    login_as(client, scene.member)
    before = statuses(app)
    response = client.post(f"/comments/{scene.visible.id}/flag", data={"reason": "spam"})
    assert response.status_code == 400
    assert statuses(app) == before


def test_the_flag_control_shows_for_members_who_may_flag(app, client, make, scene):
    url = f"/articles/{scene.article.slug}"
    flag_link = f"/comments/{scene.visible.id}/flag"
    assert flag_link not in client.get(url).text  # readers
    login_as(client, scene.member)
    assert flag_link in client.get(url).text
    login_as(client, scene.author)
    assert flag_link not in client.get(url).text  # their own comment
    login_as(client, scene.moderator)
    assert flag_link not in client.get(url).text  # moderators decide instead


def test_flag_counts_stay_right_when_two_members_flag(app, make, scene):
    others = [make.user(f"leser{n}", role=UserRole.MEMBER) for n in range(2)]
    for user in others:
        flag(app, scene.visible.id, user.id, threshold=10)
    with app.app_context():
        open_flags = db.session.scalar(
            select(func.count(Flag.id)).where(Flag.comment_id == scene.visible.id)
        )
    assert open_flags == reload(app, Comment, scene.visible.id).flag_count == 2
    assert event_count(app) == 0


def test_two_flags_of_one_member_at_the_same_moment_leave_one(app, scene, monkeypatch):
    flag(app, scene.visible.id, scene.member.id)
    # The second request read "not flagged yet" before the first one committed.
    monkeypatch.setattr(flags, "has_flagged", lambda *args: False)
    with app.app_context():
        comment = db.session.get(Comment, scene.visible.id)
        member = db.session.get(User, scene.member.id)
        with pytest.raises(Conflict):
            flags.flag_comment(
                db.session,
                comment,
                user=member,
                reason="spam",
                note=None,
                now=utcnow(),
                threshold=3,
            )
        db.session.rollback()
    assert len(flag_rows(app, scene.visible.id)) == 1
    assert reload(app, Comment, scene.visible.id).flag_count == 1
