"""A forgotten password: the same answer for every address, a link that works once."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import User, utcnow
from app.services import tokens
from tests.accounts_support import app_with, fetch_user, logged_in_user_id, login, smtp_server
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


def ask(client, address: str):  # noqa: ANN001, ANN201
    page = client.get("/reset")
    return client.post(
        "/reset",
        data={"csrf_token": csrf_token(page.data), "email": address},
        follow_redirects=True,
    )


def choose(client, link: str, password: str = NEW, confirm: str | None = None):  # noqa: ANN001, ANN201
    page = client.get(link)
    assert page.status_code == 200, page.text
    data = {
        "csrf_token": csrf_token(page.data),
        "password": password,
        "password_confirm": password if confirm is None else confirm,
    }
    return client.post(link, data=data)


def main_part(page: str) -> str:
    """The page's content without its CSRF token (whose signature carries the second)."""
    main = re.search(r"<main.*</main>", page, re.S).group(0)
    return main.replace(csrf_token(main), "")


def test_reset_by_mail_and_log_in_with_the_new_password(app, client, make, mailbox):
    user = make.user("anna")
    answer = ask(client, "ANNA@example.org")
    assert answer.status_code == 200
    assert "Falls ein Konto diese Adresse hat" in answer.text
    [message] = mailbox.to("anna@example.org")
    assert "60 Minuten" in mailbox.body(message)
    link = mailbox.link(message)
    response = choose(client, link)
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert login(client, "anna", PASSWORD).status_code == 401
    assert login(client, "anna", NEW).status_code == 302
    assert logged_in_user_id(client) == fetch_user(app, user.id).get_id()


def test_the_answer_is_the_same_for_unknown_addresses(client, make, mailbox):
    make.user("anna")
    known = ask(client, "anna@example.org").text
    unknown = ask(client, "niemand@example.org").text
    assert main_part(known) == main_part(unknown)
    assert len(mailbox.messages) == 1


def test_a_deleted_account_gets_no_mail(app, client, make, mailbox):
    from app.services.account_data import erase_account

    user = make.user("anna")
    with app.app_context():
        erase_account(db.session.get(User, user.id), utcnow())
        db.session.commit()
    ask(client, "anna@example.org")
    assert mailbox.messages == []


def test_the_link_works_once(app, client, make, mailbox):
    make.user("anna")
    ask(client, "anna@example.org")
    link = mailbox.link(mailbox.messages[0])
    assert choose(client, link).status_code == 302
    again = client.get(link)
    assert again.status_code == 410
    assert "schon benutzt" in again.text
    page = client.get("/reset")
    response = client.post(
        link,
        data={
            "csrf_token": csrf_token(page.data),
            "password": "x" * 12,
            "password_confirm": "x" * 12,
        },
    )
    assert response.status_code == 410
    assert login(client, "anna", NEW).status_code == 302


def test_the_link_expires_after_an_hour(app, client, make):
    user = make.user("anna")
    with app.app_context():
        row = db.session.get(User, user.id)
        late = tokens.reset_token(app.config["SECRET_KEY"], row, utcnow() - timedelta(minutes=61))
        fresh = tokens.reset_token(app.config["SECRET_KEY"], row, utcnow() - timedelta(minutes=59))
    response = client.get(f"/reset/{late}")
    assert response.status_code == 410 and "abgelaufen" in response.text
    assert client.get(f"/reset/{fresh}").status_code == 200


def test_a_confirmation_link_is_no_reset_link(app, client, make):
    user = make.user("anna")
    with app.app_context():
        token = tokens.confirmation_token(app.config["SECRET_KEY"], user, utcnow())
    assert client.get(f"/reset/{token}").status_code == 410


