"""Readers' versions reused for a second: what another worker wrote shows within it, what
this worker wrote at once, and members never wait."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, update

from app.caching.recent import LIMIT, RecentVersions
from app.config import ConfigError, load_settings
from app.models import Article, CacheVersion, VersionScope
from tests.cache_support import ENGLISH, statements
from tests.conftest import make_app
from tests.support import Factory, login_as


def _written_elsewhere(database_url: str, article_id: int, title: str) -> None:
    """Change an article's title as another worker would: on a connection of its own, with
    the versions raised as its commit would raise them, and nothing this process hears of."""
    engine = create_engine(database_url)
    articles, scopes = Article.__table__, CacheVersion.__table__
    with engine.begin() as connection:
        connection.execute(
            update(articles)
            .where(articles.c.id == article_id)
            .values(
                title=title,
                discussion_version=articles.c.discussion_version + 1,
                comment_look_version=articles.c.comment_look_version + 1,
            )
        )
        connection.execute(
            update(scopes)
            .where(scopes.c.name == VersionScope.SITE.value)
            .values(version=scopes.c.version + 1)
        )
    engine.dispose()


@pytest.fixture
def article(cached):  # noqa: ANN001, ANN201
    return Factory(cached).article("Alter Titel")


def test_another_workers_change_reaches_readers_within_the_second(
    cached, article, reader_clock, database_url
):
    path = f"/articles/{article.slug}"
    reader = cached.test_client(use_cookies=False)
    first = reader.get(path, headers=ENGLISH)
    assert "Alter Titel" in first.text

    _written_elsewhere(database_url, article.id, "Neuer Titel")
    with statements(cached) as seen:
        same = reader.get(path, headers=ENGLISH)
    assert seen == [] and same.data == first.data  # reused: the page announced 10 s anyway

    reader_clock.advance(0.5)
    assert "Alter Titel" in reader.get(path, headers=ENGLISH).text
    reader_clock.advance(0.5)
    later = reader.get(path, headers=ENGLISH)
    assert "Neuer Titel" in later.text and later.headers["ETag"] != first.headers["ETag"]


def test_members_read_the_versions_on_every_request(cached, article, database_url):
    path = f"/articles/{article.slug}"
    reader = cached.test_client(use_cookies=False)
    reader.get(path, headers=ENGLISH)
    member = cached.test_client()
    login_as(member, Factory(cached).user("mitglied"))
    assert "Alter Titel" in member.get(path, headers=ENGLISH).text

    _written_elsewhere(database_url, article.id, "Neuer Titel")
    assert "Neuer Titel" in member.get(path, headers=ENGLISH).text
    assert "Alter Titel" in reader.get(path, headers=ENGLISH).text  # within its second


def test_a_commit_that_changes_nothing_shown_keeps_what_was_read(cached, article, reader_clock):
    reader = cached.test_client(use_cookies=False)
    path = f"/articles/{article.slug}"
    reader.get(path, headers=ENGLISH)
    before = RecentVersions.changes
    Factory(cached).user("neues-mitglied")  # a new member is shown nowhere yet
    assert RecentVersions.changes == before
    with statements(cached) as seen:
        reader.get(path, headers=ENGLISH)
    assert seen == []


def test_no_reuse_when_switched_off_or_without_the_page_cache(database_url, tmp_path):
    for settings in ({"READER_VERSIONS_SECONDS": 0}, {"PAGE_CACHE": False}):
        app = make_app(database_url, tmp_path, **settings)
        assert app.extensions["diskurs_recent_versions"].seconds == 0
        reader = app.test_client(use_cookies=False)
        reader.get("/")
        with statements(app) as seen:
            reader.get("/")
        assert seen, settings


def test_never_longer_than_readers_may_keep_the_page(database_url, tmp_path):
    app = make_app(
        database_url, tmp_path, PAGE_CACHE=True, READER_VERSIONS_SECONDS=30, READER_MAX_AGE=2
    )
    assert app.extensions["diskurs_recent_versions"].seconds == 2


def test_the_setting_is_a_number_of_seconds(monkeypatch, tmp_path):
    monkeypatch.setenv("DISKURS_READER_VERSIONS_SECONDS", "0.5")
    assert load_settings(tmp_path)["READER_VERSIONS_SECONDS"] == 0.5
    monkeypatch.setenv("DISKURS_READER_VERSIONS_SECONDS", "eine Sekunde")
    with pytest.raises(ConfigError, match="READER_VERSIONS_SECONDS must be a number"):
        load_settings(tmp_path)


def test_unknown_pages_are_not_remembered_and_memory_stays_bounded():
    recent = RecentVersions(1.0)
    calls: list[str] = []

    def missing() -> None:
        calls.append("read")

    recent.get(("article", "gibt-es-nicht"), missing)
    recent.get(("article", "gibt-es-nicht"), missing)
    assert calls == ["read", "read"] and not recent.entries

    for number in range(LIMIT + 10):
        recent.get(("article", str(number)), lambda number=number: number)
    assert len(recent.entries) <= LIMIT
    assert recent.get(("article", str(LIMIT + 9)), lambda: "fresh") == LIMIT + 9
