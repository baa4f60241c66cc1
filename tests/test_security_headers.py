"""Security headers on every response: pages, errors, static files, redirects, feeds, POSTs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from werkzeug.test import TestResponse

from tests.page_types import PAGE_TYPES, PageType, fetch
from tests.scene import client_as, scene_app, scene_of

HSTS = "max-age=31536000; includeSubDomains"


def parse_csp(value: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in value.split(";"):
        words = part.split()
        if words:
            assert words[0].lower() not in directives, f"directive twice: {words[0]}"
            directives[words[0].lower()] = words[1:]
    return directives


def assert_secure_headers(response: TestResponse, *, https: bool) -> None:
    headers = response.headers
    where = f"{response.request.method} {response.request.path} -> {response.status_code}"
    assert headers.getlist("Content-Security-Policy"), f"no CSP on {where}"
    assert len(headers.getlist("Content-Security-Policy")) == 1, f"two CSPs on {where}"
    csp = parse_csp(headers["Content-Security-Policy"])
    for kind in ("script-src", "style-src"):
        sources = csp.get(kind, csp.get("default-src"))
        assert sources, f"{kind} unrestricted on {where}"
        for weak in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"):
            assert weak not in sources, f"{kind} allows {weak} on {where}"
    assert csp.get("frame-ancestors") == ["'none'"], f"frame-ancestors on {where}"
    assert csp.get("object-src") == ["'none'"], f"object-src on {where}"
    assert csp.get("base-uri") in (["'none'"], ["'self'"]), f"base-uri on {where}"
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy") == "strict-origin-when-cross-origin", where
    if https:
        assert headers.get("Strict-Transport-Security") == HSTS, f"no HSTS on {where}"
    else:
        assert "Strict-Transport-Security" not in headers, f"HSTS over plain HTTP on {where}"


@pytest.fixture(scope="module")
def scene(
    database_template: str, database_kind: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    with scene_app(database_template, database_kind, tmp_path_factory.mktemp("headers")) as app:
        yield app


BASES = {"http": "http://localhost", "https": "https://localhost"}


@pytest.mark.parametrize("scheme", list(BASES))
@pytest.mark.parametrize("page_type", PAGE_TYPES, ids=lambda p: p.name)
def test_every_page_type_has_the_headers(scene: Flask, page_type: PageType, scheme: str) -> None:
    response = fetch(scene, page_type, base_url=BASES[scheme])
    assert response.status_code == page_type.status
    assert_secure_headers(response, https=scheme == "https")


def _simple_get_routes(app: Flask) -> list[str]:
    """Every GET route without parameters: a new page cannot be forgotten here."""
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in (rule.methods or ()) and not rule.arguments
    )


@pytest.mark.parametrize("scheme", list(BASES))
def test_every_route_without_parameters_has_the_headers(scene: Flask, scheme: str) -> None:
    routes = _simple_get_routes(scene)
    assert "/" in routes and "/healthz" in routes
    for role in (None, "member", "moderator", "admin"):
        client = client_as(scene, role)
        for route in routes:
            response = client.get(route, base_url=BASES[scheme])
            assert response.status_code != 500, f"{route} as {role}: {response.status_code}"
            assert_secure_headers(response, https=scheme == "https")


CASES = {
    "static stylesheet": ("GET", "/static/css/site.css", 200),
    "static script": ("GET", "/static/js/site.js", 200),
    "missing static file": ("GET", "/static/css/none.css", 404),
    "feed": ("GET", "/feed.atom", 200),
    "health check": ("GET", "/healthz", 200),
    "old slug redirect": ("GET", "/articles/{old_slug}", 301),
    "login redirect": ("GET", "/moderation/", 302),
    "trailing slash redirect": ("GET", "/moderation", 308),
    "permalink redirect": ("GET", "/comments/{comment}", 302),
    "comment feed": ("GET", "/articles/{article}/comments.atom", 200),
    "method not allowed": ("DELETE", "/", 405),
    "form without CSRF token": ("POST", "/login", 400),
    "unknown path": ("GET", "/nothing/here", 404),
}


@pytest.mark.parametrize("scheme", list(BASES))
@pytest.mark.parametrize("case", list(CASES))
def test_other_responses_have_the_headers(scene: Flask, case: str, scheme: str) -> None:
    method, path, status = CASES[case]
    paths = scene_of(scene).paths
    response = scene.test_client().open(
        path.format_map(paths), method=method, base_url=BASES[scheme]
    )
    assert response.status_code == status, f"{case}: {response.status_code}"
    assert_secure_headers(response, https=scheme == "https")


@pytest.mark.parametrize("scheme", list(BASES))
def test_an_unexpected_error_has_the_headers(database_url: str, tmp_path, scheme: str) -> None:
    from tests.conftest import make_app

    app = make_app(database_url, tmp_path, PROPAGATE_EXCEPTIONS=False)

    def broken() -> str:
        raise RuntimeError("a bug")

    app.add_url_rule("/broken", view_func=broken)
    response = app.test_client().get("/broken", base_url=BASES[scheme])
    assert response.status_code == 500
    assert_secure_headers(response, https=scheme == "https")


def test_hsts_follows_the_trusted_proxy(database_url: str, tmp_path) -> None:
    """Behind a proxy that terminates TLS, HSTS is sent only when the proxy is trusted."""
    from tests.conftest import make_app

    forwarded = {"X-Forwarded-Proto": "https"}
    trusting = make_app(database_url, tmp_path, TRUSTED_PROXIES=1).test_client()
    assert trusting.get("/", headers=forwarded).headers.get("Strict-Transport-Security") == HSTS
    doubting = make_app(database_url, tmp_path, TRUSTED_PROXIES=0).test_client()
    assert "Strict-Transport-Security" not in doubting.get("/", headers=forwarded).headers


def test_pages_answered_from_the_page_cache_have_the_headers(database_url: str, tmp_path) -> None:
    """Kept pages and 304s are answered by the views: they carry the headers too."""
    from tests.conftest import make_app
    from tests.support import Factory, login_as

    app = make_app(database_url, tmp_path, PAGE_CACHE=True)
    make = Factory(app)
    article = make.article("Zwischengespeichert")
    member = make.user("Leserin")
    reader, logged_in = app.test_client(), app.test_client()
    login_as(logged_in, member)
    for _ in range(3):
        for scheme, base_url in BASES.items():
            for client in (reader, logged_in):
                for path in ("/", f"/articles/{article.slug}"):
                    response = client.get(path, base_url=base_url)
                    assert response.status_code == 200
                    assert_secure_headers(response, https=scheme == "https")
                    if client is reader:
                        etag = response.headers["ETag"]
                        again = client.get(path, base_url=base_url, headers={"If-None-Match": etag})
                        assert again.status_code == 304
                        assert_secure_headers(again, https=scheme == "https")
