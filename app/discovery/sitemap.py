"""What the sitemap lists: the home page, the topics, every public article, the fixed pages.

Each address with the moment its content last changed (``lastmod``): an article when it was
last saved, a topic and the home page when their newest article appeared, a fixed page when
it was saved. Articles come newest first, as few columns as the entries need.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.links import absolute_url
from app.models import Article, Page
from app.services import articles as article_service
from app.services import topics as topic_service

# The sitemaps protocol allows 50,000 addresses in one file; beyond that the oldest articles
# are left out (a site that large would split its sitemap into an index).
MAX_ENTRIES = 50_000


@dataclass(frozen=True)
class SitemapEntry:
    address: str
    lastmod: datetime | None


def sitemap_entries(session: Session, now: datetime) -> Iterator[SitemapEntry]:
    rows = session.execute(
        article_service.newest_first(
            select(Article.slug, Article.updated_at, Article.published_at).where(
                article_service.is_public(now)
            )
        ).limit(MAX_ENTRIES)
    ).all()
    # Saved after publication (an edit) or saved before it (scheduled): whichever is later.
    articles = [(slug, max(updated_at, published_at)) for slug, updated_at, published_at in rows]
    newest = max((changed for _, changed in articles), default=None)
    yield SitemapEntry(absolute_url("articles.home"), newest)
    yield SitemapEntry(absolute_url("articles.topics"), newest)
    for topic in topic_service.public_topics(session, now):
        yield SitemapEntry(absolute_url("articles.topic", slug=topic.slug), topic.latest)
    for slug, changed in articles:
        yield SitemapEntry(absolute_url("articles.article", slug=slug), changed)
    for slug, updated_at in session.execute(select(Page.slug, Page.updated_at)):
        yield SitemapEntry(absolute_url("articles.page", slug=slug), updated_at)
