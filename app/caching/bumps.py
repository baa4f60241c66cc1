"""The one place versions are raised: whatever a transaction changes, the versions of the
pages that show it rise in the same transaction.

A listener on every SQLAlchemy session looks at the rows each flush writes and maps them to
what they change:

- a comment (new, edited, moderated, deleted) or a flag: its article's discussion, and the
  site's comments (lists show counts, the site's feed shows comments);
- an article (text, title, slug, publication, topics, deletion): its discussion and the site
  (its neighbours' links, lists, the header's topics, the sitemap);
- a fixed page, a saved setting or a topic: the site (the footer, the header, what pages
  show);
- a member's name or the erasure of their account: the discussions they wrote in.

Besides its discussion, an article counts how its comments look (``comment_look_version``):
raised where comments already shown would look different with the same shape of the thread
(which comment answers which, their states and authors): a commenter renamed or erased, a
text edited, the article itself changed. Kept pieces of a thread (app/caching/fragments.py)
are keyed by it and by the shape of their own comments, so a new comment or a decision
renders one top-level thread again, not all of them.

Articles' versions are raised right after the flush that wrote them (their rows are locked
by then anyway); the site-wide rows only just before the commit, so a transaction holds
their locks for as short as possible and always after every article's.

A few services write with a bulk ``UPDATE`` (a conditional one, against races); flushes do
not see those, so they call :func:`changed` with what they changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam, event, inspect, select, text, update
from sqlalchemy.orm import Session

from app.caching.recent import RecentVersions
from app.models import (
    Article,
    CacheVersion,
    Comment,
    Flag,
    Page,
    SiteSetting,
    Topic,
    User,
    UTCDateTime,
    VersionScope,
    utcnow,
)

PENDING = "diskurs_cache_scopes"
BUMPED = "diskurs_cache_bumped_articles"
LOOKS = "diskurs_cache_looks"
LOOKED = "diskurs_cache_looked_articles"
CHANGED = "diskurs_cache_changed"
# What of a member is shown to others: changes of anything else (a login, a ban) show nowhere.
USER_SHOWN = ("username", "state", "deleted_at")
# What of a comment shows beyond the shape of its thread (id, parent, status, author).
COMMENT_LOOK = ("body", "body_html", "edited_at", "created_at")
LOOK = "comment_look_version"
SITE_WIDE = (Page, SiteSetting, Topic)


def changed(
    session: Session,
    article_ids: Iterable[int | None] = (),
    scopes: Iterable[VersionScope] = (),
) -> None:
    """Raise the versions of *article_ids* now and of *scopes* at the commit."""
    _bump_articles(session, {article_id for article_id in article_ids if article_id})
    session.info.setdefault(PENDING, set()).update(scopes)


def _any_changed(row: Any, names: tuple[str, ...]) -> bool:
    state = inspect(row)
    return any(state.attrs[name].history.has_changes() for name in names)


def _comment_article(session: Session, flag: Flag) -> int | None:
    if not flag.comment_id:
        return None
    comments = Comment.__table__
    query = select(comments.c.article_id).where(comments.c.id == flag.comment_id)
    return session.connection().execute(query).scalar()


def _commented_articles(session: Session, user_id: int) -> list[int]:
    """The discussions that name the member beside their comments."""
    comments = Comment.__table__
    query = select(comments.c.article_id).where(comments.c.author_id == user_id).distinct()
    return list(session.connection().execute(query).scalars())


def _collect(session: Session) -> tuple[set[int], set[int], set[VersionScope]]:
    """The articles whose discussion changed, those whose comments look different, and the
    site-wide scopes."""
    articles: set[int] = set()
    looks: set[int] = set()
    scopes: set[VersionScope] = set()
    rows = [*session.new, *session.dirty, *session.deleted]
    for row in rows:
        if row in session.dirty and not session.is_modified(row, include_collections=True):
            continue
        if isinstance(row, Comment):
            articles.add(row.article_id)
            scopes.add(VersionScope.COMMENTS)
            if row in session.dirty and _any_changed(row, COMMENT_LOOK):
                looks.add(row.article_id)
        elif isinstance(row, Flag):
            articles.add(_comment_article(session, row))
        elif isinstance(row, Article):
            articles.add(row.id)
            looks.add(row.id)
            scopes.add(VersionScope.SITE)
        elif isinstance(row, SITE_WIDE):
            scopes.add(VersionScope.SITE)
        elif (
            isinstance(row, User)
            and row not in session.new
            and (row in session.deleted or _any_changed(row, USER_SHOWN))
        ):  # a new member has written nothing yet
            commented = _commented_articles(session, row.id)
            articles.update(commented)
            looks.update(commented)
            scopes.add(VersionScope.COMMENTS)  # what lists and feeds show of comments
    articles.discard(None)  # type: ignore[arg-type]
    looks.discard(None)  # type: ignore[arg-type]
    return articles, looks, scopes


def _bump_articles(session: Session, ids: set[int], column: str = "discussion_version") -> None:
    # Once per transaction is enough: readers only ever see committed versions, and each
    # commit then moves past every version seen before.
    done = session.info.setdefault(BUMPED if column == "discussion_version" else LOOKED, set())
    ids = ids - done
    if not ids:
        return
    done.update(ids)
    session.info[CHANGED] = True
    table = Article.__table__
    session.connection().execute(
        update(table).where(table.c.id.in_(sorted(ids))).values({column: table.c[column] + 1})
    )
    for row in list(session.identity_map.values()):
        if isinstance(row, Article) and row.id in ids:
            session.expire(row, [column])


# Raise a scope's row, creating it when missing (an emptied table counts on). Written out
# because PostgreSQL and SQLite spell it alike, and so it is compiled once: SQLAlchemy
# compiles its dialects' INSERT … ON CONFLICT constructs anew for every execution.
RAISE_SCOPE = text(
    "INSERT INTO cache_versions (name, version, changed_at) VALUES (:name, 1, :now) "
    "ON CONFLICT (name) DO UPDATE SET version = cache_versions.version + 1, "
    "changed_at = excluded.changed_at"
).bindparams(bindparam("name", type_=CacheVersion.name.type), bindparam("now", type_=UTCDateTime()))


def _bump_scopes(session: Session, scopes: set[VersionScope]) -> None:
    """Raise each scope's row, creating it when missing."""
    session.info[CHANGED] = True
    now = utcnow()
    for scope in sorted(scopes):  # always in the same order: no deadlock between commits
        session.connection().execute(RAISE_SCOPE, {"name": scope.value, "now": now})


