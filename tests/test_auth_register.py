"""Registering at /register: the rules for each field, errors at the field, coming back."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import User, UserRole
from tests.accounts_support import field_error, input_value, logged_in_user_id, register
from tests.support import csrf_token

GOOD = {
    "username": "Jürgen_Maß-1",
    "email": "juergen@example.org",
    "password": "lange genug 123",
    "password_confirm": "lange genug 123",
}


def user_count(app) -> int:  # noqa: ANN001
    with app.app_context():
        return db.session.scalar(select(func.count(User.id)))


def test_register_creates_an_unconfirmed_member_and_mails_the_link(app, client, capsys):
    response = register(client, **GOOD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.username == "Jürgen_Maß-1"
        assert user.email == "juergen@example.org"
        assert user.role is UserRole.MEMBER
        assert user.email_confirmed_at is None
        assert user.password_hash.startswith("scrypt:")
    # Not logged in yet: the answer must be the one a taken address gets.
    assert logged_in_user_id(client) is None
    # Without a mail server the confirmation mail is printed.
    printed = capsys.readouterr().out
    assert "To: juergen@example.org" in printed
    assert "/confirm/" in printed
    page = client.get("/").text
    assert "Wir haben eine E-Mail an juergen@example.org geschickt" in page
    assert "Abmelden" not in page


def test_register_returns_to_the_page_it_came_from(client):
    url = "/register?next=/articles/x%3Fdraft%3DTOKEN%23comment-form"
    response = register(client, url, **GOOD)
    assert response.headers["Location"] == "/articles/x?draft=TOKEN#comment-form"


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil"])
def test_register_ignores_a_foreign_next(client, target):
    response = register(client, f"/register?next={target}", **GOOD)
    assert response.headers["Location"] == "/"


def refused(app, client, expected_field: str, **changes: str):  # noqa: ANN001, ANN201
    before = user_count(app)
    response = register(client, **dict(GOOD, **changes))
    assert response.status_code == 422
    page = response.text
    assert field_error(page, expected_field), page
    assert user_count(app) == before
    assert logged_in_user_id(client) is None
    return page


@pytest.mark.parametrize(
    "name", ["ab", "x" * 31, "mit leerzeichen", "a@b", "<script>", "Jürgen!", "", "   "]
)
def test_bad_usernames_are_refused(app, client, name):
    refused(app, client, "username", username=name)


@pytest.mark.parametrize(
    "address", ["", "kein-at", "a@b", "a@@example.org", "a b@example.org", "a@example.org\u200b"]
)
def test_bad_emails_are_refused(app, client, address):
    refused(app, client, "email", email=address)


def test_short_password_is_refused(app, client):
    refused(app, client, "password", password="neun12345", password_confirm="neun12345")


def test_password_equal_to_username_or_email_is_refused(app, client):
    name = dict(GOOD, username="Sehrlangername")
    page = refused(app, client, "password", **dict(name, password="SEHRLANGERNAME"))
    assert "Benutzername" in html.unescape(field_error(page, "password"))
    refused(app, client, "password", password="Juergen@Example.org", password_confirm="x" * 10)


def test_password_confirmation_must_match(app, client):
    refused(app, client, "password_confirm", password_confirm="something else")


def test_username_unique_after_normalisation_and_case_folding(app, client, make):
    make.user("Jürgen")
    # "u" followed by a combining diaeresis is the same name, as is any case.
    for name in ("jürgen", "JÜRGEN", "ju\u0308rgen"):
        page = refused(app, client, "username", username=name)
        assert "vergeben" in html.unescape(field_error(page, "username"))


def test_strasse_and_strasse_with_sharp_s_are_one_name(app, client, make):
    make.user("Straße")
    refused(app, client, "username", username="STRASSE")


def test_email_unique_regardless_of_case(app, client, make, capsys):
    make.user("erste", email="Person@Example.org")
    response = register(client, **dict(GOOD, email="person@EXAMPLE.ORG"))
    assert response.status_code == 302
    assert user_count(app) == 1
    assert "gehört schon zu Ihrem Konto" in capsys.readouterr().out


def test_every_error_is_shown_at_its_field_and_input_is_kept(app, client, make):
    make.user("Vergeben", email="da@example.org")
    response = register(
        client,
        username="vergeben",
        email="da@example.org",
        password="kurz",
        password_confirm="anders",
    )
    assert response.status_code == 422
    page = response.text
    for field in ("username", "password", "password_confirm"):
        assert field_error(page, field), field
    # Names are public, addresses are not: a taken address is never named as such.
    assert not field_error(page, "email")
    assert input_value(page, "username") == "vergeben"
    assert input_value(page, "email") == "da@example.org"
    # Passwords are never sent back.
    assert not input_value(page, "password")
    assert "kurz" not in page
    assert 'aria-invalid="true"' in page


def test_english_messages_on_request(client):
    page = client.get("/register", headers={"Accept-Language": "en"})
    data = dict(GOOD, username="x", csrf_token=csrf_token(page.data))
    response = client.post("/register", data=data, headers={"Accept-Language": "en"})
    assert "3 to 30 letters" in response.text


def test_a_logged_in_member_is_sent_on(client, make):
    from tests.support import login_as

    login_as(client, make.user("schon"))
    response = client.get("/register?next=/topics/x")
    assert response.status_code == 302
    assert response.headers["Location"] == "/topics/x"


@pytest.mark.parametrize("token", [None, "falsch"])
def test_register_without_a_valid_csrf_token_changes_nothing(app, client, token):
    client.get("/register")
    data = dict(GOOD)
    if token:
        data["csrf_token"] = token
    response = client.post("/register", data=data)
    assert response.status_code == 400
    assert user_count(app) == 0
    assert logged_in_user_id(client) is None
