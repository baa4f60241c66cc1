"""The one statement that reads what a reader's page shows, as versions.

Every key of a kept page and every validator (ETag, Last-Modified) is built from what this
statement returns, read fresh on every request (for readers' shared pages at most a second
before, app/caching/recent.py); nothing is ever invalidated by a message. It reads, in one
round trip:

- the ``site`` and ``comments`` rows of ``cache_versions`` (primary-key lookups), which
  app/caching/bumps.py raises in every transaction that changes what they cover;
- the newest publication time that is already due (``max(published_at) <= now``: one step
  of ``ix_articles_published_at_id``): an article scheduled for later becomes public without
  any write, and this moves exactly when one does;
- for an article page, the article's row by its slug (``uq_articles_slug``): its id,
  ``discussion_version``, whether comments are open, whether it is public now and its
  ``comment_look_version`` (what kept pieces of its thread are keyed by); for a
  member, their standing on it too (app/caching/standing.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, and_, bindparam, func, select

from app.caching.standing import Standing, standing_columns, standing_of
from app.models import Article, CacheVersion, VersionScope

# For a site where nothing was ever counted (the rows are made by the first change).
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_now = bindparam("now", type_=Article.published_at.type)


def _scope(scope: VersionScope, column: Any) -> Any:
    return select(column).where(CacheVersion.name == scope.value).scalar_subquery()


def _general_columns() -> list[Any]:
    return [
        _scope(VersionScope.SITE, CacheVersion.version),
        _scope(VersionScope.SITE, CacheVersion.changed_at),
        _scope(VersionScope.COMMENTS, CacheVersion.version),
        _scope(VersionScope.COMMENTS, CacheVersion.changed_at),
        select(func.max(Article.published_at))
        .where(Article.published_at <= _now)
        .scalar_subquery(),
    ]


GENERAL = select(*_general_columns())
ARTICLE = select(
    *_general_columns(),
    Article.id,
    Article.discussion_version,
    Article.comments_open,
    and_(
        Article.deleted_at.is_(None),
        Article.published_at.is_not(None),
        Article.published_at <= _now,
    ),
    Article.comment_look_version,
).where(Article.slug == bindparam("slug"))


@dataclass(frozen=True)
class SiteVersions:
    site: int
    site_at: datetime
    comments: int
    comments_at: datetime
    due: datetime | None  # the newest publication that is due

    def moments(self, *, with_comments: bool) -> datetime:
        """When what a page shows last changed (at the latest)."""
        found = [self.site_at, self.due]
        if with_comments:
            found.append(self.comments_at)
        return max((moment for moment in found if moment is not None), default=EPOCH)


# The same, with the standing of the member who asks (app/caching/standing.py).
ARTICLE_FOR_MEMBER = ARTICLE.add_columns(*standing_columns(Article.id))


@dataclass(frozen=True)
class ArticleVersions:
    site: SiteVersions
    id: int
    discussion_version: int
    comments_open: bool
    public: bool
    comment_look_version: int
    standing: Standing | None = None  # read for a member

    @property
    def parts(self) -> tuple:
        """What every viewer's page of this article depends on."""
        return (self.site.site, self.site.due, self.id, self.discussion_version, self.comments_open)


def _site(row: Any) -> SiteVersions:
    return SiteVersions(*row[:5])


def site_versions(connection: Connection, now: datetime) -> SiteVersions:
    return _site(connection.execute(GENERAL, {"now": now}).one())


def article_versions(
    connection: Connection, slug: str, now: datetime, member_id: int | None = None
) -> ArticleVersions | None:
    """The versions of the article *slug*'s page, with the standing of *member_id* when
    given; None when no article has that slug now."""
    params: dict[str, Any] = {"now": now, "slug": slug}
    if member_id is not None:
        params["recipient"] = member_id
    row = connection.execute(ARTICLE if member_id is None else ARTICLE_FOR_MEMBER, params).first()
    if row is None:
        return None
    standing = standing_of(row[5], row[10:]) if member_id is not None else None
    return ArticleVersions(_site(row), row[5], row[6], bool(row[7]), bool(row[8]), row[9], standing)
