"""Links in mails come from BASE_URL alone; in production unknown hosts are refused."""

from __future__ import annotations

import re

import pytest

from tests.accounts_support import app_with, login, smtp_server
from tests.support import PASSWORD, csrf_token

SITE = "https://diskurs.example.org"
FORGED = [
    {"Host": "evil.example"},
    {"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http"},
    {"Host": "evil.example", "X-Forwarded-Host": "evil.example:8443"},
]


@pytest.fixture
def mailbox():
    with smtp_server() as box:
        yield box


@pytest.fixture
def app(database_url, tmp_path, mailbox):
    """Development settings (no host list), a proxy believed: the forged headers get in."""
    settings = {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": mailbox.port,
        "BASE_URL": SITE,
        "TRUSTED_PROXIES": 1,
    }
    with app_with(database_url, tmp_path, **settings) as application:
        yield application


def links(mailbox) -> list[str]:  # noqa: ANN001
    found = []
    for message in mailbox.messages:
        found += re.findall(r"https?://\S+", mailbox.body(message))
    return found


def form(client, url: str, headers: dict, action: str | None = None, **fields: str):  # noqa: ANN001, ANN201
    page = client.get(url, headers=headers)
    fields.setdefault("csrf_token", csrf_token(page.data))
    return client.post(action or url, data=fields, headers=headers)


@pytest.mark.parametrize("headers", FORGED)
def test_no_mail_link_follows_a_forged_host(app, make, mailbox, headers):
    make.user("anna", email="anna@example.org", confirmed=False)
    client = app.test_client()
    new = {"password": "lange genug 123", "password_confirm": "lange genug 123"}
    # Registration: a confirmation link, and the owner of a taken address is told.
    form(client, "/register", headers, username="neu", email="neu@example.org", **new)
    form(client, "/register", headers, username="neu2", email="anna@example.org", **new)
    # A forgotten password.
    form(client, "/reset", headers, email="anna@example.org")
    # Sending the confirmation again, and changing the address.
    assert login(client, "anna", PASSWORD, headers=headers).status_code == 302
    form(client, "/account", headers, "/confirm/resend")
    form(
        client,
        "/account",
        headers,
        "/account/email",
        **{"email-email": "anna2@example.org", "email-current_password": PASSWORD},
    )
    sent = links(mailbox)
    kinds = {"/confirm/", "/reset/", "/login", "/reset"}
    assert len(mailbox.messages) == 6
    assert all(any(kind in link for link in sent) for kind in kinds)
    assert sent and all(link.startswith(SITE + "/") for link in sent), sent


@pytest.fixture
def production(database_url, tmp_path):
    def build(**settings):  # noqa: ANN003, ANN202
        return app_with(
            database_url, tmp_path, ENV="production", BASE_URL=SITE, TRUSTED_PROXIES=1, **settings
        )

    return build


@pytest.mark.parametrize("cache_mb", [0, 32])
def test_production_refuses_unknown_hosts(production, make, cache_mb):
    article = make.article()
    with production(PAGE_CACHE=bool(cache_mb)) as app:
        assert app.config["TRUSTED_HOSTS"] == ["diskurs.example.org"]
        client = app.test_client()
        for path in ("/", f"/articles/{article.slug}", "/login", "/healthz"):
            for _ in range(2):  # the second time a kept page could answer
                assert client.get(path, base_url=SITE).status_code == 200, path
            for headers in FORGED:
                response = client.get(path, base_url=SITE, headers=headers)
                assert response.status_code == 400, (path, headers)
        assert client.post("/login", base_url="https://evil.example").status_code == 400


def test_production_refuses_unknown_hosts_to_members_with_kept_pages(production, make):
    make.user("anna")
    article = make.article()
    with production(PAGE_CACHE=True) as app:
        client = app.test_client()
        page = client.get("/login", base_url=SITE)
        fields = {"username": "anna", "password": PASSWORD, "csrf_token": csrf_token(page.data)}
        referer = {"Referer": f"{SITE}/login"}  # checked by the CSRF protection over HTTPS
        response = client.post("/login", data=fields, base_url=SITE, headers=referer)
        assert response.status_code == 302
        url = f"{SITE}/articles/{article.slug}"
        for _ in range(3):
            assert "anna" in client.get(url).text
        # The same session cookie, sent to another host (a client matches cookies by host).
        value = client.get_cookie("session", domain="diskurs.example.org").value
        forged = app.test_client()
        forged.set_cookie("session", value, domain="evil.example")
        response = forged.get(f"https://evil.example/articles/{article.slug}")
        assert response.status_code == 400


def test_trusted_hosts_is_a_setting(production):
    hosts = ["diskurs.example.org", "www.diskurs.example.org", ".diskurs.example.net"]
    with production(TRUSTED_HOSTS=hosts) as app:
        client = app.test_client()
        for host in ("www.diskurs.example.org", "a.diskurs.example.net"):
            assert client.get("/", headers={"Host": host}).status_code == 200, host
        assert client.get("/", headers={"Host": "diskurs.example.com"}).status_code == 400


def test_development_answers_any_host_by_default(client):
    assert client.get("/", headers={"Host": "192.168.1.20:5000"}).status_code == 200
