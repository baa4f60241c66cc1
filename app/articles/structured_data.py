"""Structured data (schema.org, JSON-LD) for search engines: the site, and an article with
its visible comments.

The template writes it with Flask's ``tojson`` filter, which escapes ``<``, ``>`` and ``&``,
so no comment text can end the ``<script type="application/ld+json">`` element. The CSP
does not apply to it: a data block is never run.

An article's data is the same for every viewer, so it is kept in the store
(app/caching/store.py): the article's part under how its comments look and their count, the
comments (those of the reader's first page) under the shapes of that page's threads, so a
comment further down the discussion leaves them kept.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _

from app import text
from app.caching.fragments import ThreadView
from app.caching.store import store_of
from app.i18n import iso_datetime
from app.links import absolute_url
from app.models import Article, Comment

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


def _build_article_data(article: Article) -> dict[str, Any]:
    address = absolute_url("articles.article", slug=article.slug)
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
    }


def article_data(article: Article, thread: ThreadView) -> dict[str, Any]:
    """schema.org ``Article`` of *article* with the visible comments of its first page."""
    store, locale = store_of(), str(get_locale())
    # The article's part moves with its count; the comments only when the first page's
    # threads do: a new comment further down leaves them kept.
    head = store.kept(
        (
            "json-ld",
            article.id,
            article.comment_look_version,
            article.visible_comment_count,
            locale,
        ),
        lambda: _build_article_data(article),
    )
    shape = thread.first_page_shape()
    moment = (article.comment_look_version, shape) if shape else (article.discussion_version,)
    limit = current_app.config["COMMENTS_PER_PAGE"]
    comments = store.kept(
        ("json-ld-comments", article.id, *moment, limit, locale),
        lambda: [_comment_data(comment) for comment in thread.first_page_comments(limit)],
    )
    return {**head, "comment": comments}