@pytest.mark.parametrize(
    "password,confirm,field_text",
    [
        ("kurz", None, "mindestens"),
        ("anna", None, "mindestens"),
        ("anna@example.org", None, "Benutzername"),
        ("ANNA@EXAMPLE.ORG", None, "Benutzername"),
        (NEW, "etwas anderes", "nicht überein"),
    ],
)
def test_the_new_password_obeys_the_rules(
    app, client, make, mailbox, password, confirm, field_text
):
    user = make.user("anna")
    ask(client, "anna@example.org")
    link = mailbox.link(mailbox.messages[0])
    response = choose(client, link, password, confirm)
    assert response.status_code == 422
    assert field_text in response.text
    assert fetch_user(app, user.id).password_hash == user.password_hash
    # The link still works after a refusal.
    assert choose(client, link).status_code == 302


def test_a_reset_logs_out_everywhere_and_confirms_the_address(app, client, make, mailbox):
    user = make.user("anna", confirmed=False)
    elsewhere = app.test_client()
    login_as(elsewhere, user)
    assert 'href="/account"' in elsewhere.get("/").text
    ask(client, "anna@example.org")
    choose(client, mailbox.link(mailbox.messages[0]))
    assert 'href="/account"' not in elsewhere.get("/").text
    assert fetch_user(app, user.id).is_confirmed


def test_an_invalid_address_is_shown_at_its_field(client, mailbox):
    page = client.get("/reset")
    response = client.post("/reset", data={"csrf_token": csrf_token(page.data), "email": "kein"})
    assert response.status_code == 422
    assert 'id="email-error"' in response.text
    assert 'value="kein"' in response.text
    assert mailbox.messages == []


def test_mails_per_account_are_limited_silently(database_url, tmp_path, make, mailbox):
    make.user("anna")
    settings = {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": mailbox.port,
        "RATELIMIT_ENABLED": True,
        "RESET_MAILS_PER_ACCOUNT": 2,
    }
    with app_with(database_url, tmp_path, **settings) as limited:
        client = limited.test_client()
        answers = [main_part(ask(client, "anna@example.org").text) for _ in range(3)]
        assert answers[0] == answers[1] == answers[2]
        assert len(mailbox.messages) == 2


def test_requests_per_address_are_limited(database_url, tmp_path, make, mailbox):
    make.user("anna")
    settings = {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": mailbox.port,
        "RATELIMIT_ENABLED": True,
        "RESET_REQUESTS_PER_ADDRESS": 2,
    }
    with app_with(database_url, tmp_path, **settings) as limited:
        client = limited.test_client()
        ask(client, "x@example.org")
        ask(client, "y@example.org")
        page = client.get("/reset")
        response = client.post(
            "/reset", data={"csrf_token": csrf_token(page.data), "email": "anna@example.org"}
        )
        assert response.status_code == 429
        assert "Zu viele Anfragen" in response.text
        assert mailbox.messages == []


@pytest.mark.parametrize("token", [None, "falsch"])
def test_reset_forms_without_a_valid_csrf_token_change_nothing(app, client, make, mailbox, token):
    user = make.user("anna")
    client.get("/reset")
    data = {"email": "anna@example.org"} | ({"csrf_token": token} if token else {})
    assert client.post("/reset", data=data).status_code == 400
    assert mailbox.messages == []
    with app.app_context():
        link = "/reset/" + tokens.reset_token(
            app.config["SECRET_KEY"], db.session.get(User, user.id), utcnow()
        )
    client.get(link)
    data = {"password": NEW, "password_confirm": NEW} | ({"csrf_token": token} if token else {})
    assert client.post(link, data=data).status_code == 400
    assert fetch_user(app, user.id).password_hash == user.password_hash


def test_without_a_mail_server_the_mail_is_printed(database_url, tmp_path, make, capsys):
    make.user("anna")
    with app_with(database_url, tmp_path) as console:
        ask(console.test_client(), "anna@example.org")
    printed = capsys.readouterr().out
    assert "To: anna@example.org" in printed
    assert "http://localhost/reset/" in printed
