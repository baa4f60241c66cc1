"""Caching what every reader sees alike, correct across workers and instances.

Nothing is ever invalidated by a message. Every cache key holds the versions the database
gives, read fresh on each request in one statement: the article's ``discussion_version``
(raised by every change of anything its page shows: a comment's state or text, the article
itself, comments closed or reopened, a neighbour's title or slug, a commenter's account
erased), whether comments are open, the ids of its public neighbours at this moment (so a
scheduled publication that becomes due changes the key without any write), a signature of
the footer's pages and one of the settings admins saved. The home page's key is the list of
(id, version) of the articles it lists. A change anywhere gives a new key on every worker
and every instance at once; old entries are simply never asked for again and age out of
the per-process LRU (``PAGE_CACHE_MB`` per worker).

The plans these statements rely on (PostgreSQL, 5,000 articles and 100,000 comments,
EXPLAIN ANALYZE; ``python bench/explain.py`` prints them for every page):

- article key: ``Index Scan using uq_articles_slug on articles a``; each neighbour
  ``Limit -> Index Scan [Backward] using ix_articles_published_at_id`` with
  ``Index Cond: ROW(published_at, id) < ROW(a.published_at, a.id)`` (a row comparison:
  "a < b OR (a = b AND ...)" would scan from one end of the index); the viewer's own
  comments a ``BitmapAnd`` of ix_comments_article_id_created_at and
  ix_comments_author_id_status; pages and site_settings a few rows. 0.16 ms.
- home key: ``Limit -> Index Scan Backward using ix_articles_published_at_id``, reading
  only the rows of the page. 0.04 ms.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from datetime import datetime
from typing import Any, NamedTuple

from flask import Flask
from sqlalchemy import Connection, String, and_, bindparam, cast, func, select, tuple_
from sqlalchemy.sql.elements import ColumnElement

from app.models import Article, Comment, CommentStatus, Flag, Page, SiteSetting, User

SETTING = "PAGE_CACHE_MB"


class PageCache:
    """A least-recently-used map bounded by the bytes of its values; safe across threads."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.used = 0
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry[0]

    def put(self, key: Hashable, value: Any, size: int) -> None:
        if size > self.max_bytes // 4:  # one huge page must not push out everything else
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.used -= old[1]
            self._entries[key] = (value, size)
            self.used += size
            while self.used > self.max_bytes and self._entries:
                _, (_, dropped) = self._entries.popitem(last=False)
                self.used -= dropped

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.used = 0

    def __len__(self) -> int:
        return len(self._entries)

    def count(self, kind: str) -> int:
        """How many entries of one kind (the first part of their keys) are kept."""
        with self._lock:
            return sum(1 for key in self._entries if key[0] == kind)


def cache_for(app: Flask) -> PageCache:
    """The cache of this app in this process (each gunicorn worker has its own)."""
    cache = app.extensions.get("page_cache")
    if cache is None:
        cache = PageCache(int(float(app.config.get(SETTING, 0)) * 1024 * 1024))
        app.extensions["page_cache"] = cache
    return cache


# --- the statements that read the versions ------------------------------------------------

_now = bindparam("now", type_=Article.published_at.type)


def _public(table: Any) -> ColumnElement[bool]:
    """The same condition as services.articles.public_articles, on any alias of articles."""
    return and_(table.c.deleted_at.is_(None), table.c.published_at.is_not(None)) & (
        table.c.published_at <= _now
    )


def _footer_signature() -> Any:
    """Changes whenever the footer's list changes: a page added, deleted or saved.

    (count, sum of revisions, highest id): an edit raises the sum, an addition the highest
    id, a deletion the count; no mix of them leaves all three unchanged.
    """
    pages = Page.__table__
    parts = (
        func.count(pages.c.id),
        func.coalesce(func.sum(pages.c.revision), 0),
        func.coalesce(func.max(pages.c.id), 0),
    )
    joined = cast(parts[0], String) + ":" + cast(parts[1], String) + ":" + cast(parts[2], String)
    return select(joined).scalar_subquery()


def _neighbour_id(article: Any, earlier: bool) -> Any:
    other = Article.__table__.alias("other")
    # A row comparison, not "a < b OR (a = b AND ...)": only this form bounds the index scan.
    mine, its = (
        tuple_(article.c.published_at, article.c.id),
        tuple_(other.c.published_at, other.c.id),
    )
    if earlier:  # published before a public article: public unless deleted (and no bound
        # on "now" here, or SQLite scans down from now instead of from the article)
        condition = and_(other.c.deleted_at.is_(None), its < mine)
        order = (other.c.published_at.desc(), other.c.id.desc())
    else:
        condition = and_(_public(other), its > mine)
        order = (other.c.published_at.asc(), other.c.id.asc())
    query = select(other.c.id).where(condition).order_by(*order).limit(1)
    return query.correlate(article).scalar_subquery()


