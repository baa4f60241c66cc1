"""Writing articles: saving text and topics, slugs and their history, publication."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import text
from app.models import Article, ArticleSlug, Topic
from app.services.errors import Conflict, InvalidInput
from app.services.slugs import is_valid_slug, slugify


@dataclass
class ArticleInput:
    """What an editor or an importer gives for one article."""

    title: str
    body: str
    author_name: str
    slug: str | None = None
    topics: list[str] = field(default_factory=list)
    summary: str | None = None
    published_at: datetime | None = None
    comments_open: bool = True
    author_id: int | None = None


def find_or_create_topics(session: Session, names: Iterable[str]) -> list[Topic]:
    """Topics by name, created when new; the same name twice gives one topic."""
    wanted: dict[str, str] = {}
    for name in names:
        name = " ".join(name.split())
        if name and slugify(name):
            wanted.setdefault(slugify(name), name)
    if not wanted:
        return []
    existing = {t.slug: t for t in session.scalars(select(Topic).where(Topic.slug.in_(wanted)))}
    topics = []
    for slug, name in wanted.items():
        topic = existing.get(slug)
        if topic is None:
            topic = Topic(name=name, slug=slug)
            session.add(topic)
        topics.append(topic)
    return topics


def slug_owner(session: Session, slug: str) -> int | None:
    """The id of the article that has or had *slug*, if any."""
    current = session.scalar(select(Article.id).where(Article.slug == slug))
    if current is not None:
        return current
    return session.scalar(select(ArticleSlug.article_id).where(ArticleSlug.slug == slug))


def _check_slug(session: Session, slug: str, article: Article | None) -> None:
    if not is_valid_slug(slug):
        raise InvalidInput(
            _l("A slug is lower-case letters a–z, digits and hyphens."), field="slug"
        )
    owner = slug_owner(session, slug)
    if owner is not None and (article is None or owner != article.id):
        raise Conflict(_l("Another article has or had this slug; choose another."))


def _apply(session: Session, article: Article, data: ArticleInput, now: datetime) -> None:
    title = " ".join(data.title.split())
    if not title:
        raise InvalidInput(_l("Please give the article a title."), field="title")
    article.title = title
    article.author_name = " ".join(data.author_name.split())
    article.author_id = data.author_id
    article.body = data.body
    article.body_html = text.render_article(data.body)
    article.summary = (data.summary or "").strip() or None
    article.excerpt = (
        text.excerpt(text.render_article(article.summary))
        if article.summary
        else text.excerpt(article.body_html)
    )
    article.topics = find_or_create_topics(session, data.topics)
    article.published_at = data.published_at
    article.comments_open = data.comments_open
    article.updated_at = now
    article.discussion_version = (article.discussion_version or 0) + 1


def create_article(session: Session, data: ArticleInput, now: datetime) -> Article:
    slug = data.slug or slugify(data.title)
    _check_slug(session, slug, None)
    article = Article(slug=slug, created_at=now, revision=1, discussion_version=0)
    _apply(session, article, data, now)
    session.add(article)
    session.flush()
    return article


def update_article(
    session: Session,
    article: Article,
    data: ArticleInput,
    now: datetime,
    expected_revision: int | None = None,
) -> Article:
    """Save *data* over *article*; refuse if it changed since *expected_revision* was read."""
    if expected_revision is not None and expected_revision != article.revision:
        raise Conflict(
            _l(
                "Someone else saved this article after you opened it. Your text is kept "
                "below; compare it with the current version before saving again."
            )
        )
    slug = data.slug or article.slug
    if slug != article.slug:
        _check_slug(session, slug, article)
        change_slug(session, article, slug)
    was_public = article.is_public_at(now)
    content_changed = (data.title, data.body) != (article.title, article.body)
    _apply(session, article, data, now)
    if was_public and content_changed:
        article.revised_at = now
    article.revision += 1
    session.flush()
    return article


def change_slug(session: Session, article: Article, new_slug: str) -> None:
    """Move *article* to *new_slug*, keeping the old one for redirects."""
    reclaimed = session.scalar(select(ArticleSlug).where(ArticleSlug.slug == new_slug))
    if reclaimed is not None:  # going back to one of its own earlier slugs
        session.delete(reclaimed)
    session.add(ArticleSlug(slug=article.slug, article_id=article.id))
    article.slug = new_slug
