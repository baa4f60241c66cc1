"""What every template can use: the permission predicates, the footer's pages, the header's
topics, the site's name and tagline, avatars."""

from __future__ import annotations

from typing import Any, NamedTuple

from flask import Flask, current_app, g
from flask_babel import gettext as _
from sqlalchemy import select

from app import text
from app.articles.structured_data import article_data, website_data
from app.avatars import avatar
from app.caching.pages import kept_block, kept_for_site
from app.caching.shell import personal_part
from app.extensions import db
from app.models import Article, Page, utcnow
from app.permissions import TEMPLATE_PREDICATES
from app.services import topics as topic_service

NAV_TOPICS = 6  # topics named in the header; all of them are one click away at /topics


class FooterLink(NamedTuple):
    slug: str
    title: str


def _footer_links() -> list[FooterLink]:
    rows = db.session.execute(
        select(Page.slug, Page.title).order_by(Page.footer_position, Page.title)
    )
    return [FooterLink(*row) for row in rows]


def footer_pages() -> list[FooterLink]:
    """The fixed pages linked from every footer: once per request, kept under the site's
    version where the page read it (app/caching/pages.py)."""
    if "footer_pages" not in g:
        g.footer_pages = kept_for_site("footer-pages", _footer_links)
    return g.footer_pages


def _leading_topics() -> list[topic_service.TopicSummary]:
    if g.get("site_versions") is not None:  # kept under the same versions by kept_for_site
        topics = topic_service.public_topics(db.session, utcnow())
    else:
        kept = current_app.extensions.setdefault("nav_topics", {})
        topics = topic_service.kept_public_topics(db.session, utcnow(), kept)
    return topic_service.leading_topics(topics, NAV_TOPICS)


def nav_topics() -> list[topic_service.TopicSummary]:
    """The topics with the most published articles, for the header; once per request."""
    if "nav_topics" not in g:
        g.nav_topics = kept_for_site("nav-topics", _leading_topics)
    return g.nav_topics


def article_author_id(article: Any) -> int | None:
    """The account that wrote *article*, to mark its comments in the thread.

    Should a thread be rendered with a light stand-in for the article (ids and versions
    only), its author is read once per request.
    """
    if article is None or hasattr(article, "author_id"):
        return getattr(article, "author_id", None)
    known = g.setdefault("article_authors", {})
    if article.id not in known:
        known[article.id] = db.session.scalar(
            select(Article.author_id).where(Article.id == article.id)
        )
    return known[article.id]


def reading_minutes(markdown: str) -> int:
    """Minutes a reader needs for a text, at about 200 words a minute (at least one)."""
    return max(1, round(len(markdown.split()) / 200))


def site_tagline() -> str:
    return current_app.config["SITE_TAGLINE"] or _("Articles and the discussion under them")


def init_app(app: Flask) -> None:
    @app.context_processor
    def inject() -> dict[str, Any]:
        return {
            "footer_pages": footer_pages,
            "nav_topics": nav_topics,
            "site_name": app.config["SITE_NAME"],
            "site_tagline": site_tagline,
            "now": utcnow(),
        }

    app.jinja_env.globals.update(TEMPLATE_PREDICATES)
    app.jinja_env.globals.update(
        avatar=avatar,
        article_author_id=article_author_id,
        article_data=article_data,
        kept_block=kept_block,
        personal_part=personal_part,
        website_data=website_data,
    )
    app.jinja_env.filters.update(reading_minutes=reading_minutes, plain_excerpt=text.excerpt)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
