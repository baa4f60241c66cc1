"""Readers' pages: kept under versions read in one statement, and never stale.

Every event that changes what a reader sees must show on the very next request and change
the validator (ETag). The events go through the same services the site uses; a scheduled
publication becoming due is a change of the clock, not of the database, so the test moves
the article's time instead, and the clock by which a worker reuses readers' versions
(app/caching/recent.py) for up to a second.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from app.extensions import db
from app.models import Article
from app.services import publishing
from tests.cache_events import EVENTS, build_world
from tests.cache_support import ENGLISH, logged_in, statements
from tests.support import login_as


@pytest.fixture
def world(cached: Flask) -> dict[str, Any]:
    return build_world(cached)


@pytest.fixture
def reader(cached: Flask):  # noqa: ANN201
    return cached.test_client(use_cookies=False)


def _versions_only(seen: list[str]) -> bool:
    return len(seen) == 1 and "cache_versions" in seen[0]


def test_readers_get_the_kept_page_until_something_changes(cached, world, reader, reader_clock):
    for path in ("/", f"/articles/{world['middle'].slug}", "/?page=1", "/topics", "/feed.atom"):
        first = reader.get(path, headers=ENGLISH)
        assert first.status_code == 200
        with statements(cached) as seen:
            again = reader.get(path, headers=ENGLISH)
        assert again.data == first.data and seen == []  # within the second: nothing read
        reader_clock.advance()
        with statements(cached) as seen:
            again = reader.get(path, headers=ENGLISH)
        assert again.data == first.data
        assert again.headers["ETag"] == first.headers["ETag"]
        assert _versions_only(seen), seen  # nothing rendered: the kept page


def test_languages_are_kept_apart(cached, world, reader):
    path = f"/articles/{world['middle'].slug}"
    english = reader.get(path, headers=ENGLISH)
    german = reader.get(path, headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert "Comments" in english.text and "Kommentare" in german.text
    assert english.headers["ETag"] != german.headers["ETag"]
    assert reader.get(path, headers=ENGLISH).text == english.text
    assert reader.get(path).text == german.text  # the site's default language is German


def test_a_member_is_answered_for_themselves(cached, world, reader, reader_clock):
    path = f"/articles/{world['middle'].slug}"
    kept = reader.get(path, headers=ENGLISH).text
    member = cached.test_client()
    login_as(member, world["author"])
    page = member.get(path, headers=ENGLISH)
    assert page.headers["Cache-Control"] == "private, no-store"
    assert "ETag" not in page.headers
    assert "schreiberin" in page.text and "Ein wartender Gedanke." in page.text
    reader_clock.advance()
    with statements(cached) as seen:
        again = reader.get(path, headers=ENGLISH).text
    assert _versions_only(seen) and again == kept
    assert "Ein wartender Gedanke." not in again


def test_only_plain_pages_are_shared(cached, world, reader):
    draft = world["make"].article("Noch geheim", published_at=None)
    for path in (f"/articles/{draft.slug}", "/articles/gibt-es-nicht", "/?page=99"):
        response = reader.get(path)
        assert response.status_code == 404
        assert "ETag" not in response.headers and "public" not in response.headers.get(
            "Cache-Control", ""
        )
    old_slug = world["middle"].slug
    with cached.app_context():
        article = db.session.get(Article, world["middle"].id)
        publishing.change_slug(db.session, article, "neue-mitte")
        db.session.commit()
    moved = reader.get(f"/articles/{old_slug}")
    assert moved.status_code == 301 and "ETag" not in moved.headers


@pytest.mark.parametrize("change", EVENTS, ids=[e.__name__ for e in EVENTS])
def test_every_change_shows_on_the_next_request(cached, world, reader, reader_clock, change):
    paths = {"middle": f"/articles/{world['middle'].slug}", "home": "/"}

    def read(where: str) -> str:
        response = reader.get(paths[where], headers=ENGLISH)
        assert response.status_code == 200
        return response.text

    def etag(where: str) -> str:
        return reader.get(paths[where], headers=ENGLISH).headers["ETag"]

    world["read"] = read
    world["clock"] = reader_clock
    before = {where: read(where) for where in paths}
    tags = {where: etag(where) for where in paths}
    for where in paths:
        assert read(where) == before[where]  # kept
    where, appears, goes = change(cached, world)
    after = read(where)
    assert etag(where) != tags[where]
    # The old validator no longer answers 304.
    revalidated = reader.get(paths[where], headers={**ENGLISH, "If-None-Match": tags[where]})
    assert revalidated.status_code == 200
    if appears:
        assert appears in after and appears not in before[where]
    if goes:
        assert goes not in after and goes in before[where]


MEMBER_EVENTS = [event for event in EVENTS if not event.__name__.startswith("listed_")]


@pytest.mark.parametrize("change", MEMBER_EVENTS, ids=[e.__name__ for e in MEMBER_EVENTS])
def test_every_change_shows_to_a_member_on_the_next_request(cached, world, reader_clock, change):
    """The same events, seen by a member whose thread comes from kept pieces."""
    world["make"].user("gast")
    member = logged_in(cached, "gast")
    path = f"/articles/{world['middle'].slug}"

    def read(where: str) -> str:
        response = member.get(path if where == "middle" else "/", headers=ENGLISH)
        assert response.status_code == 200
        return response.text

    world["read"] = read
    world["clock"] = reader_clock
    before = read("middle")
    read("middle")
    where, appears, goes = change(cached, world)
    after = read(where)
    if appears:
        assert appears in after and appears not in before
    if goes and goes in before:  # (a member never saw the reader's login prompt)
        assert goes not in after


def test_kept_parts_of_pages_follow_the_page_they_are_on(cached, world, reader):
    """The header's topic navigation is kept by the site's versions, but marks the topic
    whose page it is on: two topics' pages never share it."""
    make = world["make"]
    make.article("Über Geld", topics=["Geld"])
    make.article("Über Zinsen", topics=["Zinsen"])
    for client in (reader, logged_in(cached, "schreiberin")):
        for slug, other in (("geld", "zinsen"), ("zinsen", "geld"), ("geld", "zinsen")):
            page = client.get(f"/topics/{slug}", headers=ENGLISH).text
            assert f'href="/topics/{slug}" aria-current="page"' in page
            assert f'href="/topics/{other}" aria-current="page"' not in page
        home = client.get("/", headers=ENGLISH).text
        assert 'aria-current="page"' not in home.split("topic-nav", 1)[1].split("</nav>", 1)[0]
