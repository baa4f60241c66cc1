"""The search statements, one set per database engine, ranked by the engine itself.

Every statement joins the live rows and checks there what readers may see (a comment that is
visible, under an article that is published, due and not deleted), so a moderation decision
or an unpublished article leaves the results the moment it is committed, whatever the index
holds. The user's words arrive only as the expressions app/search/terms.py builds, always as
bound parameters.

SQLite ranks with FTS5's bm25 (an article's title counts ten times its text); PostgreSQL
with ts_rank over the weighted vector. Ties go to the newer text.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import TextClause, bindparam, text
from sqlalchemy.orm import Session

from app.models import CommentStatus, UTCDateTime
from app.search.terms import SearchTerms


class SearchKind(enum.StrEnum):
    ARTICLES = "articles"
    COMMENTS = "comments"


_PUBLIC = "a.deleted_at IS NULL AND a.published_at IS NOT NULL AND a.published_at <= :now"
_VISIBLE = f"c.status = '{CommentStatus.VISIBLE.value}'"

# CROSS JOIN is SQLite's way of fixing the order: the full-text match first, then the rows
# it found; left to itself the planner walks all visible comments and asks the index for each.
_SQLITE_FROM = {
    SearchKind.ARTICLES: (
        "FROM search_articles CROSS JOIN articles a ON a.id = search_articles.rowid "
        f"WHERE search_articles MATCH :match AND {_PUBLIC}"
    ),
    SearchKind.COMMENTS: (
        "FROM search_comments CROSS JOIN comments c ON c.id = search_comments.rowid "
        "CROSS JOIN articles a ON a.id = c.article_id "
        f"WHERE search_comments MATCH :match AND {_VISIBLE} AND {_PUBLIC}"
    ),
}
_SQLITE_ORDER = {
    SearchKind.ARTICLES: "bm25(search_articles, 10.0, 1.0), a.published_at DESC, a.id DESC",
    SearchKind.COMMENTS: "bm25(search_comments), c.created_at DESC, c.id DESC",
}

_TSQUERY = "to_tsquery('german', :match)"
_POSTGRES_FROM = {
    SearchKind.ARTICLES: f"FROM articles a WHERE a.search_vector @@ {_TSQUERY} AND {_PUBLIC}",
    SearchKind.COMMENTS: (
        "FROM comments c JOIN articles a ON a.id = c.article_id "
        f"WHERE c.search_vector @@ {_TSQUERY} AND {_VISIBLE} AND {_PUBLIC}"
    ),
}
_POSTGRES_ORDER = {
    SearchKind.ARTICLES: (
        f"ts_rank(a.search_vector, {_TSQUERY}) DESC, a.published_at DESC, a.id DESC"
    ),
    SearchKind.COMMENTS: (
        f"ts_rank(c.search_vector, {_TSQUERY}) DESC, c.created_at DESC, c.id DESC"
    ),
}
_ID = {SearchKind.ARTICLES: "a.id", SearchKind.COMMENTS: "c.id"}


def _statement(sql: str) -> TextClause:
    return text(sql).bindparams(bindparam("now", type_=UTCDateTime()))


def _parts(session: Session, kind: SearchKind, terms: SearchTerms) -> tuple[str, str, str]:
    """The FROM/WHERE, the ORDER BY and the match expression for this database."""
    if session.get_bind().dialect.name == "sqlite":
        return _SQLITE_FROM[kind], _SQLITE_ORDER[kind], terms.fts5_match()
    return _POSTGRES_FROM[kind], _POSTGRES_ORDER[kind], terms.tsquery()


def count_matches(
    session: Session, terms: SearchTerms, kind: SearchKind, now: datetime, cap: int
) -> int:
    """How many texts of *kind* match, counting no further than *cap*.

    A common word can match most comments of a large site; counting them all would cost
    more than the page of results, and "more than 1,000" tells the reader enough.
    """
    where, _order, match = _parts(session, kind, terms)
    sql = f"SELECT count(*) FROM (SELECT 1 {where} LIMIT :cap) AS found"
    return int(session.scalar(_statement(sql), {"match": match, "now": now, "cap": cap}) or 0)


def ranked_ids(
    session: Session,
    terms: SearchTerms,
    kind: SearchKind,
    now: datetime,
    limit: int,
    offset: int,
    matches: int = 0,
) -> list[int]:
    """The ids of the texts of *kind* that match, best first, one page of them.

    With more *matches* than RECENT[kind] on PostgreSQL (a word in a good part of all
    comments, say), only the newest RECENT[kind] of them are ranked: ranking all would read
    every matching row, tens of thousands on a large site, for a reader who looks at the
    first pages. They are found by walking the texts newest first (ix_comments_status_created_at,
    ix_articles_published_at_id) and testing each, which a common word makes short; the match
    is written so that the planner cannot take the GIN index for this walk instead.
    """
    where, order, match = _parts(session, kind, terms)
    params = {"match": match, "now": now, "limit": limit, "offset": offset}
    sql = f"SELECT {_ID[kind]} {where} ORDER BY {order} LIMIT :limit OFFSET :offset"
    if matches > RECENT[kind] and session.get_bind().dialect.name == "postgresql":
        sql, params["recent"] = _RECENT_SQL[kind], RECENT[kind]
    return [row[0] for row in session.execute(_statement(sql), params)]


RECENT = {SearchKind.ARTICLES: 200, SearchKind.COMMENTS: 300}
_MATCH_WALKED = {
    kind: f"(CASE WHEN {alias}.search_vector @@ {_TSQUERY} THEN true END)"
    for kind, alias in ((SearchKind.ARTICLES, "a"), (SearchKind.COMMENTS, "c"))
}
_RECENT_SQL = {
    SearchKind.ARTICLES: (
        "SELECT id FROM (SELECT a.id, a.published_at, a.search_vector FROM articles a "
        f"WHERE {_PUBLIC} AND {_MATCH_WALKED[SearchKind.ARTICLES]} "
        "ORDER BY a.published_at DESC, a.id DESC LIMIT :recent) AS recent "
        f"ORDER BY ts_rank(recent.search_vector, {_TSQUERY}) DESC, "
        "recent.published_at DESC, recent.id DESC LIMIT :limit OFFSET :offset"
    ),
    SearchKind.COMMENTS: (
        "SELECT id FROM (SELECT c.id, c.created_at, c.search_vector FROM comments c "
        f"JOIN articles a ON a.id = c.article_id WHERE {_VISIBLE} AND {_PUBLIC} "
        f"AND {_MATCH_WALKED[SearchKind.COMMENTS]} "
        "ORDER BY c.created_at DESC, c.id DESC LIMIT :recent) AS recent "
        f"ORDER BY ts_rank(recent.search_vector, {_TSQUERY}) DESC, "
        "recent.created_at DESC, recent.id DESC LIMIT :limit OFFSET :offset"
    ),
}
