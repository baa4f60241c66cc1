"""People: every account with its counts, search, roles, and never a site without an admin."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import (
    AccountState,
    CommentStatus,
    ModerationAction,
    ModerationEvent,
    User,
    UserKind,
    UserRole,
    utcnow,
)
from app.services import people, transitions
from app.services.errors import NotAllowed
from tests.admin_support import CountQueries, check_structure
from tests.support import csrf_token, login_as


@pytest.fixture
def admin(client, make):
    user = make.user("Chefin", role=UserRole.ADMIN)
    login_as(client, user)
    return user


def roles(app) -> dict[int, UserRole]:
    with app.app_context():
        return dict(db.session.execute(select(User.id, User.role)).all())


def role_events(app) -> list[tuple]:
    with app.app_context():
        return db.session.execute(
            select(
                ModerationEvent.actor_id,
                ModerationEvent.target_user_id,
                ModerationEvent.from_state,
                ModerationEvent.to_state,
            ).where(ModerationEvent.action == ModerationAction.CHANGE_ROLE)
        ).all()


def change(client, user_id: int, role: str):  # noqa: ANN201
    page = client.get(f"/admin/users/{user_id}")
    return client.post(
        f"/admin/users/{user_id}/role", data={"csrf_token": csrf_token(page.data), "role": role}
    )


def test_list_shows_role_state_confirmation_and_comment_counts(app, client, make, admin):
    article = make.article()
    writer = make.user("Jürgen", email="juergen@example.org")
    make.user("Unbestätigt", confirmed=False)
    make.user("Gesperrt", state=AccountState.BANNED)
    for status in (CommentStatus.VISIBLE, CommentStatus.VISIBLE, CommentStatus.PENDING):
        make.comment(article, writer, status=status)
    html = client.get("/admin/users").get_data(as_text=True)
    check_structure(html)
    row = html[html.index("Jürgen") :].split("</tr>")[0]
    assert "juergen@example.org" in row and "Mitglied" in row and "aktiv" in row
    assert "2 sichtbar, 1 wartend, 0 verborgen" in row
    assert "E-Mail nicht bestätigt" in html[html.index("Unbestätigt") :].split("</tr>")[0]
    assert "gesperrt" in html[html.index("Gesperrt") :].split("</tr>")[0]
    assert "Administrator" in html[html.index("Chefin") :].split("</tr>")[0]


def test_counts_come_from_one_query_whatever_the_number_of_people(app, make):
    article = make.article()
    counts = []
    for number in range(12):
        writer = make.user(f"schreiber{number}")
        make.comment(article, writer)
        if number in (1, 11):
            with app.app_context(), CountQueries(db.engine) as queries:
                listing = people.list_people(db.session)
                assert sum(row.visible for row in listing.rows) == number + 1
                counts.append(queries.count)
    assert counts == [1, 1]


def test_search_by_name_or_email_and_filter_by_role(client, make, admin):
    make.user("Jürgen", email="jb@example.org")
    make.user("Anna", email="anna@firma.example")
    make.user("Mod_1", role=UserRole.MODERATOR)
    page = client.get("/admin/users?q=JÜRGEN").get_data(as_text=True)
    assert "Jürgen" in page and "Anna" not in page
    page = client.get("/admin/users?q=firma").get_data(as_text=True)
    assert "Anna" in page and "Jürgen" not in page
    page = client.get("/admin/users?q=_").get_data(as_text=True)  # "_" is no wildcard
    assert "Mod_1" in page and "Anna" not in page
    page = client.get("/admin/users?role=moderator").get_data(as_text=True)
    assert "Mod_1" in page and "Anna" not in page


def test_changing_a_role_is_logged(app, client, make, admin):
    member = make.user("Mitglied")
    response = change(client, member.id, "moderator")
    assert response.status_code == 302
    assert roles(app)[member.id] is UserRole.MODERATOR
    assert role_events(app) == [(admin.id, member.id, "member", "moderator")]
    assert "Moderator" in client.get(f"/admin/users/{member.id}").get_data(as_text=True)


def test_the_last_active_admin_cannot_be_demoted(app, client, make, admin):
    make.user("Gesperrte", role=UserRole.ADMIN, state=AccountState.BANNED)  # not active
    before = roles(app)
    response = change(client, admin.id, "member")
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "letzte aktive Administrator" in html and 'id="role-error"' in html
    assert roles(app) == before and role_events(app) == []


def test_an_admin_may_step_down_when_another_remains(app, client, make, admin):
    make.user("Zweite", role=UserRole.ADMIN)
    response = change(client, admin.id, "moderator")
    assert response.status_code == 302 and response.headers["Location"].endswith("/")
    assert roles(app)[admin.id] is UserRole.MODERATOR
    assert client.get("/admin/users").status_code == 403


def test_two_admins_demoting_each_other_leave_one(app, make):
    first = make.user("Eins", role=UserRole.ADMIN)
    second = make.user("Zwei", role=UserRole.ADMIN)
    with app.app_context():
        one, two = db.session.get(User, first.id), db.session.get(User, second.id)
        people.change_role(db.session, one, UserRole.MEMBER, actor=two, now=utcnow())
        db.session.commit()
        with pytest.raises(NotAllowed):
            people.change_role(db.session, two, UserRole.MEMBER, actor=two, now=utcnow())


@pytest.mark.parametrize("role", ["", "owner", "ADMIN", "member"])
def test_unknown_or_unchanged_roles_are_refused(app, client, make, admin, role):
    member = make.user("Mitglied")
    before = roles(app)
    response = change(client, member.id, role)
    assert response.status_code == 422 and 'id="role-error"' in response.get_data(as_text=True)
    assert roles(app) == before and role_events(app) == []


def test_a_deleted_account_keeps_its_role(app, client, make, admin):
    gone = make.user("Weg", state=AccountState.DELETED)
    page = client.get(f"/admin/users/{gone.id}").get_data(as_text=True)
    assert 'action="/admin/users/' not in page
    response = client.post(
        f"/admin/users/{gone.id}/role", data={"csrf_token": csrf_token(page), "role": "admin"}
    )
    assert response.status_code == 403 and roles(app)[gone.id] is UserRole.MEMBER
    assert client.get("/admin/users/999").status_code == 404


def test_an_account_page_shows_its_comments_and_history(app, client, make, admin):
    article = make.article("Worum es ging")
    writer = make.user("Schreiberin")
    comment = make.comment(article, writer, "Mein *Beitrag*.")
    with app.app_context():
        stored = db.session.get(type(comment), comment.id)
        transitions.change_status(
            db.session, stored, CommentStatus.HIDDEN, action=ModerationAction.HIDE,
            actor=db.session.get(User, admin.id), now=utcnow(), reason="Beleidigend",
        )  # fmt: skip
        db.session.commit()
    html = client.get(f"/admin/users/{writer.id}").get_data(as_text=True)
    check_structure(html)
    assert "Mein <em>Beitrag</em>." in html and "Worum es ging" in html
    history = html.split('id="history-heading"')[1]
    assert "Beleidigend" in history and "Chefin" in history and "verborgen" in history
    mine = client.get(f"/admin/users/{admin.id}").get_data(as_text=True)
    assert "Schreiberin" in mine.split('id="decisions-heading"')[1]


def _guest(app) -> int:  # noqa: ANN001
    """A commenter imported from WordPress: a name, no account to log in with."""
    with app.app_context():
        guest = User(
            username="Gast aus dem Blog",
            kind=UserKind.GUEST,
            guest_key="a" * 64,
            password_hash=None,
            role=UserRole.MEMBER,
            created_at=utcnow(),
        )
        db.session.add(guest)
        db.session.commit()
        return guest.id


def test_an_imported_commenter_is_listed_as_one_without_role_or_account(app, client, admin):
    guest_id = _guest(app)
    page = client.get("/admin/users", headers={"Accept-Language": "de"}).text
    row = page[page.index("Gast aus dem Blog") :].split("</tr>")[0]
    assert "Importierter Kommentator, ohne Konto" in row
    assert "Mitglied" not in row and "E-Mail nicht bestätigt" not in row
    own = client.get(f"/admin/users/{guest_id}", headers={"Accept-Language": "de"}).text
    assert "Importierter Kommentator, ohne Konto" in own
    assert 'class="admin-role"' not in own  # no role to change


def test_an_imported_commenter_gets_no_role(app, client, admin):
    guest_id = _guest(app)
    before, events = roles(app), role_events(app)
    assert change(client, guest_id, "moderator").status_code == 403
    assert roles(app) == before and role_events(app) == events
    with app.app_context():
        guest = db.session.get(User, guest_id)
        with pytest.raises(NotAllowed):
            people.change_role(
                db.session, guest, UserRole.ADMIN, actor=db.session.get(User, admin.id),
                now=utcnow(),
            )  # fmt: skip
        db.session.rollback()
    assert roles(app)[guest_id] is UserRole.MEMBER
