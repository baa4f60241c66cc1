"""Atom feeds of visible comments: under one article, and the site's newest."""

from __future__ import annotations

from datetime import datetime

from flask import abort, current_app, redirect, url_for
from sqlalchemy import select

from app.atom import atom_response
from app.caching.pages import article_page, site_page
from app.comments import bp
from app.extensions import db
from app.models import Article, Comment, CommentStatus, utcnow
from app.services import articles as article_service


def _comments_feed(entries: list, article: Article | None, now: datetime):  # noqa: ANN202
    """The feed of *entries* (comment, article) rows; updated when the latest one changed."""
    moments = [comment.edited_at or comment.created_at for comment, _ in entries]
    updated = max(moments, default=article.updated_at if article is not None else now)
    return atom_response("feeds/comments.xml", article=article, entries=entries, updated=updated)


def _newest_visible(limit: int):  # noqa: ANN202
    return (
        select(Comment, Article)
        .join(Article, Article.id == Comment.article_id)
        .where(Comment.status == CommentStatus.VISIBLE)
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(limit)
    )


@bp.get("/articles/<slug>/comments.atom")
def feed(slug: str):  # noqa: ANN201
    return article_page(slug, lambda: _article_feed(slug))


def _article_feed(slug: str):  # noqa: ANN202
    now = utcnow()
    lookup = article_service.find_by_slug(db.session, slug)
    article = lookup.article
    if article is None or not article.is_public_at(now):
        abort(410 if article is not None and article.deleted_at is not None else 404)
    if lookup.redirect_to:
        return redirect(url_for("comments.feed", slug=lookup.redirect_to), 301)
    query = _newest_visible(current_app.config["FEED_SIZE"]).where(Comment.article_id == article.id)
    return _comments_feed(db.session.execute(query).all(), article, now)


@bp.get("/comments.atom")
def site_feed():  # noqa: ANN201
    """The newest visible comments under all public articles."""
    return site_page(_site_feed)


def _site_feed():  # noqa: ANN202
    now = utcnow()
    query = _newest_visible(current_app.config["FEED_SIZE"]).where(article_service.is_public(now))
    return _comments_feed(db.session.execute(query).all(), None, now)
