"""Logging out ends the login: copies of the cookies taken before no longer log anyone in."""

from __future__ import annotations

import pytest

from tests.accounts_support import app_with, fetch_user, logged_in_user_id, login
from tests.support import PASSWORD, csrf_token

COOKIES = ("session", "remember_token")


def captured(client) -> dict[str, str]:  # noqa: ANN001
    return {name: client.get_cookie(name).value for name in COOKIES if client.get_cookie(name)}


def replay(app, cookies: dict[str, str]):  # noqa: ANN001, ANN201
    """A browser that only has the copied cookies."""
    other = app.test_client()
    for name, value in cookies.items():
        other.set_cookie(name, value)
    return other


def logged_in(client) -> bool:  # noqa: ANN001
    return client.get("/account").status_code == 200


def log_out(client):  # noqa: ANN001, ANN201
    page = client.get("/account")
    return client.post("/logout", data={"csrf_token": csrf_token(page.data)})


@pytest.mark.parametrize("cache_mb", [0, 32])
def test_cookies_copied_before_logout_no_longer_log_in(database_url, tmp_path, make, cache_mb):
    user = make.user("anna")
    article = make.article()
    with app_with(database_url, tmp_path, PAGE_CACHE=bool(cache_mb)) as app:
        client = app.test_client()
        assert login(client, "anna", PASSWORD, remember=True).status_code == 302
        client.get("/")  # the welcome message is shown and gone
        cookies = captured(client)
        assert set(cookies) == set(COOKIES)
        # The copies work while the login lasts (and the article page keeps its shell).
        for _ in range(2):
            assert "anna" in replay(app, cookies).get(f"/articles/{article.slug}").text
        assert logged_in(replay(app, cookies))

        assert log_out(client).status_code == 302
        assert not logged_in(client)
        assert not logged_in(replay(app, cookies))
        assert not logged_in(replay(app, {"session": cookies["session"]}))
        assert not logged_in(replay(app, {"remember_token": cookies["remember_token"]}))
        page = replay(app, cookies).get(f"/articles/{article.slug}").text
        assert "anna" not in page and "/logout" not in page
        assert fetch_user(app, user.id).session_version == user.session_version + 1


def test_logging_out_ends_the_login_on_other_devices_too(app, make):
    make.user("anna")
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, "anna", PASSWORD)
    login(phone, "anna", PASSWORD, remember=True)
    log_out(laptop)
    assert not logged_in(phone)
    assert login(phone, "anna", PASSWORD).status_code == 302  # and a new login works


def test_log_out_on_every_other_device_keeps_this_one(app, make):
    user = make.user("anna")
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, "anna", PASSWORD, remember=True)
    login(phone, "anna", PASSWORD, remember=True)
    stolen = captured(phone)
    page = laptop.get("/account")
    assert 'action="/account/sessions"' in page.text
    response = laptop.post("/account/sessions", data={"csrf_token": csrf_token(page.data)})
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    assert "auf allen anderen Geräten abgemeldet" in laptop.get("/account").text
    assert logged_in(laptop)
    assert logged_in_user_id(laptop) == fetch_user(app, user.id).get_id()
    assert not logged_in(phone)
    assert not logged_in(replay(app, stolen))


def test_log_out_on_other_devices_needs_the_csrf_token(app, make):
    user = make.user("anna")
    client = app.test_client()
    login(client, "anna", PASSWORD)
    for data in ({}, {"csrf_token": "forged"}):
        assert client.post("/account/sessions", data=data).status_code == 400
    assert fetch_user(app, user.id).session_version == user.session_version
    assert app.test_client().post("/account/sessions").status_code in (302, 400)


def test_logout_needs_a_post_with_the_token(app, make):
    user = make.user("anna")
    client = app.test_client()
    login(client, "anna", PASSWORD)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout", data={}).status_code == 400
    assert logged_in(client)
    assert fetch_user(app, user.id).session_version == user.session_version