def _after_flush(session: Session, _context: Any) -> None:
    articles, looks, scopes = _collect(session)
    session.info.setdefault(PENDING, set()).update(scopes)
    session.info.setdefault(PENDING + "_articles", set()).update(articles)
    session.info.setdefault(LOOKS, set()).update(looks)


def _after_flush_postexec(session: Session, _context: Any) -> None:
    articles = session.info.pop(PENDING + "_articles", set())
    looks = session.info.pop(LOOKS, set())
    # New articles have their id only now, and a new one's version starts where it starts.
    _bump_articles(session, {article_id for article_id in articles if article_id})
    _bump_articles(session, {article_id for article_id in looks if article_id}, LOOK)


def _before_commit(session: Session) -> None:
    session.flush()
    scopes = session.info.pop(PENDING, set())
    if scopes:
        _bump_scopes(session, scopes)


def _forget(session: Session, *_args: Any) -> None:
    for name in (PENDING, PENDING + "_articles", BUMPED, LOOKS, LOOKED, CHANGED):
        session.info.pop(name, None)


def _after_commit(session: Session) -> None:
    if session.info.get(CHANGED):
        RecentVersions.forget_everything()  # this worker's readers see its writes at once
    _forget(session)


def _after_soft_rollback(session: Session, _previous: Any) -> None:
    # A savepoint rolled back may have taken an article's raised version with it: raise it
    # again when next asked. Site-wide scopes stay pending (raising too often is harmless).
    session.info.pop(BUMPED, None)
    session.info.pop(LOOKED, None)


def install() -> None:
    """Listen on every session (once per process; the listeners hold no app)."""
    if event.contains(Session, "after_flush", _after_flush):
        return
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "after_flush_postexec", _after_flush_postexec)
    event.listen(Session, "before_commit", _before_commit)
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_rollback", _forget)
    event.listen(Session, "after_soft_rollback", _after_soft_rollback)
