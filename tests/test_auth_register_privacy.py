"""Registering does not tell whether an address has an account; its owner is mailed instead."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select
from werkzeug import security

from app.extensions import db
from app.models import User
from app.services import accounts
from tests.accounts_support import app_with, logged_in_user_id, register, smtp_server
from tests.support import csrf_token

PASSWORD = "lange genug 123"


@pytest.fixture
def mailbox():
    with smtp_server() as box:
        yield box


@pytest.fixture
def app(database_url, tmp_path, mailbox):
    settings = {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": mailbox.port,
        "BASE_URL": "https://diskurs.example.org",
    }
    with app_with(database_url, tmp_path, **settings) as application:
        yield application


def attempt(app, username: str, email: str):  # noqa: ANN001, ANN201
    client = app.test_client()
    response = register(
        client, username=username, email=email, password=PASSWORD, password_confirm=PASSWORD
    )
    page = client.get(response.headers.get("Location", "/")).text
    return response, client, page


def shown(page: str, address: str) -> str:
    flashes = re.search(r'<div class="wrap flashes".*?</div>', page, re.S)
    assert flashes, "no message shown"
    return re.sub(re.escape(address), "ADDRESS", flashes.group(0), flags=re.IGNORECASE)


def users(app) -> int:  # noqa: ANN001
    with app.app_context():
        return db.session.scalar(select(func.count(User.id)))


def test_a_taken_address_gets_the_same_answer_as_a_free_one(app, make, mailbox):
    make.user("anna", email="anna@example.org")
    taken, taken_client, taken_page = attempt(app, "neue_anna", "Anna@Example.org")
    free, free_client, free_page = attempt(app, "berta", "berta@example.org")
    assert taken.status_code == free.status_code == 302
    assert taken.headers["Location"] == free.headers["Location"]
    assert shown(taken_page, "anna@example.org") == shown(free_page, "berta@example.org")
    assert logged_in_user_id(taken_client) is None and logged_in_user_id(free_client) is None
    assert users(app) == 2  # anna and berta; no second account for anna's address
    assert len(mailbox.to("anna@example.org")) == 1
    assert len(mailbox.to("berta@example.org")) == 1


def test_the_owner_is_told_in_their_language_with_links_to_the_site(app, make, mailbox):
    make.user("anna", email="anna@example.org", locale="en")
    attempt(app, "neue_anna", "anna@example.org")
    [message] = mailbox.to("anna@example.org")
    body = mailbox.body(message)
    assert "belongs to your account already" in body and "anna" in body
    links = re.findall(r"https?://\S+", body)
    assert links == ["https://diskurs.example.org/login", "https://diskurs.example.org/reset"]
    # A German owner in German, whatever language the page was in.
    make.user("berta", email="berta@example.org", locale="de")
    client = app.test_client()
    english = {"Accept-Language": "en"}
    page = client.get("/register", headers=english)
    fields = {"username": "neue_berta", "email": "berta@example.org"}
    fields.update(password=PASSWORD, password_confirm=PASSWORD, csrf_token=csrf_token(page.data))
    assert client.post("/register", data=fields, headers=english).status_code == 302
    [german] = mailbox.to("berta@example.org")
    assert "gehört schon zu Ihrem Konto" in mailbox.body(german)


def test_both_answers_cost_one_password_hash(app, make, monkeypatch):
    make.user("anna", email="anna@example.org")
    calls: list[str] = []
    original = security.generate_password_hash

    def counting(password: str, method: str = "scrypt", salt_length: int = 16) -> str:
        calls.append(password)
        return original(password, method, salt_length)

    monkeypatch.setattr(accounts, "generate_password_hash", counting)
    attempt(app, "neue_anna", "anna@example.org")
    assert len(calls) == 1
    attempt(app, "berta", "berta@example.org")
    assert len(calls) == 2


def test_a_taken_username_is_still_named(app, make, mailbox):
    make.user("anna", email="anna@example.org")
    response, _, _ = attempt(app, "Anna", "other@example.org")
    assert response.status_code == 422
    assert "vergeben" in response.text
    assert mailbox.messages == []


def test_the_owner_is_not_flooded(database_url, tmp_path, make, mailbox):
    make.user("anna", email="anna@example.org")
    settings = {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": mailbox.port,
        "RATELIMIT_ENABLED": True,
        "CONFIRMATION_MAILS_PER_ACCOUNT": 2,
    }
    with app_with(database_url, tmp_path, **settings) as limited:
        for number in range(4):
            response, _, _ = attempt(limited, f"neu{number}", "anna@example.org")
            assert response.status_code == 302
    assert len(mailbox.to("anna@example.org")) == 2


def test_the_address_of_a_deleted_account_is_free_again(app, make, mailbox):
    from app.models import utcnow
    from app.services.account_data import erase_account

    gone = make.user("alt", email="alt@example.org")
    with app.app_context():
        erase_account(db.session.get(User, gone.id), utcnow())
        db.session.commit()
    attempt(app, "neu", "alt@example.org")
    [message] = mailbox.to("alt@example.org")
    assert "/confirm/" in mailbox.body(message)
