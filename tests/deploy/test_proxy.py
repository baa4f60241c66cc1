"""What nginx itself does with the repository's configuration.

Static files come from disk with long cache headers; only answers the application marked
``public`` are kept (never one that sets a cookie, never for a request with a session), each
language apart; bodies over 3 MiB are refused in front; the forwarded headers are nginx's
own, whatever a client sends.
"""

from __future__ import annotations

import gzip
import re
import time

import pytest

from tests.deploy.web import Client
from tests.support import PASSWORD, csrf_token

pytestmark = [pytest.mark.deploy, pytest.mark.postgres, pytest.mark.redis]


def _logs(stack) -> str:  # noqa: ANN001
    return "".join(instance.output() for instance in stack.instances)


def test_static_files_are_served_by_nginx_with_long_cache_headers(stack):
    page = stack.client().get(f"/articles/{stack.slug}")
    found = re.search(r'href="(/static/css/site\.css\?v=[0-9a-f]+)"', page.text)
    assert found, "the stylesheet's address carries its version"
    versioned = stack.client().get(found.group(1))
    assert versioned.status == 200
    assert "max-age=31536000" in versioned.header("Cache-Control")
    assert versioned.header("Content-Type").startswith("text/css")
    plain = stack.client().get("/static/icons/icon.svg")
    assert plain.status == 200
    assert "max-age=3600" in plain.header("Cache-Control")
    assert stack.client().get("/static/css/none.css").status == 404
    assert "/static/" not in _logs(stack)  # no instance saw any of these


def _kept_after(client: Client, path: str, **options) -> tuple[object, object]:  # noqa: ANN003
    first = client.get(path, **options)
    second = client.get(path, **options)
    return first, second


def test_only_what_the_application_marks_public_is_kept(stack):
    path = f"/articles/{stack.slug}"
    first, second = _kept_after(stack.client(), path)
    assert first.status == second.status == 200
    control = (first.header("Cache-Control") or "").lower()
    if "public" in control and "max-age=0" not in control:
        assert second.header("X-Cache-Status") in ("HIT", "UPDATING", "STALE")
    else:
        assert second.header("X-Cache-Status") in (None, "MISS", "EXPIRED", "BYPASS")
    # The login page sets a cookie (its CSRF session): never kept.
    for answer in _kept_after(stack.client(), "/login"):
        assert answer.all("Set-Cookie")
        assert answer.header("X-Cache-Status") != "HIT"
    # Pages the application marks private are never kept.
    for answer in _kept_after(stack.client(), "/search?q=Leser"):
        assert "public" not in (answer.header("Cache-Control") or "")
        assert answer.header("X-Cache-Status") != "HIT"


def test_a_request_with_a_session_always_reaches_the_application(stack):
    member = stack.member("dirk")
    path = f"/articles/{stack.slug}"
    stack.client().get(path)  # a reader's copy, if kept
    for answer in _kept_after(member, path):
        assert answer.header("X-Cache-Status") == "BYPASS"
        assert "dirk" in answer.text
        assert "public" not in (answer.header("Cache-Control") or "")


def test_each_language_gets_its_own_page(stack):
    path = f"/articles/{stack.slug}"
    for _ in range(2):
        german = stack.client().get(path, headers={"Accept-Language": "de-DE,de;q=0.9"})
        english = stack.client().get(path, headers={"Accept-Language": "en-GB,en;q=0.8"})
        assert '<html lang="de"' in german.text
        assert '<html lang="en"' in english.text


def test_a_body_over_three_megabytes_is_refused_by_nginx(stack):
    reader = stack.client()
    sent = f"POST /articles/{stack.slug}/comments"
    before = _logs(stack).count(sent)
    big = b"body=" + b"x" * (3 * 1024 * 1024 + 10)
    answer = reader.request(
        "POST",
        f"/articles/{stack.slug}/comments",
        body=big,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert answer.status == 413
    time.sleep(0.5)  # the access log is written after the answer
    assert _logs(stack).count(sent) == before  # no instance read it


def test_forwarded_headers_are_nginx_s_own(stack):
    reader = stack.client()
    # A host the site does not serve is refused by the application behind nginx ...
    assert reader.get("/healthz", headers={"Host": "evil.example"}).status == 400
    # ... and a client cannot smuggle one in through X-Forwarded-Host: nginx sets it.
    spoofed = reader.get("/healthz", headers={"X-Forwarded-Host": "evil.example"})
    assert spoofed.status == 200
    # The scheme likewise. An instance believes one hop's X-Forwarded-Proto: told "https",
    # it checks a form's Referer as over HTTPS (and this request sends none) ...
    direct = stack.client(stack.instances[0].port)
    page = direct.get("/login")
    data = {"csrf_token": csrf_token(page.body), "username": "gustav", "password": PASSWORD}
    told = direct.post("/login", data, headers={"X-Forwarded-Proto": "https"})
    assert told.status == 400
    # ... but through nginx a client's "https" over plain HTTP is replaced by what nginx saw.
    through = stack.client()
    page = through.get("/login")
    data["csrf_token"] = csrf_token(page.body)
    assert through.post("/login", data, headers={"X-Forwarded-Proto": "https"}).status == 302


def test_pages_and_stylesheets_are_compressed_for_browsers_that_ask(stack):
    reader = stack.client()
    page = reader.get(f"/articles/{stack.slug}", headers={"Accept-Encoding": "gzip"})
    assert page.header("Content-Encoding") == "gzip"
    assert gzip.decompress(page.body).startswith(b"<!DOCTYPE html>")
    css = reader.get("/static/css/site.css", headers={"Accept-Encoding": "gzip"})
    assert css.header("Content-Encoding") == "gzip"
    assert reader.get(f"/articles/{stack.slug}").header("Content-Encoding") is None
