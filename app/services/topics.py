"""Topics as readers see them: those with published articles, and how many each has.

A topic whose articles are all drafts, scheduled or deleted is not shown anywhere: its name
alone could announce what has not been published yet.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Article, CacheVersion, Topic, VersionScope, article_topics
from app.services.articles import public_articles


@dataclass(frozen=True)
class TopicSummary:
    id: int
    name: str
    slug: str
    articles: int  # published articles
    latest: datetime  # when the newest of them appeared


def public_topics(session: Session, now: datetime) -> list[TopicSummary]:
    """Every topic with at least one public article, alphabetically; one query."""
    public = public_articles(now).with_only_columns(Article.id, Article.published_at).subquery()
    rows = session.execute(
        select(Topic.id, Topic.name, Topic.slug, func.count(), func.max(public.c.published_at))
        .join(article_topics, article_topics.c.topic_id == Topic.id)
        .join(public, public.c.id == article_topics.c.article_id)
        .group_by(Topic.id, Topic.name, Topic.slug)
    ).all()
    return sorted((TopicSummary(*row) for row in rows), key=lambda topic: by_name(topic.name))


def by_name(name: str) -> str:
    """Alphabetical order as a German reader expects it, the same on every database:
    "Ärger" beside "Anlage", not after "Zins"."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True)
class KeptTopics:
    signature: tuple
    until: datetime
    topics: list[TopicSummary]


KEEP_FOR = timedelta(seconds=60)


def _signature(session: Session, now: datetime) -> tuple:
    """Changes with every saved article or topic (the site's version, raised by
    app/caching/bumps.py) and with every publication that falls due: two index lookups."""
    site = select(CacheVersion.version).where(CacheVersion.name == VersionScope.SITE.value)
    due = select(func.max(Article.published_at)).where(Article.published_at <= now)
    return tuple(session.execute(select(site.scalar_subquery(), due.scalar_subquery())).one())


def kept_public_topics(session: Session, now: datetime, kept: dict) -> list[TopicSummary]:
    """public_topics, kept in *kept* (one per process) while the site's version and the
    newest due publication stay the same (app/caching/versions.py reads the same two), for
    at most KEEP_FOR. For the header, shown on every page; /topics asks public_topics."""
    signature = _signature(session, now)
    found: KeptTopics | None = kept.get("topics")
    if found is None or found.signature != signature or now >= found.until:
        found = KeptTopics(signature, now + KEEP_FOR, public_topics(session, now))
        kept["topics"] = found
    return found.topics


def leading_topics(topics: list[TopicSummary], limit: int) -> list[TopicSummary]:
    """The *limit* topics with the most articles, shown by name (the header's navigation)."""
    biggest = sorted(topics, key=lambda topic: (-topic.articles, topic.name))[:limit]
    return sorted(biggest, key=lambda topic: by_name(topic.name))
