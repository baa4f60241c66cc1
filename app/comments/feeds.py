"""The Atom feed of an article's visible comments."""

from __future__ import annotations

from flask import abort, current_app, make_response, redirect, render_template, url_for
from sqlalchemy import select

from app.comments import bp
from app.extensions import db
from app.models import Comment, CommentStatus, utcnow
from app.services import articles as article_service


@bp.get("/articles/<slug>/comments.atom")
def feed(slug: str):  # noqa: ANN201
    now = utcnow()
    lookup = article_service.find_by_slug(db.session, slug)
    article = lookup.article
    if article is None or not article.is_public_at(now):
        abort(410 if article is not None and article.deleted_at is not None else 404)
    if lookup.redirect_to:
        return redirect(url_for("comments.feed", slug=lookup.redirect_to), 301)
    entries = list(
        db.session.scalars(
            select(Comment)
            .where(Comment.article_id == article.id, Comment.status == CommentStatus.VISIBLE)
            .order_by(Comment.created_at.desc(), Comment.id.desc())
            .limit(current_app.config["FEED_SIZE"])
        )
    )
    body = render_template("feeds/comments.xml", article=article, entries=entries)
    response = make_response(body)
    response.mimetype = "application/atom+xml"
    return response
