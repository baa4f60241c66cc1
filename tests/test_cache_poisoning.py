"""No page of one person ever reaches another: whatever Cookie header a member sends.

Whether a request is a member's is decided by Flask-Login after its own loading, from the
cookies as Werkzeug parses them; a page is shared only when nobody is logged in and the
session is empty. So every spelling of the session cookie that Werkzeug accepts makes a
member's (private) page, and no spelling ever puts a member's page where readers get it.
"""

from __future__ import annotations

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.models import CommentStatus
from tests.accounts_support import login
from tests.cache_support import ENGLISH
from tests.support import PASSWORD, Factory

NAME = "Geheimniskraemerin"
HELD = "Mein zurückgehaltener Entwurf"


@pytest.fixture
def site(cached: Flask) -> dict:
    make = Factory(cached)
    article = make.article("Die Diskussion")
    member = make.user(NAME)
    make.comment(article, make.user("jemand"), "Ein sichtbarer Gedanke.")
    make.comment(article, member, HELD, status=CommentStatus.PENDING)
    client = cached.test_client()
    assert login(client, NAME, PASSWORD, remember=True).status_code in (302, 303)
    session_cookie = client.get_cookie("session").value
    remember_cookie = client.get_cookie("remember_token").value
    return {
        "paths": ["/", f"/articles/{article.slug}"],
        "session": session_cookie,
        "remember": remember_cookie,
    }


def _personal(text: str) -> bool:
    return NAME in text or "csrf_token" in text or HELD in text


def _assert_readers_are_clean(cached: Flask, site: dict) -> None:
    """The next anonymous readers get nothing of the member: no name, token, held comment."""
    reader = cached.test_client(use_cookies=False)
    for path in site["paths"]:
        for headers in (ENGLISH, {}):
            page = reader.get(path, headers=headers)
            assert page.status_code == 200
            assert not _personal(page.text), path
            assert "Set-Cookie" not in page.headers


def _ask(cached: Flask, site: dict, cookie_header: str) -> list:
    client = cached.test_client(use_cookies=False)
    answers = []
    for path in site["paths"]:
        response = client.get(path, headers={**ENGLISH, "Cookie": cookie_header})
        assert response.status_code == 200
        if _personal(response.text):  # a member's page: never shared
            assert response.headers["Cache-Control"] == "private, no-store"
            assert "ETag" not in response.headers
        answers.append(response)
    return answers


SPELLINGS = [
    "session={v}",
    "session ={v}",
    "session= {v}",
    "session\t={v}",
    " session={v}",
    "\tsession={v}",
    "other=1; session={v}",
    "other=1;session={v}; more=2",
    'session="{v}"',
    "session={v}; session=not-a-session",
    "session={v};",
    "session  =  {v}",
    "theme=dark; session ={v}; lang=de",
]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_of_the_session_cookie_gets_the_members_page(cached, site, spelling):
    for path in site["paths"]:  # readers first: their pages are kept now
        cached.test_client(use_cookies=False).get(path, headers=ENGLISH)
    answers = _ask(cached, site, spelling.format(v=site["session"]))
    for response in answers:
        if NAME in response.text:  # Werkzeug accepted the spelling: the member's own page
            assert HELD in response.text or response.request.path == "/"
    _assert_readers_are_clean(cached, site)


def test_the_plain_spellings_are_recognised(cached, site):
    """The test above checks something: the usual spellings do log the member in."""
    for spelling in ("session={v}", "other=1; session={v}", 'session="{v}"'):
        answers = _ask(cached, site, spelling.format(v=site["session"]))
        assert all(NAME in response.text for response in answers), spelling


def test_duplicate_names_never_feed_a_shared_page(cached, site):
    for cookie in (
        f"session=not-a-session; session={site['session']}",
        f"session={site['session']}; session={site['session']}",
        f"session=; session={site['session']}",
    ):
        _ask(cached, site, cookie)
    _assert_readers_are_clean(cached, site)


def test_a_return_with_only_the_remember_cookie_gets_the_members_page(cached, site):
    for path in site["paths"]:
        cached.test_client(use_cookies=False).get(path, headers=ENGLISH)  # kept for readers
    for cookie in (
        f"remember_token={site['remember']}",
        f"remember_token ={site['remember']}",
        f'other=1; remember_token="{site["remember"]}"',
    ):
        client = cached.test_client(use_cookies=False)
        article = client.get(site["paths"][1], headers={**ENGLISH, "Cookie": cookie})
        assert NAME in article.text and HELD in article.text, cookie
        assert article.headers["Cache-Control"] == "private, no-store"
    _assert_readers_are_clean(cached, site)


NAMES = st.sampled_from(["session", "remember_token", "other", "Session", "sess", "lang"])
SPACE = st.sampled_from(["", " ", "\t", "  ", " \t"])
SEPARATOR = st.sampled_from([";", "; ", ";\t", " ;", ","])


@st.composite
def cookie_headers(draw: st.DrawFn, values: dict) -> str:
    pieces = []
    for _ in range(draw(st.integers(1, 4))):
        name = draw(NAMES)
        kind = draw(st.sampled_from(["session", "remember", "junk", "empty"]))
        choices = {**values, "junk": "x" * draw(st.integers(1, 8)), "empty": ""}
        value = choices[kind]
        if draw(st.booleans()):
            value = f'"{value}"'
        pieces.append(f"{draw(SPACE)}{name}{draw(SPACE)}={draw(SPACE)}{value}{draw(SPACE)}")
    return draw(SEPARATOR).join(pieces)


def test_generated_cookie_headers_never_get_or_feed_a_shared_members_page(cached, site):
    values = {"session": site["session"], "remember": site["remember"]}

    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(cookie_headers(values))
    def check(header: str) -> None:
        _ask(cached, site, header)
        _assert_readers_are_clean(cached, site)

    check()
