"""Writing articles: saving text and topics, slugs and their history, publication."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from app import text
from app.models import Article, ArticleSlug, BodyFormat, Topic
from app.services.errors import Conflict, InvalidInput
from app.services.slugs import is_valid_slug, slugify

TITLE_MAX = 200
AUTHOR_MAX = 100
TOPIC_MAX = 80
TOPIC_SLUG_MAX = 100
SUMMARY_MAX = 2000
BODY_MAX = 200_000


class SlugTaken(Conflict):
    """The slug belongs, or once belonged, to another article."""

    field = "slug"


class StaleEdit(Conflict):
    """The article was saved by someone else after the editor was opened."""


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


def split_topics(raw: str) -> list[str]:
    """Topic names typed as a comma-separated list."""
    return [name.strip() for name in raw.split(",") if name.strip()]


def find_or_create_topics(session: Session, names: Iterable[str]) -> list[Topic]:
    """Topics by name, created when new; the same name twice gives one topic."""
    wanted: dict[str, str] = {}
    for name in names:
        name = " ".join(name.split())
        if len(name) > TOPIC_MAX:
            raise InvalidInput(
                _l("A topic name has at most %(num)d characters.", num=TOPIC_MAX), field="topics"
            )
        slug = slugify(name, max_length=TOPIC_SLUG_MAX)
        if name and slug:
            wanted.setdefault(slug, name)
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
        raise SlugTaken(_l("Another article has or had this slug; choose another."))


def render_body(source: str, body_format: BodyFormat = BodyFormat.MARKDOWN) -> str:
    """The HTML of an article's or page's source: Markdown, or HTML imported from WordPress."""
    if body_format is BodyFormat.HTML:
        return text.render_imported(source)[0]
    return text.render_article(source)


def check_body(body: str, body_format: BodyFormat = BodyFormat.MARKDOWN) -> str:
    """The Markdown of an article or page, with line ends unified; refuses images without alt."""
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    if len(body) > BODY_MAX:
        raise InvalidInput(_l("The text is too long."), field="body")
    if body_format is BodyFormat.HTML:
        return body  # imported: its images are as the old blog had them
    missing = text.images_without_alt(body)
    if missing:
        raise InvalidInput(
            _l(
                "Every image needs a description for people who cannot see it: "
                "![what the image shows](address). Missing for: %(images)s",
                images=", ".join(missing),
            ),
            field="body",
        )
    return body


def check_title(raw: str) -> str:
    title = " ".join(raw.split())
    if not title:
        raise InvalidInput(_l("Please give the article a title."), field="title")
    if len(title) > TITLE_MAX:
        raise InvalidInput(
            _l("A title has at most %(num)d characters.", num=TITLE_MAX), field="title"
        )
    return title


def _apply(session: Session, article: Article, data: ArticleInput, now: datetime) -> None:
    article.title = check_title(data.title)
    author = " ".join(data.author_name.split())
    if not author or len(author) > AUTHOR_MAX:
        raise InvalidInput(
            _l("Please give an author name of at most %(num)d characters.", num=AUTHOR_MAX),
            field="author_name",
        )
    body = check_body(data.body, article.body_format)
    summary = (data.summary or "").strip() or None
    if summary and len(summary) > SUMMARY_MAX:
        raise InvalidInput(_l("The excerpt is too long."), field="summary")
    article.author_name = author
    article.author_id = data.author_id
    article.body = body
    article.body_html = render_body(body, article.body_format)
    article.summary = summary
    article.excerpt = (
        text.excerpt(render_body(summary, article.body_format))
        if summary
        else text.excerpt(article.body_html)
    )
    article.topics = find_or_create_topics(session, data.topics)
    article.published_at = data.published_at
    article.comments_open = data.comments_open
    article.updated_at = now


def create_article(session: Session, data: ArticleInput, now: datetime) -> Article:
    slug = data.slug or slugify(data.title)
    check_title(data.title)
    _check_slug(session, slug, None)
    article = Article(slug=slug, created_at=now, revision=1, discussion_version=0)
    _apply(session, article, data, now)
    session.add(article)
    session.flush()
    return article


def _claim_revision(session: Session, article: Article, expected: int) -> None:
    """Raise the revision only if it is still *expected*, atomically in the database.

    Checking in Python alone would let two saves sent at the same moment both pass.
    """
    stale = StaleEdit(
        _l(
            "Someone else saved this article after you opened it. Your text is kept "
            "below; compare it with the current version before saving again."
        )
    )
    if expected != article.revision:
        raise stale
    claimed = session.execute(
        update(Article)
        .where(Article.id == article.id, Article.revision == expected)
        .values(revision=expected + 1)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise stale
    set_committed_value(article, "revision", expected + 1)


def update_article(
    session: Session,
    article: Article,
    data: ArticleInput,
    now: datetime,
    expected_revision: int | None = None,
) -> Article:
    """Save *data* over *article*; refuse if it changed since *expected_revision* was read.

    On a refusal some changes may already be flushed: the caller rolls the session back.
    """
    if expected_revision is not None:
        _claim_revision(session, article, expected_revision)
    else:
        article.revision += 1
    slug = data.slug or article.slug
    if slug != article.slug:
        _check_slug(session, slug, article)
        change_slug(session, article, slug)
    was_public = article.is_public_at(now)
    content_changed = (
        " ".join(data.title.split()),
        check_body(data.body, article.body_format),
    ) != (
        article.title,
        article.body,
    )
    _apply(session, article, data, now)
    if was_public and content_changed:
        article.revised_at = now
    session.flush()
    return article


def set_deleted(session: Session, article: Article, deleted_at: datetime | None, now: datetime):
    """Delete (soft) or restore *article* (its neighbours' links change with the site's
    version, app/caching/bumps.py)."""
    article.deleted_at = deleted_at
    article.revision += 1
    session.flush()


def change_slug(session: Session, article: Article, new_slug: str) -> None:
    """Move *article* to *new_slug*, keeping the old one for redirects."""
    reclaimed = session.scalar(select(ArticleSlug).where(ArticleSlug.slug == new_slug))
    if reclaimed is not None:  # going back to one of its own earlier slugs
        session.delete(reclaimed)
        session.flush()
    session.add(ArticleSlug(slug=article.slug, article_id=article.id))
    article.slug = new_slug
