"""Readers' pages as HTTP answers: the headers a proxy may rely on, 304s without rendering,
and members' answers that nothing may keep."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask

from app.models import utcnow
from tests.cache_support import ENGLISH, logged_in, statements
from tests.comment_helpers import post_comment

READER_PATHS = ("/", "/topics", "/feed.atom", "/comments.atom", "/sitemap.xml")


@pytest.fixture
def site(cached: Flask) -> dict:
    from tests.support import Factory

    make = Factory(cached)
    article = make.article("Über Zinsen", topics=["Geld"])
    author = make.user("kommentatorin")
    make.comment(
        article, author, "Ein sichtbarer Gedanke.", created_at=utcnow() - timedelta(days=1)
    )
    return {"make": make, "article": article, "author": author}


def _reader_paths(site: dict) -> list[str]:
    slug = site["article"].slug
    return [
        *READER_PATHS,
        f"/articles/{slug}",
        f"/articles/{slug}/comments.atom",
        "/topics/geld",
        "/topics/geld/feed.atom",
    ]


def test_reader_answers_carry_the_shared_headers_and_no_cookie(cached, site):
    reader = cached.test_client()
    for path in _reader_paths(site):
        for _ in range(2):  # rendered, then kept
            response = reader.get(path, headers=ENGLISH)
            assert response.status_code == 200, path
            control = response.cache_control
            assert control.public and not control.private, path
            assert control.max_age == 10, path
            assert control.stale_while_revalidate == 60, path
            assert response.headers["ETag"].startswith('"'), path
            assert response.last_modified is not None, path
            assert {"cookie", "accept-language"} <= {v.lower() for v in response.vary}, path
            assert "Set-Cookie" not in response.headers, path
            assert "csrf_token" not in response.text, path
        assert reader.get_cookie("session") is None


def test_settings_change_the_shared_headers(database_url, tmp_path):
    from tests.conftest import make_app

    app = make_app(database_url, tmp_path, READER_MAX_AGE=30, READER_STALE_SECONDS=5)
    response = app.test_client().get("/")
    assert response.cache_control.max_age == 30
    assert response.cache_control.stale_while_revalidate == 5


def test_a_matching_validator_answers_304_after_one_statement(cached, site, reader_clock):
    reader = cached.test_client()
    for path in _reader_paths(site):
        first = reader.get(path, headers=ENGLISH)
        reader_clock.advance()  # what the worker read for the first answer has aged out
        with statements(cached) as seen:
            again = reader.get(path, headers={**ENGLISH, "If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304, path
        assert again.data == b""
        assert again.headers["ETag"] == first.headers["ETag"]
        assert again.cache_control.public
        assert len(seen) == 1 and "cache_versions" in seen[0], seen
        # Within the second after, the versions just read answer: no statement at all.
        with statements(cached) as seen:
            third = reader.get(path, headers={**ENGLISH, "If-None-Match": first.headers["ETag"]})
        assert third.status_code == 304 and seen == [], path
        # If-Modified-Since alone works too.
        since = reader.get(
            path, headers={**ENGLISH, "If-Modified-Since": first.headers["Last-Modified"]}
        )
        assert since.status_code == 304, path


def test_a_304_renders_nothing_even_when_nothing_is_kept(cached, site, reader_clock):
    from app.caching.store import store_of

    reader = cached.test_client()
    path = f"/articles/{site['article'].slug}"
    first = reader.get(path, headers=ENGLISH)
    store_of(cached).clear()
    reader_clock.advance()
    with statements(cached) as seen:
        again = reader.get(path, headers={**ENGLISH, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and len(seen) == 1


def test_member_answers_are_private(cached, site):
    member = logged_in(cached, "kommentatorin")
    for path in [*_reader_paths(site), "/account", "/notifications"]:
        response = member.get(path, headers=ENGLISH)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "private, no-store", path
        assert "ETag" not in response.headers, path
    # A member sending a reader's validator still gets their own page.
    reader_tag = cached.test_client().get("/", headers=ENGLISH).headers["ETag"]
    answer = member.get("/", headers={**ENGLISH, "If-None-Match": reader_tag})
    assert answer.status_code == 200 and "kommentatorin" in answer.text


def test_posts_and_flashed_pages_are_private(cached, site):
    member = logged_in(cached, "kommentatorin")
    posted = post_comment(member, site["article"], "Noch ein Gedanke.")
    assert posted.status_code == 302
    assert posted.headers["Cache-Control"] == "private, no-store"
    # A reader whose session holds a flashed message gets it on a page of their own.
    reader = cached.test_client()
    with reader.session_transaction() as session:
        session["_flashes"] = [("info", "Eine Nachricht nur für dich.")]
    page = reader.get("/", headers=ENGLISH)
    assert "Eine Nachricht nur für dich." in page.text
    assert page.headers["Cache-Control"] == "private, no-store"
    assert "ETag" not in page.headers
    # ... and it never reaches the next reader.
    assert "Eine Nachricht nur" not in cached.test_client().get("/", headers=ENGLISH).text


def test_the_moderation_queue_is_never_kept(cached, site):
    from app.models import UserRole

    site["make"].user("aufsicht", role=UserRole.MODERATOR)
    moderator = logged_in(cached, "aufsicht")
    response = moderator.get("/moderation/", headers=ENGLISH)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
