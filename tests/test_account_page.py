"""The account page: password, email address, language, own comments, data download."""

from __future__ import annotations

import json

import pytest

from app.models import CommentStatus
from tests.accounts_support import (
    app_with,
    fetch_user,
    field_error,
    logged_in_user_id,
    login,
    smtp_server,
)
from tests.support import PASSWORD, csrf_token, login_as

NEW = "ein ganz neues Passwort"


@pytest.fixture
def mailbox():
    with smtp_server() as box:
        yield box


@pytest.fixture
def app(database_url, tmp_path, mailbox):
    settings = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": mailbox.port}
    with app_with(database_url, tmp_path, **settings) as application:
        yield application


def post(client, action: str, **fields):  # noqa: ANN001, ANN003, ANN201
    page = client.get("/account")
    return client.post(action, data=dict(fields, csrf_token=csrf_token(page.data)))


def test_the_account_page_needs_a_login(client):
    for path in ("/account", "/account/comments", "/account/export"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")


def test_the_account_page_shows_the_member(client, make):
    login_as(client, make.user("Jürgen", email="j@example.org"))
    response = client.get("/account")
    assert response.status_code == 200
    assert "Jürgen" in response.text and "j@example.org" in response.text
    assert "no-store" in response.headers["Cache-Control"]


def test_change_password_needs_the_old_one_and_logs_out_elsewhere(app, client, make):
    user = make.user("anna")
    login(client, "anna", PASSWORD, remember=True)
    elsewhere = app.test_client()
    login(elsewhere, "anna", PASSWORD)
    wrong = post(
        client,
        "/account/password",
        **{
            "password-current_password": "falsch falsch",
            "password-password": NEW,
            "password-password_confirm": NEW,
        },
    )
    assert wrong.status_code == 422
    assert field_error(wrong.text, "password-current_password")
    assert fetch_user(app, user.id).password_hash == user.password_hash
    response = post(
        client,
        "/account/password",
        **{
            "password-current_password": PASSWORD,
            "password-password": NEW,
            "password-password_confirm": NEW,
        },
    )
    assert response.status_code == 302
    changed = fetch_user(app, user.id)
    assert changed.session_version == user.session_version + 1
    # This browser stays logged in, even after its session cookie is gone (remember me)...
    assert logged_in_user_id(client) == changed.get_id()
    client.delete_cookie("session")
    assert 'href="/account"' in client.get("/").text
    # ...the other one is logged out.
    assert 'href="/account"' not in elsewhere.get("/").text
    assert login(elsewhere, "anna", NEW).status_code == 302


@pytest.mark.parametrize(
    "new,confirm,field",
    [
        ("kurz", "kurz", "password-password"),
        ("anna@example.org", "anna@example.org", "password-password"),
        (NEW, "anders als neu", "password-password_confirm"),
    ],
)
def test_the_new_password_obeys_the_rules(app, client, make, new, confirm, field):
    user = make.user("anna")
    login_as(client, user)
    response = post(
        client,
        "/account/password",
        **{
            "password-current_password": PASSWORD,
            "password-password": new,
            "password-password_confirm": confirm,
        },
    )
    assert response.status_code == 422
    assert field_error(response.text, field)
    assert fetch_user(app, user.id).password_hash == user.password_hash


def test_wrong_current_passwords_are_throttled_like_logins(database_url, tmp_path, make):
    user = make.user("anna")
    with app_with(database_url, tmp_path, RATELIMIT_ENABLED=True) as limited:
        client = limited.test_client()
        login_as(client, user)
        fields = {"password-password": NEW, "password-password_confirm": NEW}
        for _ in range(5):
            response = post(
                client,
                "/account/password",
                **fields,
                **{"password-current_password": "falsch falsch"},
            )
            assert response.status_code == 422
        response = post(
            client, "/account/password", **fields, **{"password-current_password": PASSWORD}
        )
        assert response.status_code == 429
        assert "Zu viele falsche Passwörter" in response.text
        assert fetch_user(limited, user.id).password_hash == user.password_hash


def test_change_email_needs_the_password_and_a_new_confirmation(app, client, make, mailbox):
    user = make.user("anna")
    login_as(client, user)
    wrong = post(
        client,
        "/account/email",
        **{"email-email": "neu@example.org", "email-current_password": "falsch!!!!"},
    )
    assert wrong.status_code == 422
    assert field_error(wrong.text, "email-current_password")
    assert 'value="neu@example.org"' in wrong.text
    assert fetch_user(app, user.id).email == "anna@example.org"
    response = post(
        client,
        "/account/email",
        **{"email-email": "Neu@Example.org", "email-current_password": PASSWORD},
    )
    assert response.status_code == 302
    changed = fetch_user(app, user.id)
    assert changed.email == "Neu@example.org" and not changed.is_confirmed
    [confirmation] = mailbox.to("Neu@example.org")
    [notice] = mailbox.to("anna@example.org")
    assert "Neu@example.org" in mailbox.body(notice)
    assert client.get(mailbox.link(confirmation)).status_code == 302
    assert fetch_user(app, user.id).is_confirmed
    assert login(app.test_client(), "neu@example.org", PASSWORD).status_code == 302


@pytest.mark.parametrize("address", ["kein", "berta@EXAMPLE.org"])
def test_change_email_refuses_bad_or_taken_addresses(app, client, make, mailbox, address):
    make.user("berta")
    user = make.user("anna")
    login_as(client, user)
    response = post(
        client, "/account/email", **{"email-email": address, "email-current_password": PASSWORD}
    )
    assert response.status_code == 422
    assert field_error(response.text, "email-email")
    assert fetch_user(app, user.id).email == "anna@example.org"
    assert mailbox.messages == []


def test_choose_the_language_over_the_browsers(app, client, make):
    user = make.user("anna")
    login_as(client, user)
    english = {"Accept-Language": "en"}
    assert "Log out" in client.get("/", headers=english).text
    response = post(client, "/account/language", **{"language-locale": "de"})
    assert response.status_code == 302
    assert fetch_user(app, user.id).locale == "de"
    assert "Abmelden" in client.get("/", headers=english).text
    post(client, "/account/language", **{"language-locale": ""})
    assert fetch_user(app, user.id).locale is None
    assert "Log out" in client.get("/", headers=english).text


def test_an_unknown_language_is_refused(app, client, make):
    user = make.user("anna")
    login_as(client, user)
    response = post(client, "/account/language", **{"language-locale": "fr"})
    assert response.status_code == 422
    assert fetch_user(app, user.id).locale is None


def test_own_comments_are_listed_with_article_date_and_status(client, make):
    author, other = make.user("anna"), make.user("berta")
    article = make.article("Über Banken")
    make.comment(article, author, "Sichtbar *hier*")
    make.comment(article, author, "Noch in Prüfung", status=CommentStatus.PENDING)
    make.comment(article, author, "Verborgen", status=CommentStatus.HIDDEN)
    make.comment(article, other, "Von Berta")
    login_as(client, author)
    page = client.get("/account").text
    assert "Sichtbar <em>hier</em>" in page
    assert "wartet auf Prüfung" in page and "verborgen" in page and "sichtbar" in page
    assert f'href="/articles/{article.slug}#comment-' in page
    assert "Über Banken" in page and "<time" in page
    assert "Von Berta" not in page


def test_all_own_comments_are_paged(client, make):
    author = make.user("anna")
    article = make.article()
    for number in range(30):
        make.comment(article, author, f"Kommentar Nummer {number}")
    login_as(client, author)
    assert "(30)" in client.get("/account").text
    first = client.get("/account/comments").text
    assert "Kommentar Nummer 29" in first and "Kommentar Nummer 0<" not in first
    second = client.get("/account/comments?page=2").text
    assert "Kommentar Nummer 0" in second
    assert client.get("/account/comments?page=9").status_code == 404


def test_download_the_data_as_json(client, make):
    author = make.user("anna")
    article = make.article("Über Banken")
    make.comment(article, author, "Mein Kommentar")
    make.comment(article, make.user("berta"), "Fremder Kommentar")
    login_as(client, author)
    response = client.get("/account/export")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.data)
    assert data["profile"]["username"] == "anna"
    assert data["profile"]["email"] == "anna@example.org"
    assert "password_hash" not in json.dumps(data)
    [comment] = data["comments"]
    assert comment["body"] == "Mein Kommentar"
    assert comment["article"]["title"] == "Über Banken"
    assert comment["status"] == "visible"
    assert data["notifications"]["settings"]["reply_mails"] is True
    assert data["notifications"]["following"] == []


@pytest.mark.parametrize("token", [None, "falsch"])
@pytest.mark.parametrize(
    "action,fields",
    [
        (
            "/account/password",
            {
                "password-current_password": PASSWORD,
                "password-password": NEW,
                "password-password_confirm": NEW,
            },
        ),
        ("/account/email", {"email-email": "neu@example.org", "email-current_password": PASSWORD}),
        ("/account/language", {"language-locale": "en"}),
        ("/account/delete", {"delete-password": PASSWORD}),
    ],
)
def test_account_forms_without_a_valid_csrf_token_change_nothing(
    app, client, make, mailbox, token, action, fields
):
    user = make.user("anna")
    login_as(client, user)
    client.get("/account")
    data = dict(fields) | ({"csrf_token": token} if token else {})
    assert client.post(action, data=data).status_code == 400
    after = fetch_user(app, user.id)
    for column in ("password_hash", "email", "locale", "state", "session_version", "username"):
        assert getattr(after, column) == getattr(user, column), column
    assert mailbox.messages == []
