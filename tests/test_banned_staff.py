"""A ban suspends a moderator's or admin's powers; the site always keeps an admin."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import User, UserRole, utcnow
from app.permissions import can_moderate, is_admin, is_moderator
from app.services import bans, people
from app.services.errors import NotAllowed
from tests.support import Factory, csrf_token, login_as


def ban(app, target_id: int, actor_id: int, **kwargs) -> None:  # noqa: ANN001, ANN003
    with app.app_context():
        bans.ban(
            db.session,
            db.session.get(User, target_id),
            actor=db.session.get(User, actor_id),
            now=kwargs.pop("now", utcnow()),
            reason="Missbrauch der Rechte",
            **kwargs,
        )
        db.session.commit()


def reload(app, user_id: int) -> User:  # noqa: ANN001
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


@pytest.fixture
def staff(make):  # noqa: ANN001, ANN201
    return {
        "chefin": make.user("chefin", role=UserRole.ADMIN),
        "zweite": make.user("zweite", role=UserRole.ADMIN),
        "moderator": make.user("moderator", role=UserRole.MODERATOR),
        "anna": make.user("anna"),
    }


def test_a_banned_moderator_has_no_powers_while_banned(app, client, make, staff):
    article = make.article()
    comment = make.comment(article, staff["anna"])
    ban(app, staff["moderator"].id, staff["chefin"].id)
    banned = reload(app, staff["moderator"].id)
    assert not is_moderator(banned) and not can_moderate(banned)
    login_as(client, banned)
    assert client.get("/moderation/").status_code == 403
    assert client.get("/moderation/log").status_code == 403
    token = csrf_token(client.get("/account").data)
    response = client.post(f"/moderation/comments/{comment.id}/hide", data={"csrf_token": token})
    assert response.status_code == 403
    response = client.post(
        f"/moderation/members/{staff['anna'].id}/ban",
        data={"csrf_token": token, "reason": "Rache"},
    )
    assert response.status_code == 403
    assert not reload(app, staff["anna"].id).is_banned_at(utcnow())
    assert 'href="/moderation/"' not in client.get("/").text


def test_a_banned_admin_has_no_powers_while_banned(app, client, staff):
    ban(app, staff["zweite"].id, staff["chefin"].id)
    banned = reload(app, staff["zweite"].id)
    assert not is_admin(banned) and not is_moderator(banned)
    login_as(client, banned)
    for path in ("/admin/", "/admin/articles", "/admin/users", "/admin/settings", "/moderation/"):
        assert client.get(path).status_code == 403, path
    token = csrf_token(client.get("/account").data)
    response = client.post(
        f"/admin/users/{staff['anna'].id}/role", data={"csrf_token": token, "role": "admin"}
    )
    assert response.status_code == 403
    assert reload(app, staff["anna"].id).role is UserRole.MEMBER


def test_powers_come_back_when_the_ban_ends(app, client, staff):
    now = utcnow()
    ban(app, staff["moderator"].id, staff["chefin"].id, until=now + timedelta(hours=1))
    moderator = reload(app, staff["moderator"].id)
    assert not is_moderator(moderator, now)
    assert is_moderator(moderator, now + timedelta(hours=2))
    with app.app_context():
        row = db.session.get(User, moderator.id)
        row.banned_until = utcnow() - timedelta(seconds=1)
        db.session.commit()
    login_as(client, reload(app, moderator.id))
    assert client.get("/moderation/").status_code == 200


def test_an_admin_stripped_of_powers_meanwhile_cannot_ban_the_other(app, staff):
    """Two admins banning each other: the second, acting on an old view, is refused."""
    with app.app_context():
        stale_chefin = db.session.get(User, staff["chefin"].id)
        target = db.session.get(User, staff["zweite"].id)
        ban(app, staff["chefin"].id, staff["zweite"].id)  # meanwhile, in another request
        db.session.expire_all()
        stale = User(**{key: getattr(stale_chefin, key) for key in ("id", "role", "state")})
        with pytest.raises(NotAllowed):
            bans.ban(db.session, target, actor=stale, now=utcnow(), reason="Gegenschlag")
        db.session.rollback()
    assert not reload(app, staff["zweite"].id).is_banned_at(utcnow())
    with app.app_context():
        assert people.active_admin_ids(db.session, utcnow()) == [staff["zweite"].id]


def test_role_changes_count_banned_admins_as_gone(app, staff):
    ban(app, staff["zweite"].id, staff["chefin"].id)
    with app.app_context():
        chefin = db.session.get(User, staff["chefin"].id)
        with pytest.raises(NotAllowed):
            people.change_role(db.session, chefin, UserRole.MEMBER, actor=chefin, now=utcnow())


@pytest.mark.postgres
def test_two_admins_banning_each_other_at_once_leave_one_admin(postgres_app):
    make = Factory(postgres_app)
    first = make.user("erste", role=UserRole.ADMIN)
    second = make.user("zweite", role=UserRole.ADMIN)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(actor_id: int, target_id: int) -> None:
        with postgres_app.app_context():
            actor = db.session.get(User, actor_id)
            target = db.session.get(User, target_id)
            barrier.wait()
            try:
                bans.ban(db.session, target, actor=actor, now=utcnow(), reason="Gleichzeitig")
                db.session.commit()
                outcomes.append("banned")
            except NotAllowed:
                db.session.rollback()
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [
        threading.Thread(target=attempt, args=(first.id, second.id)),
        threading.Thread(target=attempt, args=(second.id, first.id)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["banned", "refused"]
    with postgres_app.app_context():
        assert len(people.active_admin_ids(db.session, utcnow())) == 1
