"""Helpers shared by the comment tests: posting through the page, looking at the database."""

from __future__ import annotations

import html
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    Article,
    Comment,
    CommentDraft,
    CommentRevision,
    ModerationEvent,
)
from tests.support import csrf_token


def page_url(article: Article, **params: Any) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"/articles/{article.slug}" + (f"?{query}" if query else "")


def post_comment(
    client: FlaskClient,
    article: Article,
    body: str,
    parent_id: int | str | None = None,
    **extra: Any,
) -> Any:
    """Open the article page as a browser would, then send its comment form."""
    page = client.get(page_url(article))
    data = {"body": body, "parent_id": "" if parent_id is None else str(parent_id)}
    if "csrf_token" not in extra:
        data["csrf_token"] = csrf_token(page.data)
    data.update({key: value for key, value in extra.items() if value is not None})
    return client.post(f"/articles/{article.slug}/comments", data=data)


def state(app: Flask) -> dict[str, Any]:
    """What a refusal must leave unchanged."""
    with app.app_context():
        comments = db.session.execute(
            select(Comment.id, Comment.status, Comment.body, Comment.edited_at).order_by(Comment.id)
        ).all()
        articles = db.session.execute(
            select(Article.id, Article.visible_comment_count, Article.discussion_version)
        ).all()
        return {
            "comments": [tuple(row) for row in comments],
            "articles": [tuple(row) for row in articles],
            "events": db.session.scalar(select(func.count(ModerationEvent.id))),
            "revisions": db.session.scalar(select(func.count(CommentRevision.id))),
        }


def comments_of(app: Flask, article: Article) -> list[Comment]:
    with app.app_context():
        rows = list(
            db.session.scalars(
                select(Comment).where(Comment.article_id == article.id).order_by(Comment.id)
            )
        )
        for row in rows:
            db.session.expunge(row)
        return rows


def drafts_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(CommentDraft))


def get(app: Flask, model: type, ident: Any) -> Any:
    with app.app_context():
        row = db.session.get(model, ident)
        if row is not None:
            db.session.expunge(row)
        return row


_TEXTAREA = re.compile(r'<textarea[^>]*name="body"[^>]*>\n?(.*?)</textarea>', re.S)


def textarea_text(page: str) -> str:
    """The text of the body field as the browser shows it."""
    match = _TEXTAREA.search(page)
    assert match, "no body field in the page"
    return html.unescape(match.group(1))


def comment_ids_in(page: str) -> list[int]:
    return [int(found) for found in re.findall(r'<article id="comment-(\d+)"', page)]


def section(page: str) -> str:
    """The comments section of an article page."""
    start = page.index('<section id="comments"')
    return page[start : page.index("</section>", start)]