def _settings_signature() -> Any:
    """Changes whenever an admin saves or resets a setting (each save stamps its row)."""
    rows = SiteSetting.__table__
    updated = func.coalesce(cast(func.max(rows.c.updated_at), String), "")
    return select(cast(func.count(), String) + ":" + updated).scalar_subquery()


def _own_comments(article: Any) -> Any:
    """How many comments under the article look different to the viewer (bound as "viewer")
    than to other members: their own, not deleted, and those they flagged ("reported")."""
    comments, flags = Comment.__table__, Flag.__table__
    own = (
        select(func.count(comments.c.id))
        .where(
            comments.c.article_id == article.c.id,
            comments.c.author_id == bindparam("viewer"),
            comments.c.status != CommentStatus.DELETED.value,
        )
        .correlate(article)
        .scalar_subquery()
    )
    flagged = (
        select(func.count(flags.c.id))
        .select_from(flags.join(comments, comments.c.id == flags.c.comment_id))
        .where(comments.c.article_id == article.c.id, flags.c.user_id == bindparam("viewer"))
        .correlate(article)
        .scalar_subquery()
    )
    return own + flagged


def _article_statement(with_viewer: bool = False) -> Any:
    article = Article.__table__.alias("a")
    statement = select(
        article.c.id,
        article.c.discussion_version,
        article.c.comments_open,
        _public(article),
        # Only the neighbours' ids: when a neighbour's title or slug changes, publishing
        # raises this article's version too (services.publishing.touch_articles).
        _neighbour_id(article, True),
        _neighbour_id(article, False),
        _footer_signature(),
        _settings_signature(),
        _own_comments(article),
    ).where(article.c.slug == bindparam("slug"))
    if not with_viewer:
        return statement
    # The viewer's account in the same statement (one round trip for a member's page).
    users = User.__table__.alias("u")
    columns = [users.c[name] for name in VIEWER_COLUMNS]
    return statement.add_columns(*columns).outerjoin_from(
        article, users, users.c.id == bindparam("viewer")
    )


def _home_statement() -> Any:
    articles = Article.__table__
    return (
        select(articles.c.id, articles.c.discussion_version, _footer_signature())
        .where(_public(articles))
        .order_by(articles.c.published_at.desc(), articles.c.id.desc())
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )


VIEWER_COLUMNS = (
    "id",
    "session_version",
    "state",
    "role",
    "banned_until",
    "email_confirmed_at",
    "username",
    "locale",
)
ARTICLE_STATEMENT = _article_statement()
ARTICLE_AND_VIEWER_STATEMENT = _article_statement(with_viewer=True)
HOME_STATEMENT = _home_statement()


class ArticleState(NamedTuple):
    """What an article page shows, as versions read in one statement."""

    id: int
    discussion_version: int
    comments_open: bool
    public: bool
    previous_id: int | None
    next_id: int | None
    footer: str
    settings: str  # signature of the settings admins saved
    own_comments: int  # comments there personal to the viewer: theirs, or flagged by them

    @property
    def shown(self) -> tuple:
        """The part every viewer's page depends on (not the viewer's own comments)."""
        return self[:8]


def article_state(
    connection: Connection, slug: str, now: datetime, viewer_id: int = 0
) -> ArticleState | None:
    """What the public page of the article *slug* shows, as versions; None if not public."""
    params = {"slug": slug, "now": now, "viewer": viewer_id}
    row = connection.execute(ARTICLE_STATEMENT, params).first()
    if row is None or not row[3]:
        return None
    return ArticleState(*row)


def article_and_viewer(
    connection: Connection, slug: str, now: datetime, viewer_id: int
) -> tuple[ArticleState | None, Any]:
    """The article's state as article_state gives it, and the viewer's account row (or None)."""
    params = {"slug": slug, "now": now, "viewer": viewer_id}
    row = connection.execute(ARTICLE_AND_VIEWER_STATEMENT, params).first()
    if row is None:
        return None, None
    fields = len(ArticleState._fields)
    viewer = row[fields:] if row[fields] is not None else None
    viewer = dict(zip(VIEWER_COLUMNS, viewer, strict=True)) if viewer else None
    return (ArticleState(*row[:fields]) if row[3] else None), viewer


def home_state(connection: Connection, now: datetime, page: int, per_page: int) -> tuple | None:
    """What page *page* of the home page lists, as versions; None for a page without articles."""
    rows = connection.execute(
        HOME_STATEMENT, {"now": now, "limit": per_page + 1, "offset": (page - 1) * per_page}
    ).all()
    if not rows:
        return None
    return (tuple((row[0], row[1]) for row in rows), rows[0][2])
