"""nginx's cache rules of deploy/nginx/diskurs.conf, against a stand-in application.

The real application's pages prove the rules only for what it answers today; this stand-in
answers each kind of header on request, so every rule is seen to hold: only answers marked
``public`` are kept, never one that sets a cookie, never for a request with a session, each
language apart, and only on the paths of readers' pages; and the forwarded headers the
application believes are nginx's own. Needs nginx only.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from tests.deploy.stack import NGINX, Nginx, Process, free_port, wait_for
from tests.deploy.web import Client
from tests.support import require

pytestmark = pytest.mark.deploy


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Visitors]:
    require(NGINX is not None, "nginx is not installed (apt-get install nginx)")
    folder = tmp_path_factory.mktemp("cache-rules")
    port, front = free_port(), free_port()
    command = [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}"]
    upstream = Process("upstream", [*command, "tests.deploy.upstream_app:app"], {}, folder)
    nginx = Nginx(front, [port], folder, probe="/pages/ready")
    upstream.start()
    try:
        wait_for(lambda: _answers(port), 30, "the stand-in did not start")
        nginx.start()
        try:
            yield Visitors(front)
        finally:
            nginx.stop()
    finally:
        upstream.stop()


class Visitors:
    """Each request from a new visitor: no cookie carried over from an earlier answer."""

    def __init__(self, port: int) -> None:
        self.port = port

    def get(self, path: str, **options) -> object:  # noqa: ANN003
        return Client(self.port).get(path, **options)


def _answers(port: int) -> bool:
    try:
        return Client(port).get("/").status == 200
    except OSError:
        return False


def _twice(client: Visitors, path: str, **options) -> tuple:  # noqa: ANN003
    return client.get(path, **options), client.get(path, **options)


def test_an_answer_marked_public_is_kept(proxy):
    first, second = _twice(proxy, "/articles/kept?cc=public")
    assert first.header("X-Cache-Status") == "MISS"
    assert second.header("X-Cache-Status") == "HIT"
    assert second.body == first.body  # nginx's copy: the stand-in was not asked again


@pytest.mark.parametrize("control", ["max-age", "private", ""])
def test_an_answer_not_marked_public_is_never_kept(proxy, control):
    first, second = _twice(proxy, f"/articles/not-{control or 'marked'}?cc={control}")
    assert second.header("X-Cache-Status") != "HIT"
    assert second.body != first.body


def test_an_answer_that_sets_a_cookie_is_never_kept(proxy):
    first, second = _twice(proxy, "/articles/cookie?cc=public&cookie=1")
    assert second.header("X-Cache-Status") != "HIT"
    assert second.body != first.body


def test_a_request_with_a_session_is_neither_answered_nor_stored_from_the_cache(proxy):
    path = "/articles/session?cc=public"
    member = {"Cookie": "session=abc"}
    first, second = _twice(proxy, path, headers=member)
    assert first.header("X-Cache-Status") == second.header("X-Cache-Status") == "BYPASS"
    assert first.body != second.body
    reader = proxy.get(path)
    assert reader.header("X-Cache-Status") == "MISS"  # the member's answer was not kept
    remembered = proxy.get(path, headers={"Cookie": "remember_token=abc"})
    assert remembered.header("X-Cache-Status") == "BYPASS"


def test_each_language_is_kept_apart(proxy):
    path = "/articles/languages?cc=public"
    german = _twice(proxy, path, headers={"Accept-Language": "de"})
    english = _twice(proxy, path, headers={"Accept-Language": "en"})
    assert german[1].header("X-Cache-Status") == english[1].header("X-Cache-Status") == "HIT"
    assert german[1].body.endswith(b"for de\n")
    assert english[1].body.endswith(b"for en\n")


def test_other_paths_never_go_through_the_cache(proxy):
    for path in ("/search?q=x&cc=public", "/login?cc=public", "/moderation/?cc=public"):
        first, second = _twice(proxy, path)
        assert second.header("X-Cache-Status") is None
        assert second.body != first.body


def test_the_forwarded_headers_are_nginx_s_whatever_the_client_sends(proxy):
    spoofed = {
        "X-Forwarded-For": "203.0.113.9",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "evil.example",
        "X-Forwarded-Port": "443",
        "X-Forwarded-Prefix": "/evil",
    }
    answer = proxy.get("/login?echo=1", headers=spoofed)
    seen = dict(line.split("=", 1) for line in answer.text.splitlines())
    # The application believes one hop (TRUSTED_PROXIES=1): the last address, which nginx
    # appended, is the client's real one; the rest is nginx's own.
    assert seen["X_FORWARDED_FOR"].split(",")[-1].strip() == "127.0.0.1"
    assert seen["X_FORWARDED_PROTO"] == "http"
    assert seen["X_FORWARDED_HOST"] == seen["HOST"] == "127.0.0.1"
    assert seen["X_FORWARDED_PORT"] == seen["X_FORWARDED_PREFIX"] == ""
