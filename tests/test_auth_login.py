"""Logging in and out: by name or email, remember me, failures, ``next``, the session."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import User
from tests.accounts_support import logged_in_user_id, login
from tests.support import PASSWORD, csrf_token, login_as

FAILURE = "Benutzername, E-Mail-Adresse oder Passwort stimmen nicht."


@pytest.mark.parametrize("typed", ["Jürgen", "jürgen", "JÜRGEN", "Juergen@Example.org"])
def test_login_with_username_or_email_in_any_case(client, make, typed):
    user = make.user("Jürgen", email="juergen@example.org")
    response = login(client, typed, PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert logged_in_user_id(client) == user.get_id()
    page = client.get("/").text
    assert 'href="/account"' in page and "Jürgen" in page


@pytest.mark.parametrize(
    "typed,password",
    [
        ("anna", "wrong password"),
        ("niemand", PASSWORD),
        ("niemand@example.org", PASSWORD),
        ("anna", PASSWORD.upper()),
        ("", PASSWORD),
        ("anna", ""),
    ],
)
def test_failed_login_says_so_without_telling_which_part(client, make, typed, password):
    make.user("anna")
    response = login(client, typed, password)
    assert response.status_code in (401, 422)
    assert logged_in_user_id(client) is None
    if response.status_code == 401:
        assert FAILURE in response.text
    # The name typed is kept, the password never sent back.
    if typed:
        assert f'value="{typed}"' in response.text
    if password:
        assert password not in response.text


def test_wrong_password_and_unknown_name_look_the_same(client, make):
    make.user("anna")
    wrong = login(client, "anna", "falsches passwort").text
    unknown = login(client, "berta", "falsches passwort").text

    def comparable(page: str, name: str) -> str:
        page = re.sub(r'name="csrf_token"[^>]*value="[^"]*"', "TOKEN", page)
        return page.replace(name, "NAME").split("<main")[1]

    assert comparable(wrong, "anna") == comparable(unknown, "berta")


@pytest.mark.parametrize(
    "target,expected",
    [
        ("/articles/x%23comment-form", "/articles/x#comment-form"),
        ("%2Farticles%2Fx%23comment-form", "/articles/x#comment-form"),
        ("/articles/x%253Fa%23comment-form", "/articles/x%3Fa#comment-form"),
        ("/articles/x%3Fdraft%3DTOKEN%23comment-form", "/articles/x?draft=TOKEN#comment-form"),
        ("/articles/x%2523comment-form", "/articles/x#comment-form"),
        ("/account", "/account"),
        ("//evil.example/", "/"),
        ("///evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("%2F%5Cevil.example", "/"),
        ("\\\\evil.example", "/"),
        ("https://evil.example/", "/"),
        ("http:/evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("JaVaScRiPt:alert(1)", "/"),
        ("data:text/html,x", "/"),
        ("/%09/evil.example", "/"),
        ("%09//evil.example", "/"),
        ("/%0a/evil.example", "/"),
        ("evil.example", "/"),
        ("", "/"),
    ],
)
def test_next_is_followed_only_to_a_path_of_this_site(client, make, target, expected):
    make.user("anna")
    response = login(client, "anna", PASSWORD, next_path=target)
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_login_form_carries_next_through_the_post(client):
    page = client.get("/login?next=/articles/x%3Fdraft%3DT%23comment-form").text
    assert 'action="/login?next=/articles/x?draft%3DT%23comment-form"' in page


def test_next_from_login_required_page(client, make):
    make.user("anna")
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    response = login(client, "anna", PASSWORD, next_path="%2Faccount")
    assert response.headers["Location"] == "/account"


def test_header_links_lead_back_to_this_page(client, make):
    article = make.article("Ein Beitrag")
    page = client.get(f"/articles/{article.slug}").text
    assert f'href="/login?next=/articles/{article.slug}"' in page
    assert f'href="/register?next=/articles/{article.slug}"' in page


def test_login_renews_the_session(client, make):
    user = make.user("anna")
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
        before = session.get("csrf_token")
    assert before
    login(client, "anna", PASSWORD)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("csrf_token") != before
        assert session["_user_id"] == f"{user.id}:{user.session_version}"


def test_remember_me_sets_a_lasting_cookie(client, make):
    make.user("anna")
    login(client, "anna", PASSWORD, remember=True)
    cookie = client.get_cookie("remember_token")
    assert cookie is not None and cookie.expires is not None
    # A new browser session (no session cookie) is still logged in.
    client.delete_cookie("session")
    assert 'href="/account"' in client.get("/").text


def test_without_remember_me_no_lasting_cookie(client, make):
    make.user("anna")
    login(client, "anna", PASSWORD)
    assert client.get_cookie("remember_token") is None
    assert client.get_cookie("session").expires is None


def test_raising_session_version_logs_out_everywhere(app, client, make):
    user = make.user("anna")
    other = app.test_client()
    login(client, "anna", PASSWORD, remember=True)
    login(other, "anna", PASSWORD)
    with app.app_context():
        db.session.get(User, user.id).session_version += 1
        db.session.commit()
    for browser in (client, other):
        assert 'href="/account"' not in browser.get("/").text
    client.delete_cookie("session")
    assert 'href="/account"' not in client.get("/").text  # the remember cookie is dead too


def test_logout_is_a_post_with_a_button_in_the_header(client, make):
    make.user("anna")
    login(client, "anna", PASSWORD, remember=True)
    page = client.get("/").text
    assert 'action="/logout"' in page and "Abmelden" in page
    assert client.get("/logout").status_code == 405
    assert logged_in_user_id(client) is not None
    response = client.post("/logout", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    assert logged_in_user_id(client) is None
    assert client.get_cookie("remember_token") is None
    assert "Anmelden" in client.get("/").text


@pytest.mark.parametrize("token", [None, "falsch"])
def test_logout_without_a_valid_csrf_token_changes_nothing(client, make, token):
    user = make.user("anna")
    login_as(client, user)
    response = client.post("/logout", data={"csrf_token": token} if token else {})
    assert response.status_code == 400
    assert logged_in_user_id(client) == user.get_id()


@pytest.mark.parametrize("token", [None, "falsch"])
def test_login_without_a_valid_csrf_token_changes_nothing(client, make, token):
    make.user("anna")
    client.get("/login")
    data = {"username": "anna", "password": PASSWORD}
    if token:
        data["csrf_token"] = token
    assert client.post("/login", data=data).status_code == 400
    assert logged_in_user_id(client) is None


def test_a_deleted_account_cannot_log_in(app, client, make):
    from app.models import utcnow
    from app.services.account_data import erase_account

    user = make.user("anna")
    with app.app_context():
        erase_account(db.session.get(User, user.id), utcnow())
        db.session.commit()
    for typed in ("anna", "anna@example.org"):
        response = login(client, typed, PASSWORD)
        assert response.status_code == 401
        assert logged_in_user_id(client) is None
    # An old session of the account ends as well.
    login_as(client, user)
    assert 'href="/account"' not in client.get("/").text


def test_cookies_are_httponly_lax_and_secure_in_production(database_url, tmp_path, make):
    from tests.accounts_support import app_with

    make.user("anna")
    with app_with(database_url, tmp_path, ENV="production") as production:
        browser = production.test_client()
        page = browser.get("/login", base_url="https://localhost")
        data = {
            "csrf_token": csrf_token(page.data),
            "username": "anna",
            "password": PASSWORD,
            "remember": "y",
        }
        # Over HTTPS the CSRF check also wants a Referer of this site, as browsers send.
        response = browser.post(
            "/login",
            data=data,
            base_url="https://localhost",
            headers={"Referer": "https://localhost/login"},
        )
        assert response.status_code == 302
        cookies = response.headers.getlist("Set-Cookie")
        for name in ("session=", "remember_token="):
            cookie = next(c for c in cookies if c.startswith(name))
            assert "HttpOnly" in cookie
            assert "SameSite=Lax" in cookie
            assert "Secure" in cookie


def test_cookies_are_not_secure_in_development(client, make):
    make.user("anna")
    response = login(client, "anna", PASSWORD)
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_password_is_stored_as_scrypt_hash(app, make):
    user = make.user("anna")
    assert user.password_hash.startswith("scrypt:")
    assert PASSWORD not in user.password_hash
    column = User.__table__.c.password_hash
    assert column.type.length >= len(user.password_hash) + 40
