"""Bans: who may ban whom, the end of a ban, hiding all comments, unbanning; the pages."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from app.extensions import db
from app.models import (
    AccountState,
    Comment,
    CommentStatus,
    ModerationAction,
    ReasonCode,
    User,
    UserRole,
    utcnow,
)
from app.permissions import can_flag_comment, can_write
from app.services import bans
from app.services.errors import InvalidInput, NotAllowed
from tests.moderation_support import build_scene, event_count, events, note, reload, statuses
from tests.support import csrf_token, login_as


@pytest.fixture
def scene(make):  # noqa: ANN001, ANN201
    return build_scene(make)


def ban(app, target_id, actor_id, reason="Spam", **kwargs):  # noqa: ANN001, ANN201
    with app.app_context():
        target = db.session.get(User, target_id)
        actor = db.session.get(User, actor_id)
        event = bans.ban(
            db.session,
            target,
            actor=actor,
            now=kwargs.pop("now", utcnow()),
            reason=reason,
            **kwargs,
        )
        db.session.commit()
        return len((event.previous or {}).get("hidden", []))  # how many comments it hid


def unban(app, target_id, actor_id):  # noqa: ANN001, ANN201
    with app.app_context():
        bans.unban(
            db.session,
            db.session.get(User, target_id),
            actor=db.session.get(User, actor_id),
            now=utcnow(),
        )
        db.session.commit()


def test_a_ban_stops_writing_and_is_logged(app, scene):
    until = utcnow() + timedelta(days=7)
    assert ban(app, scene.author.id, scene.moderator.id, reason="Werbung", until=until) == 0
    user = reload(app, User, scene.author.id)
    assert user.state is AccountState.BANNED
    assert user.ban_reason == "Werbung"
    assert abs((user.banned_until - until).total_seconds()) < 1
    assert not can_write(user)
    with app.app_context():
        assert not can_flag_comment(user, db.session.get(Comment, scene.visible.id))
    [event] = events(app, action=ModerationAction.BAN)
    assert (event.actor_id, event.target_user_id) == (scene.moderator.id, scene.author.id)
    assert (event.from_state, event.to_state) == ("active", "banned")
    assert event.reason.code is ReasonCode.BAN
    assert event.reason.params["text"] == "Werbung"
    assert abs(datetime.fromisoformat(event.reason.params["until"]) - until) < timedelta(seconds=1)
    # The comments stay as they were.
    assert reload(app, Comment, scene.visible.id).status is CommentStatus.VISIBLE


def test_a_ban_ends_by_itself(app, scene):
    now = utcnow()
    ban(app, scene.author.id, scene.moderator.id, until=now + timedelta(hours=1), now=now)
    user = reload(app, User, scene.author.id)
    assert user.is_banned_at(now + timedelta(minutes=59))
    assert not user.is_banned_at(now + timedelta(hours=1, seconds=1))
    assert can_write(user, now + timedelta(hours=2))
    assert not can_write(user, now + timedelta(minutes=30))


def test_a_ban_can_hide_all_comments_in_one_step(app, make, scene):
    other = make.comment(scene.article, scene.member, "Vom Mitglied")
    hidden = ban(app, scene.author.id, scene.moderator.id, reason="Troll", hide_comments=True)
    assert hidden == 2  # the pending and the visible one; the hidden one already was
    for ident in (scene.pending.id, scene.visible.id, scene.hidden.id):
        assert reload(app, Comment, ident).status is CommentStatus.HIDDEN
    assert reload(app, Comment, other.id).status is CommentStatus.VISIBLE
    hides = events(app, action=ModerationAction.HIDE)
    assert sorted(e.comment_id for e in hides) == sorted([scene.pending.id, scene.visible.id])
    assert all(e.reason == note("Troll") for e in hides)
    assert reload(app, Comment, scene.visible.id).status_reason == note("Troll")


@pytest.mark.parametrize(
    ("target", "actor"),
    [
        ("moderator", "moderator"),  # nobody bans themselves
        ("admin", "admin"),
        ("admin", "moderator"),  # moderators cannot ban admins ...
        ("other_moderator", "moderator"),  # ... nor other moderators
        ("moderator", "member"),  # members cannot ban at all
        ("author", "member"),
    ],
)
def test_who_may_not_ban_whom(app, make, scene, target, actor):
    people = {
        "moderator": scene.moderator,
        "other_moderator": make.user("zweitmod", role=UserRole.MODERATOR),
        "admin": scene.admin,
        "member": scene.member,
        "author": scene.author,
    }
    before = statuses(app)
    with pytest.raises(NotAllowed):
        ban(app, people[target].id, people[actor].id)
    assert statuses(app) == before
    assert event_count(app) == 0


def test_admins_may_ban_moderators(app, scene):
    ban(app, scene.moderator.id, scene.admin.id)
    assert reload(app, User, scene.moderator.id).state is AccountState.BANNED


@pytest.mark.parametrize(
    ("reason", "until", "field"),
    [
        ("", None, "reason"),
        ("   ", None, "reason"),
        ("x" * 501, None, "reason"),
        ("ok", -1, "until"),
    ],
)
def test_bad_ban_input_is_refused(app, scene, reason, until, field):
    end = utcnow() + timedelta(hours=until) if until else None
    with pytest.raises(InvalidInput) as refused:
        ban(app, scene.author.id, scene.moderator.id, reason=reason, until=end)
    assert refused.value.field == field
    assert reload(app, User, scene.author.id).state is AccountState.ACTIVE
    assert event_count(app) == 0


def test_unban_ends_the_ban_and_is_logged(app, scene):
    ban(app, scene.author.id, scene.moderator.id)
    unban(app, scene.author.id, scene.admin.id)
    user = reload(app, User, scene.author.id)
    assert (user.state, user.banned_until, user.ban_reason) == (AccountState.ACTIVE, None, None)
    assert can_write(user)
    [event] = events(app, action=ModerationAction.UNBAN)
    assert (event.from_state, event.to_state) == ("banned", "active")
    with pytest.raises(InvalidInput):
        unban(app, scene.author.id, scene.admin.id)


def test_banned_members_are_listed_until_their_ban_ends(app, make, scene):
    now = utcnow()
    ban(app, scene.author.id, scene.moderator.id, until=now + timedelta(days=1))
    ban(app, scene.member.id, scene.moderator.id)
    with app.app_context():
        names = [u.username for u in bans.banned_members(db.session, now)]
        assert names == ["autorin", "mitglied"]
        later = [u.username for u in bans.banned_members(db.session, now + timedelta(days=2))]
        assert later == ["mitglied"]


# --- the pages ------------------------------------------------------------------------------


def test_a_moderator_bans_from_the_member_page_with_an_end_in_local_time(app, client, scene):
    login_as(client, scene.moderator)
    page = client.get(f"/moderation/members/{scene.author.id}")
    response = client.post(
        f"/moderation/members/{scene.author.id}/ban",
        data={
            "csrf_token": csrf_token(page.data),
            "reason": "Wiederholt Werbung",
            "until": "2099-01-31T18:00",
            "hide_comments": "y",
        },
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "autorin ist gesperrt." in response.text
    assert "2 Kommentare verborgen." in response.text
    user = reload(app, User, scene.author.id)
    assert user.banned_until.isoformat() == "2099-01-31T17:00:00+00:00"  # Berlin is UTC+1
    assert reload(app, Comment, scene.visible.id).status is CommentStatus.HIDDEN
    listing = client.get("/moderation/bans").text
    assert "autorin" in listing and "Wiederholt Werbung" in listing


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": "", "until": ""}, "Bitte geben Sie einen Grund an"),
        ({"reason": "Spam", "until": "morgen"}, "Bitte geben Sie Datum und Uhrzeit an"),
        ({"reason": "Spam", "until": "2001-01-01T00:00"}, "in der Zukunft"),
    ],
)
def test_a_refused_ban_keeps_what_was_typed(app, client, scene, data, message):
    login_as(client, scene.moderator)
    token = csrf_token(client.get(f"/moderation/members/{scene.author.id}").data)
    before = statuses(app)
    response = client.post(
        f"/moderation/members/{scene.author.id}/ban", data={"csrf_token": token, **data}
    )
    assert response.status_code == 400
    assert message in response.text
    if data["until"]:
        assert f'value="{data["until"]}"' in response.text
    assert statuses(app) == before


def test_a_moderator_cannot_ban_an_admin_from_the_page(app, client, scene):
    login_as(client, scene.moderator)
    page = client.get(f"/moderation/members/{scene.admin.id}")
    assert "/ban" not in page.text.split('aria-labelledby="ban-title"')[1].split("</section>")[0]
    before = statuses(app)
    token = csrf_token(client.get("/moderation/").data)
    response = client.post(
        f"/moderation/members/{scene.admin.id}/ban",
        data={"csrf_token": token, "reason": "Versuch"},
        follow_redirects=True,
    )
    assert "Nur ein Admin" in response.text
    assert statuses(app) == before


def test_unban_from_the_member_page(app, client, scene):
    ban(app, scene.author.id, scene.moderator.id)
    login_as(client, scene.moderator)
    page = client.get(f"/moderation/members/{scene.author.id}")
    assert f"/moderation/members/{scene.author.id}/unban" in page.text
    response = client.post(
        f"/moderation/members/{scene.author.id}/unban",
        data={"csrf_token": csrf_token(page.data)},
        follow_redirects=True,
    )
    assert "Die Sperre von autorin ist aufgehoben." in response.text
    assert reload(app, User, scene.author.id).state is AccountState.ACTIVE


def test_a_banned_member_sees_no_flag_control(app, client, scene):
    ban(app, scene.member.id, scene.moderator.id)
    login_as(client, scene.member)
    page = client.get(f"/articles/{scene.article.slug}").text
    assert f"/comments/{scene.visible.id}/flag" not in page
    assert client.get(f"/comments/{scene.visible.id}/flag").status_code == 403


def test_the_ban_and_unban_forms_each_label_their_own_field(app, client, scene):
    ban(app, scene.author.id, scene.moderator.id, until=utcnow() + timedelta(days=1))
    login_as(client, scene.moderator)
    html = client.get(f"/moderation/members/{scene.author.id}").text
    assert 'id="unban-reason"' in html and 'for="unban-reason"' in html
    assert 'id="ban-reason"' in html and 'for="ban-reason"' in html
    assert 'id="reason"' not in html
