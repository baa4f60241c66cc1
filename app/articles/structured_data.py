"""Structured data (schema.org, JSON-LD) for search engines: the site, and an article with
its visible comments.

The template writes it with Flask's ``tojson`` filter, which escapes ``<``, ``>`` and ``&``,
so no comment text can end the ``<script type="application/ld+json">`` element. The CSP
does not apply to it: a data block is never run.

An article's data is the same for every viewer, so it is kept in the store
(app/caching/store.py) under the article's ``discussion_version``; the comments come from
those the thread has loaded anyway, or from one query when the thread came from the store.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from app import text
from app.caching.store import store_of
from app.extensions import db
from app.i18n import iso_datetime
from app.links import absolute_url
from app.models import Article, Comment, CommentStatus

LOGO = "icons/icon-512.png"


def _publisher() -> dict[str, Any]:
    return {
        "@type": "Organization",
        "name": current_app.config["SITE_NAME"],
        "url": absolute_url("articles.home"),
        "logo": {"@type": "ImageObject", "url": absolute_url("static", filename=LOGO)},
    }


def website_data() -> dict[str, Any]:
    """The site, with its search (what a search engine may offer as a search box)."""
    search = absolute_url("search.search") + "?q={search_terms}"
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": current_app.config["SITE_NAME"],
        "url": absolute_url("articles.home"),
        "inLanguage": current_app.config["DEFAULT_LOCALE"],
        "publisher": _publisher(),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": search},
            "query-input": "required name=search_terms",
        },
    }


def _visible_comments(article: Article, thread: Any, limit: int) -> list[Comment]:
    loaded = getattr(thread, "comments", None)
    if loaded is not None:
        shown = [c for c in loaded if c.status is CommentStatus.VISIBLE]
        return shown[:limit]
    return list(
        db.session.scalars(
            select(Comment)
            .where(Comment.article_id == article.id, Comment.status == CommentStatus.VISIBLE)
            .order_by(Comment.created_at, Comment.id)
            .limit(limit)
        )
    )


def _comment_data(comment: Comment) -> dict[str, Any]:
    author = comment.author
    name = _("deleted account") if author.is_deleted else author.display_name
    address = absolute_url("comments.permalink", comment_id=comment.id)
    data: dict[str, Any] = {
        "@type": "Comment",
        "@id": address,
        "url": address,
        "author": {"@type": "Person", "name": name},
        "dateCreated": iso_datetime(comment.created_at),
        "text": text.text_of_rendered(comment.body_html),
    }
    if comment.edited_at:
        data["dateModified"] = iso_datetime(comment.edited_at)
    if comment.parent_id:
        data["parentItem"] = {
            "@id": absolute_url("comments.permalink", comment_id=comment.parent_id)
        }
    return data


def _build_article_data(article: Article, thread: Any) -> dict[str, Any]:
    address = absolute_url("articles.article", slug=article.slug)
    limit = current_app.config["COMMENTS_PER_PAGE"]
    published = iso_datetime(article.published_at)
    return {
        "@context": "https://schema.org",
        "@type": "Article",
        "@id": f"{address}#article",
        "mainEntityOfPage": address,
        "url": address,
        "headline": article.title,
        "description": article.excerpt,
        "inLanguage": current_app.config["DEFAULT_LOCALE"],
        "datePublished": published,
        "dateModified": iso_datetime(article.revised_at) or published,
        "author": {"@type": "Person", "name": article.author_name},
        "publisher": _publisher(),
        "image": absolute_url("static", filename=LOGO),
        "articleSection": [topic.name for topic in article.topics],
        "isAccessibleForFree": True,
        "discussionUrl": absolute_url("articles.article", slug=article.slug, _anchor="comments"),
        "commentCount": article.visible_comment_count,
        "comment": [_comment_data(c) for c in _visible_comments(article, thread, limit)],
    }


def article_data(article: Article, thread: Any = None) -> dict[str, Any]:
    """schema.org ``Article`` of *article* with its first visible comments (one page's worth)."""
    store = store_of()
    key = ("json-ld", article.id, article.discussion_version, str(get_locale()))
    data = store.get(key)
    if data is None:
        data = _build_article_data(article, thread)
        store.put(key, data)
    return data
