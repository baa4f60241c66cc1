"""Confirming the email address: the mailed link, its expiry, sending it again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import render_template_string

from app.extensions import db
from app.models import User, utcnow
from app.permissions import can_write
from app.services import tokens
from tests.accounts_support import app_with, fetch_user, register, smtp_server
from tests.support import PASSWORD, csrf_token, login_as


@pytest.fixture
def mailbox():
    with smtp_server() as box:
        yield box


@pytest.fixture
def app(database_url, tmp_path, mailbox):
    settings = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": mailbox.port}
    with app_with(database_url, tmp_path, **settings) as application:
        yield application


def registered(app, client, mailbox):  # noqa: ANN001, ANN201
    response = register(
        client,
        username="Neu",
        email="neu@example.org",
        password=PASSWORD,
        password_confirm=PASSWORD,
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.query(User).one()
        db.session.expunge(user)
    return user


def test_registration_mails_a_link_that_confirms(app, client, mailbox):
    user = registered(app, client, mailbox)
    assert not user.is_confirmed and not can_write(user)
    [message] = mailbox.to("neu@example.org")
    assert "bestätigen" in message["Subject"]
    assert "48 Stunden" in mailbox.body(message)
    response = client.get(mailbox.link(message))
    assert response.status_code == 302
    assert response.headers["Location"] == "/account"
    confirmed = fetch_user(app, user.id)
    assert confirmed.is_confirmed and can_write(confirmed)
    assert "bestätigt" in client.get("/account").text


def test_the_link_works_and_logs_in_once_without_being_logged_in(app, client, mailbox):
    user = registered(app, client, mailbox)
    link = mailbox.link(mailbox.messages[0])
    stranger = app.test_client()
    response = stranger.get(link)
    # The first use logs in (registering did not); a second one only says it is done.
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    assert fetch_user(app, user.id).is_confirmed
    page = stranger.get("/account")
    assert page.status_code == 200 and "Ihre E-Mail-Adresse ist bestätigt" in page.text
    again = app.test_client().get(link)
    assert again.status_code == 302 and again.headers["Location"] == "/login"


def test_the_link_leads_back_to_where_the_member_registered_from(app, client, make, mailbox):
    article = make.article("Ein Beitrag")
    back = f"/articles/{article.slug}#comment-form"
    response = register(
        client,
        url=f"/register?next=/articles/{article.slug}%23comment-form",
        username="Neu",
        email="neu@example.org",
        password=PASSWORD,
        password_confirm=PASSWORD,
    )
    assert response.headers["Location"] == back
    [message] = mailbox.to("neu@example.org")
    response = client.get(mailbox.link(message))
    assert response.status_code == 302 and response.headers["Location"] == back
    stranger = app.test_client().get(mailbox.link(message))
    assert stranger.headers["Location"].startswith("/login?next=")


def test_a_foreign_next_in_the_link_is_ignored(app, client, mailbox):
    registered(app, client, mailbox)
    link = mailbox.link(mailbox.messages[0])
    assert "?" not in link  # registered without a place to return to
    link += "?next=//evil.example/"
    response = client.get(link)
    assert response.headers["Location"] == "/account"


def test_an_expired_link_confirms_nothing(app, client, make):
    user = make.user("alt", confirmed=False)
    with app.app_context():
        old = tokens.confirmation_token(
            app.config["SECRET_KEY"], user, utcnow() - timedelta(hours=48, minutes=1)
        )
        fresh = tokens.confirmation_token(
            app.config["SECRET_KEY"], user, utcnow() - timedelta(hours=47, minutes=59)
        )
    response = client.get(f"/confirm/{old}")
    assert response.status_code == 410
    assert "abgelaufen" in response.text
    assert not fetch_user(app, user.id).is_confirmed
    assert client.get(f"/confirm/{fresh}").status_code == 302
    assert fetch_user(app, user.id).is_confirmed


@pytest.mark.parametrize("mangle", [lambda t: t[:-2], lambda t: t + "x", lambda t: "x" + t])
def test_a_tampered_link_confirms_nothing(app, client, make, mangle):
    user = make.user("alt", confirmed=False)
    with app.app_context():
        token = tokens.confirmation_token(app.config["SECRET_KEY"], user, utcnow())
    assert client.get(f"/confirm/{mangle(token)}").status_code in (404, 410)
    assert not fetch_user(app, user.id).is_confirmed


def test_a_reset_link_is_no_confirmation_link(app, client, make):
    user = make.user("alt", confirmed=False)
    with app.app_context():
        token = tokens.reset_token(app.config["SECRET_KEY"], user, utcnow())
    assert client.get(f"/confirm/{token}").status_code == 404
    assert not fetch_user(app, user.id).is_confirmed


def test_a_link_for_an_earlier_address_does_not_confirm_the_new_one(app, client, make):
    user = make.user("alt", confirmed=False)
    with app.app_context():
        token = tokens.confirmation_token(app.config["SECRET_KEY"], user, utcnow())
        row = db.session.get(User, user.id)
        row.email, row.email_key = "neu@example.org", "neu@example.org"
        db.session.commit()
    assert client.get(f"/confirm/{token}").status_code == 404
    assert not fetch_user(app, user.id).is_confirmed


def test_unconfirmed_member_is_told_and_can_resend_a_limited_number_of_times(
    database_url, tmp_path, mailbox, make
):
    user = make.user("alt", confirmed=False)
    settings = {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": mailbox.port,
        "RATELIMIT_ENABLED": True,
        "CONFIRMATION_MAILS_PER_ACCOUNT": 2,
    }
    with app_with(database_url, tmp_path, **settings) as limited:
        client = limited.test_client()
        login_as(client, user)
        page = client.get("/account").text
        assert "Bitte bestätigen Sie Ihre E-Mail-Adresse" in page
        assert 'action="/confirm/resend?next=/account"' in page
        for _ in range(2):
            response = client.post(
                "/confirm/resend?next=/account", data={"csrf_token": csrf_token(page)}
            )
            assert response.headers["Location"] == "/account"
        assert len(mailbox.to("alt@example.org")) == 2
        response = client.post(
            "/confirm/resend", data={"csrf_token": csrf_token(page)}, follow_redirects=True
        )
        assert "mehrmals" in response.text
        assert len(mailbox.to("alt@example.org")) == 2
        for message in mailbox.messages:
            assert client.get(mailbox.link(message)).status_code == 302
        assert fetch_user(limited, user.id).is_confirmed


@pytest.mark.parametrize("token", [None, "falsch"])
def test_resend_without_a_valid_csrf_token_sends_nothing(client, make, mailbox, token):
    login_as(client, make.user("alt", confirmed=False))
    client.get("/account")
    response = client.post("/confirm/resend", data={"csrf_token": token} if token else {})
    assert response.status_code == 400
    assert mailbox.messages == []


def test_resend_needs_a_login(client, mailbox):
    page = client.get("/login").text
    response = client.post("/confirm/resend", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert mailbox.messages == []


def test_users_create_accounts_are_confirmed(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "Chefin",
            "--email",
            "chefin@example.org",
            "--role",
            "admin",
            "--password",
            PASSWORD,
        ]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.query(User).one()
        assert user.is_confirmed and can_write(user)


def test_the_write_blocked_partial_explains_and_offers_the_button(app, make):
    unconfirmed = make.user("alt", confirmed=False)
    template = '{% include "_partials/write_blocked.html" %}'
    with app.test_request_context("/articles/x"):
        from flask_login import login_user

        with app.app_context():
            login_user(db.session.get(User, unconfirmed.id))
            html = render_template_string(template)
    assert "alt@example.org" in html
    assert 'action="/confirm/resend?next=/articles/x"' in html
    assert "<button" in html
