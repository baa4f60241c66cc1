"""Searching the site: published articles and visible comments, ranked, one page at a time.

The rules: a reader finds what a reader may read, nothing else (checked on the live rows by
app/search/queries.py); results come in two lists, articles and comments, each ranked by
the database's full-text engine and paged; each result carries a snippet with the matches
marked. Both counts are shown, counted up to COUNT_CAP.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import text
from app.models import Article, Comment
from app.search.queries import SearchKind, count_matches, ranked_ids
from app.search.snippets import highlight, snippet
from app.search.terms import SearchTerms

COUNT_CAP = 1000


@dataclass(frozen=True)
class ArticleHit:
    article: Article
    title_html: Markup
    snippet_html: Markup


@dataclass(frozen=True)
class CommentHit:
    comment: Comment
    article: Article
    snippet_html: Markup


@dataclass
class SearchResults:
    terms: SearchTerms
    kind: SearchKind
    page: int
    counts: dict[SearchKind, int] = field(default_factory=dict)
    hits: list[ArticleHit | CommentHit] = field(default_factory=list)
    has_next: bool = False

    def count_label(self, kind: SearchKind) -> str:
        """The count as shown: "1000+" once the cap is reached."""
        count = self.counts.get(kind, 0)
        return f"{COUNT_CAP}+" if count > COUNT_CAP else str(count)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def search(
    session: Session,
    terms: SearchTerms,
    kind: SearchKind | None,
    page: int,
    per_page: int,
    now: datetime,
) -> SearchResults:
    """One page of results of *kind* (None: articles if any match, else comments)."""
    page = max(page, 1)
    results = SearchResults(terms=terms, kind=kind or SearchKind.ARTICLES, page=page)
    if terms.empty:
        return results
    for each in SearchKind:
        results.counts[each] = count_matches(session, terms, each, now, COUNT_CAP + 1)
    if kind is None and not results.counts[SearchKind.ARTICLES]:
        results.kind = SearchKind.COMMENTS
    if not results.counts[results.kind]:
        return results
    ids = ranked_ids(
        session,
        terms,
        results.kind,
        now,
        limit=per_page + 1,
        offset=(page - 1) * per_page,
        matches=results.counts[results.kind],
    )
    results.has_next = len(ids) > per_page
    ids = ids[:per_page]
    if results.kind is SearchKind.ARTICLES:
        results.hits = list(_article_hits(session, ids, terms))
    else:
        results.hits = list(_comment_hits(session, ids, terms))
    return results


def _in_order(found: dict[int, object], ids: list[int]) -> list:
    return [found[ident] for ident in ids if ident in found]


def _article_hits(session: Session, ids: list[int], terms: SearchTerms) -> list[ArticleHit]:
    articles = {a.id: a for a in session.scalars(select(Article).where(Article.id.in_(ids)))}
    return [
        ArticleHit(
            article=article,
            title_html=highlight(article.title, terms.words),
            snippet_html=snippet(text.text_of_rendered(article.body_html), terms.words),
        )
        for article in _in_order(articles, ids)
    ]


def _comment_hits(session: Session, ids: list[int], terms: SearchTerms) -> list[CommentHit]:
    # The author comes along (Comment.author is loaded joined); one statement for the page.
    rows = session.execute(
        select(Comment, Article)
        .join(Article, Article.id == Comment.article_id)
        .where(Comment.id.in_(ids))
    ).all()
    found = {comment.id: (comment, article) for comment, article in rows}
    return [
        CommentHit(
            comment=comment,
            article=article,
            snippet_html=snippet(text.text_of_rendered(comment.body_html), terms.words),
        )
        for comment, article in _in_order(found, ids)
    ]
