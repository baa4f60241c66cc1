"""Failed logins cannot be turned against an account's owner, and tell nothing by their cost.

Strangers failing from many addresses lock the account for addresses that failed; a right
password from an address without failures still logs in. Every checked attempt costs one
password hash, whether the name exists and however long the password is.
"""

from __future__ import annotations

import pytest
from werkzeug import security

from app.extensions import db
from app.services import accounts, throttle
from app.services.login_attempts import attempt_login
from tests.accounts_support import app_with, logged_in_user_id, login
from tests.support import PASSWORD, csrf_token, login_as

WRONG = "falsches Passwort"


@pytest.fixture
def limited(database_url, tmp_path):
    with app_with(database_url, tmp_path, RATELIMIT_ENABLED=True) as app:
        yield app


def attempt(app, name: str, password: str, address: str):  # noqa: ANN001, ANN201
    client = app.test_client()
    environ = {"REMOTE_ADDR": address}
    page = client.get("/login", environ_base=environ)
    data = {"csrf_token": csrf_token(page.data), "username": name, "password": password}
    response = client.post("/login", data=data, environ_base=environ)
    return response, client


def lock_from_many_addresses(app, name: str = "anna") -> None:  # noqa: ANN001
    for number in range(5):
        response, _ = attempt(app, name, WRONG, f"203.0.113.{number}")
        assert response.status_code == 401
    assert attempt(app, name, PASSWORD, "203.0.113.1")[0].status_code == 429


def test_the_owner_logs_in_from_an_address_without_failures(limited, make):
    user = make.user("anna")
    lock_from_many_addresses(limited)
    response, client = attempt(limited, "anna", PASSWORD, "198.51.100.7")
    assert response.status_code == 302
    assert logged_in_user_id(client) == user.get_id()


def test_a_guess_from_a_new_address_is_counted_and_that_address_then_waits(limited, make):
    make.user("anna")
    lock_from_many_addresses(limited)
    assert attempt(limited, "anna", WRONG, "198.51.100.8")[0].status_code == 401
    assert attempt(limited, "anna", PASSWORD, "198.51.100.8")[0].status_code == 429
    # Every address that failed waits with the right password too, the lock stays.
    for number in range(5):
        assert attempt(limited, "anna", PASSWORD, f"203.0.113.{number}")[0].status_code == 429


def test_an_address_that_failed_on_another_account_waits_too(limited, make):
    make.user("anna")
    make.user("berta")
    lock_from_many_addresses(limited)
    assert attempt(limited, "berta", WRONG, "198.51.100.9")[0].status_code == 401
    assert attempt(limited, "anna", PASSWORD, "198.51.100.9")[0].status_code == 429


def test_the_owners_login_under_a_lock_does_not_lift_it(limited, make):
    make.user("anna")
    lock_from_many_addresses(limited)
    assert attempt(limited, "anna", PASSWORD, "198.51.100.10")[0].status_code == 302
    assert attempt(limited, "anna", PASSWORD, "203.0.113.2")[0].status_code == 429


def test_unknown_names_behave_exactly_like_accounts_under_a_lock(limited, make):
    make.user("anna")
    lock_from_many_addresses(limited, "niemand")
    assert attempt(limited, "niemand", PASSWORD, "203.0.113.3")[0].status_code == 429
    assert attempt(limited, "niemand", PASSWORD, "198.51.100.11")[0].status_code == 401


def test_failed_logins_by_strangers_do_not_block_the_owners_account_page(limited, make):
    user = make.user("anna")
    lock_from_many_addresses(limited)
    client = limited.test_client()
    login_as(client, user)
    page = client.get("/account")
    new = "ein ganz neues Passwort"
    response = client.post(
        "/account/password",
        data={
            "password-csrf_token": csrf_token(page.data),
            "password-current_password": PASSWORD,
            "password-password": new,
            "password-password_confirm": new,
        },
    )
    assert response.status_code == 302


@pytest.fixture
def hashes(monkeypatch):
    """Counts the password checks, as the login code calls them."""
    calls: list[int] = []
    original = security.check_password_hash

    def counting(stored: str, password: str) -> bool:
        calls.append(len(password))
        return original(stored, password)

    monkeypatch.setattr(accounts, "check_password_hash", counting)
    return calls


@pytest.mark.parametrize(
    "login_name,password",
    [
        ("anna", PASSWORD),
        ("anna", WRONG),
        ("niemand", WRONG),
        ("niemand@example.org", PASSWORD),
        ("anna", "x" * (accounts.MAX_PASSWORD_LENGTH + 1)),
        ("niemand", "x" * (accounts.MAX_PASSWORD_LENGTH + 1)),
        ("anna", "x" * 100_000),
        ("x" * 300, WRONG),
        ("", WRONG),
    ],
)
def test_every_checked_attempt_costs_exactly_one_hash(app, make, hashes, login_name, password):
    make.user("anna")
    with app.app_context():
        attempt_login(db.session, throttle.for_app(app), "192.0.2.1", login_name, password)
    assert len(hashes) == 1
    assert hashes[0] <= accounts.MAX_PASSWORD_LENGTH


@pytest.mark.parametrize("login_name", ["anna", "niemand"])
def test_the_form_refuses_overlong_input_before_any_hash(app, make, hashes, login_name):
    make.user("anna")
    client = app.test_client()
    page = client.get("/login")
    assert f'maxlength="{accounts.MAX_PASSWORD_LENGTH}"' in page.text
    response = client.post(
        "/login",
        data={
            "csrf_token": csrf_token(page.data),
            "username": login_name,
            "password": "x" * (accounts.MAX_PASSWORD_LENGTH + 1),
        },
    )
    assert response.status_code == 422
    assert hashes == []


@pytest.mark.parametrize("login_name", ["anna", "niemand"])
def test_a_refused_attempt_costs_no_hash_for_known_and_unknown_names(
    limited, make, hashes, login_name
):
    make.user("anna")
    lock_from_many_addresses(limited, login_name)
    hashes.clear()
    assert attempt(limited, login_name, PASSWORD, "203.0.113.4")[0].status_code == 429
    assert hashes == []


def test_login_through_the_form_still_works(app, make):
    make.user("anna")
    assert login(app.test_client(), "anna", PASSWORD).status_code == 302
