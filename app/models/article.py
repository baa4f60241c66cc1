"""Articles, their topics, their earlier slugs, and the site's fixed pages."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, str_enum, utcnow

article_topics = Table(
    "article_topics",
    db.metadata,
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_article_topics_topic_id", "topic_id"),
)


class BodyFormat(enum.StrEnum):
    """What the stored source of an article or page is written in."""

    MARKDOWN = "markdown"  # written here
    HTML = "html"  # imported from WordPress: HTML as WordPress keeps it


class Topic(db.Model):
    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    wp_id: Mapped[int | None] = mapped_column(unique=True, index=True)  # the WordPress term id

    def __repr__(self) -> str:
        return f"<Topic {self.slug}>"


class Article(db.Model):
    """An article. Readers see it while published_at has passed and it is not deleted."""

    __tablename__ = "articles"
    __table_args__ = (
        # Listings, feeds and previous/next all walk published articles in this order.
        Index("ix_articles_published_at_id", "published_at", "id"),
        # The latest edit of any article, for the signature of the moderation pages.
        Index("ix_articles_updated_at", "updated_at"),
        # The articles not deleted, by id: joins from comments and topics to the public
        # article (search counts, topics) read this small index alone, not the rows' text.
        Index(
            "ix_articles_listed",
            "id",
            "published_at",
            postgresql_where=text("deleted_at IS NULL"),
            sqlite_where=text("deleted_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    author_name: Mapped[str] = mapped_column(String(100))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    body_format: Mapped[BodyFormat] = mapped_column(
        str_enum(BodyFormat), default=BodyFormat.MARKDOWN, server_default="markdown"
    )
    summary: Mapped[str | None] = mapped_column(Text)  # typed by the editor, optional
    excerpt: Mapped[str] = mapped_column(Text, default="")  # plain text shown in lists
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # None: a draft
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set when a published article's content is changed, for "updated on".
    revised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    comments_open: Mapped[bool] = mapped_column(default=True)
    # Kept by the comment services so that listings count without touching comments.
    visible_comment_count: Mapped[int] = mapped_column(default=0)
    # Raised on every save, so a stale editor form can be recognised (no lost update).
    revision: Mapped[int] = mapped_column(default=1)
    # Raised whenever anything the rendered discussion shows changes; part of cache keys.
    discussion_version: Mapped[int] = mapped_column(default=1)
    # Raised when comments already shown would look different with the same thread shape: a
    # commenter renamed or erased, a text edited, the article changed (app/caching/bumps.py).
    comment_look_version: Mapped[int] = mapped_column(default=1, server_default="1")
    wp_id: Mapped[int | None] = mapped_column(unique=True, index=True)  # the WordPress post id

    topics: Mapped[list[Topic]] = relationship(
        secondary=article_topics, order_by=Topic.name, lazy="selectin"
    )

    def is_public_at(self, now: datetime) -> bool:
        return (
            self.deleted_at is None and self.published_at is not None and self.published_at <= now
        )

    def __repr__(self) -> str:
        return f"<Article {self.slug}>"


class ArticleSlug(db.Model):
    """A slug an article had before; requests for it are redirected to the current one."""

    __tablename__ = "article_slugs"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )


class Page(db.Model):
    """A fixed page such as the Impressum, linked from every page's footer."""

    __tablename__ = "pages"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    body_format: Mapped[BodyFormat] = mapped_column(
        str_enum(BodyFormat), default=BodyFormat.MARKDOWN, server_default="markdown"
    )
    footer_position: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revision: Mapped[int] = mapped_column(default=1)
    wp_id: Mapped[int | None] = mapped_column(unique=True, index=True)  # the WordPress post id
