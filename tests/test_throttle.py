"""Throttles: failed logins per account and per address, registrations, proxies, Redis."""

from __future__ import annotations

import time
import uuid

import pytest

from tests.accounts_support import app_with, logged_in_user_id, login, register
from tests.support import PASSWORD, REDIS_URL, csrf_token, redis_available, require

REFUSED = "Zu viele Versuche"


@pytest.fixture
def limited(database_url, tmp_path):
    """An app with the throttles on, and small limits."""

    def build(**settings):  # noqa: ANN003, ANN202
        settings = {"RATELIMIT_ENABLED": True, **settings}
        return app_with(database_url, tmp_path, **settings)

    return build


def fail(client, name: str, times: int, **kwargs) -> None:  # noqa: ANN001, ANN003
    for _ in range(times):
        assert login(client, name, "falsches Passwort", **kwargs).status_code == 401


def post_login(client, name: str, password: str, address: str | None = None, forwarded=None):  # noqa: ANN001, ANN201
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    environ = {"REMOTE_ADDR": address} if address else {}
    page = client.get("/login", headers=headers, environ_base=environ)
    data = {"csrf_token": csrf_token(page.data), "username": name, "password": password}
    return client.post("/login", data=data, headers=headers, environ_base=environ)


def test_five_failures_for_one_account_lock_it(limited, make):
    make.user("anna")
    make.user("berta")
    with limited() as app:
        client = app.test_client()
        fail(client, "anna", 3)
        fail(client, "ANNA@example.org", 2)  # by email it is the same account
        refused = login(client, "anna", PASSWORD)
        assert refused.status_code == 429
        assert REFUSED in refused.text and "Minuten" in refused.text
        assert logged_in_user_id(client) is None
        # An address with failures of its own waits, even with the right password ...
        assert post_login(app.test_client(), "anna", PASSWORD, "127.0.0.1").status_code == 429
        # ... but the lock keeps nobody out who has not failed: see test_login_lockout.py.
        # Another account from the same address is not affected.
        assert login(client, "berta", PASSWORD).status_code == 302


def test_unknown_names_are_locked_the_same_way(limited):
    with limited() as app:
        client = app.test_client()
        fail(client, "niemand", 5)
        response = login(client, "niemand", PASSWORD)
        assert response.status_code == 429 and REFUSED in response.text


def test_twenty_failures_from_one_address_lock_the_address(limited, make):
    make.user("anna")
    with limited() as app:
        client = app.test_client()
        for number in range(20):
            fail(client, f"name{number}", 1)
        assert login(client, "anna", PASSWORD).status_code == 429
        assert post_login(app.test_client(), "anna", PASSWORD, "10.2.2.2").status_code == 302


def test_a_success_clears_the_account_count(limited, make):
    make.user("anna")
    with limited() as app:
        client = app.test_client()
        fail(client, "anna", 4)
        assert login(client, "anna", PASSWORD).status_code == 302
        other = app.test_client()
        fail(other, "anna", 4)
        assert login(other, "anna", PASSWORD).status_code == 302


def test_the_lock_ends_when_the_window_has_passed(limited, make):
    make.user("anna")
    with limited(LOGIN_FAILURE_WINDOW_SECONDS=1, LOGIN_FAILURES_PER_ACCOUNT=2) as app:
        client = app.test_client()
        fail(client, "anna", 2)
        assert login(client, "anna", PASSWORD).status_code == 429
        time.sleep(1.2)
        assert login(client, "anna", PASSWORD).status_code == 302


def test_limits_are_settings(limited, make):
    make.user("anna")
    with limited(LOGIN_FAILURES_PER_ACCOUNT=2) as app:
        client = app.test_client()
        fail(client, "anna", 2)
        assert login(client, "anna", PASSWORD).status_code == 429


def test_disabled_throttle_counts_nothing(limited, make):
    make.user("anna")
    with limited(RATELIMIT_ENABLED=False) as app:
        client = app.test_client()
        fail(client, "anna", 8)
        assert login(client, "anna", PASSWORD).status_code == 302


def test_registrations_are_limited_per_address(limited):
    with limited(REGISTRATIONS_PER_ADDRESS=2) as app:
        client = app.test_client()
        for number in range(2):
            fields = {
                "username": f"neu{number}",
                "email": f"neu{number}@example.org",
                "password": PASSWORD,
                "password_confirm": PASSWORD,
            }
            assert register(client, **fields).status_code == 302
        fields = dict(fields, username="neu9", email="neu9@example.org")
        response = register(client, **fields)
        assert response.status_code == 429
        assert REFUSED in response.text
        assert 'value="neu9"' in response.text  # what was typed is kept
        # Another browser from the same address is refused too; another address is not.
        assert register(app.test_client(), **fields).status_code == 429
        assert post_register(app, "10.3.3.3", fields).status_code == 302


def post_register(app, address: str, fields: dict):  # noqa: ANN001, ANN201
    client = app.test_client()
    page = client.get("/register", environ_base={"REMOTE_ADDR": address})
    data = dict(fields, csrf_token=csrf_token(page.data))
    return client.post("/register", data=data, environ_base={"REMOTE_ADDR": address})


@pytest.mark.parametrize("hops", [0, 1])
def test_forwarded_addresses_are_believed_only_from_trusted_proxies(limited, hops):
    with limited(TRUSTED_PROXIES=hops, LOGIN_FAILURES_PER_ADDRESS=3) as app:
        client = app.test_client()
        # Different names, so that only the address count can refuse.
        for number in range(3):
            response = post_login(
                client, f"name{number}", "x" * 12, forwarded=f"203.0.113.{number}"
            )
            assert response.status_code == 401
        response = post_login(client, "name9", "x" * 12, forwarded="203.0.113.9")
        if hops == 0:
            # The header is ignored: all came from the one real address.
            assert response.status_code == 429
        else:
            # Believed: each forwarded address has its own count...
            assert response.status_code == 401
            for number in range(2):
                post_login(client, f"other{number}", "x" * 12, forwarded="203.0.113.9")
            # ...and one address that fails often enough is refused.
            assert post_login(client, "name8", "x" * 12, forwarded="203.0.113.9").status_code == 429


@pytest.mark.redis
def test_two_app_instances_share_one_count_in_redis(limited, make):
    require(redis_available(), "Redis is not reachable at 127.0.0.1:6379")
    import redis

    prefix = f"diskurs-test-{uuid.uuid4().hex[:12]}"
    make.user("anna")
    settings = {"RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": prefix}
    try:
        with limited(**settings) as first, limited(**settings) as second:
            assert first is not second
            fail(first.test_client(), "anna", 3)
            fail(second.test_client(), "anna", 2)
            assert login(first.test_client(), "anna", PASSWORD).status_code == 429
            assert login(second.test_client(), "anna", PASSWORD).status_code == 429
        # With memory storage, two instances count separately.
        with limited() as third, limited() as fourth:
            fail(third.test_client(), "anna", 3)
            fail(fourth.test_client(), "anna", 2)
            assert login(third.test_client(), "anna", PASSWORD).status_code == 302
    finally:
        connection = redis.Redis.from_url(REDIS_URL)
        keys = list(connection.scan_iter(f"{prefix}*"))
        if keys:
            connection.delete(*keys)
        connection.close()
