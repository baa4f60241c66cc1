"""The page cache for readers without a session: served from memory, and never stale.

Every event that changes what a reader sees must show on the very next request. The events
go through the same services the site uses; a scheduled publication becoming due is a
change of the clock, not of the database, so the test moves the article's time instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from app.extensions import db
from app.models import Article
from app.services import publishing
from app.services.page_cache import cache_for
from tests.cache_support import ENGLISH, cached_app, logged_in, statements
from tests.page_cache_events import EVENTS, build_world
from tests.support import login_as


@pytest.fixture
def cached(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    yield from cached_app(database_url, tmp_path)


@pytest.fixture
def world(cached: Flask) -> dict[str, Any]:
    """Three public articles in a row (B in the middle), comments under B, the people."""
    return build_world(cached)


@pytest.fixture
def reader(cached: Flask):  # noqa: ANN201
    return cached.test_client(use_cookies=False)


def test_readers_get_the_kept_page_until_something_changes(cached, world, reader):
    cache = cache_for(cached)
    for path in ("/", f"/articles/{world['middle'].slug}", "/?page=1"):
        first = reader.get(path, headers=ENGLISH)
        assert first.status_code == 200
        hits = cache.hits
        with statements(cached) as seen:
            again = reader.get(path, headers=ENGLISH)
        assert again.data == first.data
        assert cache.hits == hits + 1
        assert seen == []  # the application was not even asked


def test_languages_are_kept_apart(cached, world, reader):
    path = f"/articles/{world['middle'].slug}"
    english = reader.get(path, headers=ENGLISH).text
    german = reader.get(path, headers={"Accept-Language": "de-DE,de;q=0.9"}).text
    assert "Comments" in english and "Kommentare" in german
    assert reader.get(path, headers=ENGLISH).text == english
    assert reader.get(path).text == german  # the site's default language is German


def test_a_session_goes_past_the_kept_page(cached, world, reader):
    path = f"/articles/{world['middle'].slug}"
    kept = reader.get(path, headers=ENGLISH).text
    member = cached.test_client()
    login_as(member, world["author"])
    with statements(cached) as seen:
        page = member.get(path, headers=ENGLISH).text
    assert seen  # the application answered
    assert "schreiberin" in page and "Ein wartender Gedanke." in page  # her own, waiting
    assert page != kept
    with statements(cached) as seen:
        again = reader.get(path, headers=ENGLISH).text
    assert seen == [] and again == kept
    assert "Ein wartender Gedanke." not in again


def test_only_plain_pages_are_kept(cached, world, reader):
    draft = world["make"].article("Noch geheim", published_at=None)
    for path in (f"/articles/{draft.slug}", "/articles/gibt-es-nicht", "/?page=99"):
        assert reader.get(path).status_code == 404
    old_slug = world["middle"].slug
    with cached.app_context():
        article = db.session.get(Article, world["middle"].id)
        publishing.change_slug(db.session, article, "neue-mitte")
        db.session.commit()
    assert reader.get(f"/articles/{old_slug}").status_code == 301
    assert cache_for(cached).count("front") == 0
    odd = reader.get(f"/articles/neue-mitte?reply_to={world['shown'].id}")
    assert odd.status_code == 200
    assert cache_for(cached).count("front") == 0


@pytest.mark.parametrize("change", EVENTS, ids=[e.__name__ for e in EVENTS])
def test_every_change_shows_on_the_next_request(cached, world, reader, change):
    paths = {"middle": f"/articles/{world['middle'].slug}", "home": "/"}

    def read(where: str) -> str:
        response = reader.get(paths[where], headers=ENGLISH)
        assert response.status_code == 200
        return response.text

    world["read"] = read
    before = {where: read(where) for where in paths}
    for where in paths:
        assert read(where) == before[where]  # kept
    where, appears, goes = change(cached, world)
    after = read(where)
    if appears:
        assert appears in after and appears not in before[where]
    if goes:
        assert goes not in after and goes in before[where]


MEMBER_EVENTS = [event for event in EVENTS if not event.__name__.startswith("listed_")]


@pytest.mark.parametrize("change", MEMBER_EVENTS, ids=[e.__name__ for e in MEMBER_EVENTS])
def test_every_change_shows_to_a_member_on_the_next_request(cached, world, change):
    """The same events, seen by a member whose page comes from the kept shell and thread."""
    world["make"].user("gast")
    member = logged_in(cached, "gast")
    path = f"/articles/{world['middle'].slug}"

    def read(where: str) -> str:
        response = member.get(path if where == "middle" else "/", headers=ENGLISH)
        assert response.status_code == 200
        return response.text

    world["read"] = read
    before = read("middle")
    read("middle")
    where, appears, goes = change(cached, world)
    after = read(where)
    if appears:
        assert appears in after and appears not in before
    if goes and goes in before:  # (a member never saw the reader's login prompt)
        assert goes not in after
