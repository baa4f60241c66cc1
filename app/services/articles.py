"""Reading articles: what readers may see, in which order, and their neighbours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, select, tuple_
from sqlalchemy.orm import Session, lazyload, load_only

from app.models import Article, ArticleSlug, Topic


def is_public(now: datetime) -> ColumnElement[bool]:
    """The condition on Article for what a reader may see at *now*."""
    return and_(
        Article.deleted_at.is_(None),
        Article.published_at.is_not(None),
        Article.published_at <= now,
    )


def public_articles(now: datetime) -> Select[tuple[Article]]:
    """Articles a reader may see at *now*: published, not scheduled later, not deleted."""
    return select(Article).where(is_public(now))


def newest_first(query: Select[tuple[Article]]) -> Select[tuple[Article]]:
    return query.order_by(Article.published_at.desc(), Article.id.desc())


@dataclass(frozen=True)
class ArticlePage:
    articles: list[Article]
    page: int
    has_newer: bool
    has_older: bool


def list_page(
    session: Session, now: datetime, page: int, per_page: int, topic: Topic | None = None
) -> ArticlePage:
    """One page of public articles, newest first; one query (plus the topics' selectin)."""
    page = max(page, 1)
    query = public_articles(now)
    if topic is not None:
        query = query.where(Article.topics.any(Topic.id == topic.id))
    rows = list(
        session.scalars(newest_first(query).limit(per_page + 1).offset((page - 1) * per_page))
    )
    return ArticlePage(
        articles=rows[:per_page], page=page, has_newer=page > 1, has_older=len(rows) > per_page
    )


def latest(session: Session, now: datetime, limit: int) -> list[Article]:
    return list(session.scalars(newest_first(public_articles(now)).limit(limit)))


@dataclass(frozen=True)
class SlugLookup:
    article: Article | None
    redirect_to: str | None = None  # the current slug, when an earlier one was asked for


def find_by_slug(session: Session, slug: str) -> SlugLookup:
    """The article with *slug*, or the article that once had it (to redirect there)."""
    if "\x00" in slug:  # never in a slug, and PostgreSQL refuses it in any text
        return SlugLookup(None)
    # Topics load when first shown (a member's page from a kept shell never shows them).
    article = session.scalar(
        select(Article).where(Article.slug == slug).options(lazyload(Article.topics))
    )
    if article is not None:
        return SlugLookup(article)
    former = session.scalar(
        select(Article)
        .join(ArticleSlug, ArticleSlug.article_id == Article.id)
        .where(ArticleSlug.slug == slug)
    )
    if former is not None:
        return SlugLookup(former, redirect_to=former.slug)
    return SlugLookup(None)


@dataclass(frozen=True)
class ArticleLink:
    """An article as a link to it shows it."""

    title: str
    slug: str


@dataclass(frozen=True)
class Neighbours:
    previous: Article | ArticleLink | None
    next: Article | ArticleLink | None


def neighbours(session: Session, article: Article, now: datetime) -> Neighbours:
    """The public articles published just before and just after *article*."""
    if article.published_at is None:
        return Neighbours(None, None)
    at, ident = article.published_at, article.id
    # Row comparisons, not "a < b OR (a = b AND ...)": only they bound the scan of
    # ix_articles_published_at_id, so the cost stays the same however many articles there are.
    order_key = tuple_(Article.published_at, Article.id)
    earlier, later = order_key < tuple_(at, ident), order_key > tuple_(at, ident)
    if at <= now:  # everything earlier is published: no bound on now, which SQLite would
        # otherwise scan from (down to the article) instead of scanning from the article
        before = select(Article).where(Article.deleted_at.is_(None), earlier)
    else:
        before = public_articles(now).where(earlier)
    # The links show a title and a slug: no body, no topics (loaded later only if asked for).
    light = (
        load_only(Article.id, Article.title, Article.slug, Article.published_at),
        lazyload(Article.topics),
    )
    previous = session.scalar(newest_first(before).options(*light).limit(1))
    following = session.scalar(
        public_articles(now)
        .where(later)
        .order_by(Article.published_at.asc(), Article.id.asc())
        .options(*light)
        .limit(1)
    )
    return Neighbours(previous, following)


def topic_by_slug(session: Session, slug: str) -> Topic | None:
    return session.scalar(select(Topic).where(Topic.slug == slug))
