"""Helpers for tests: skipping with a reason (failing in CI), CSRF tokens, logins, factories."""

from __future__ import annotations

import os
import re
import socket
from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from app.extensions import db
from app.models import Article, Comment, CommentStatus, User, UserRole, utcnow
from app.services import accounts, publishing, transitions
from app.text import render_comment

IN_CI = bool(os.environ.get("CI"))
PG_ADMIN_URL = os.environ.get(
    "DISKURS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("DISKURS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
PASSWORD = "correct horse battery"


def require(condition: bool, reason: str) -> None:
    """Skip with *reason* on a developer's machine; in CI a missing service is a failure."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def postgres_available() -> bool:
    return _port_open("127.0.0.1", 5432)


def redis_available() -> bool:
    return _port_open("127.0.0.1", 6379)


def empty_tables(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        names = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


def drop_pg_database(name: str) -> None:
    engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf_token(html: str | bytes) -> str:
    """The CSRF token of the first form in a rendered page, as a browser would send it."""
    if isinstance(html, bytes):
        html = html.decode()
    match = _CSRF.search(html)
    assert match, "no csrf_token in the page"
    return match.group(1) or match.group(2)


def post_form(client: FlaskClient, page_url: str, action: str | None = None, **data: Any) -> Any:
    """GET *page_url*, take the CSRF token from it, and POST *data* to *action*."""
    page = client.get(page_url)
    data.setdefault("csrf_token", csrf_token(page.data))
    return client.post(action or page_url, data=data)


def login_as(client: FlaskClient, user: User) -> None:
    """Log *user* in on *client* without going through the form (the login tests do that)."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


class Factory:
    """Creates rows through the services and returns them detached, attributes loaded."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.counter = 0

    def _next(self) -> int:
        self.counter += 1
        return self.counter

    def _done(self, obj: Any) -> Any:
        db.session.commit()
        db.session.refresh(obj)
        db.session.expunge(obj)
        return obj

    def user(
        self,
        name: str | None = None,
        *,
        role: UserRole = UserRole.MEMBER,
        confirmed: bool = True,
        email: str | None = None,
        password: str = PASSWORD,
        **columns: Any,
    ) -> User:
        name = name or f"user{self._next()}"
        with self.app.app_context():
            user = accounts.create_user(
                db.session,
                username=name,
                email=email or f"{name.lower()}@example.org",
                password=password,
                role=role,
                now=utcnow(),
                confirmed=confirmed,
            )
            for key, value in columns.items():
                setattr(user, key, value)
            return self._done(user)

    def article(
        self,
        title: str | None = None,
        *,
        body: str = "Ein Absatz mit Text.",
        topics: list[str] | None = None,
        published_at: datetime | None | str = "now",
        author_name: str = "Redaktion",
        **columns: Any,
    ) -> Article:
        number = self._next()
        title = title or f"Artikel {number}"
        if published_at == "now":
            published_at = utcnow() - timedelta(days=1000 - number)
        with self.app.app_context():
            article = publishing.create_article(
                db.session,
                publishing.ArticleInput(
                    title=title,
                    body=body,
                    author_name=author_name,
                    topics=topics or [],
                    published_at=published_at,
                ),
                now=utcnow(),
            )
            for key, value in columns.items():
                setattr(article, key, value)
            return self._done(article)

    def comment(
        self,
        article: Article,
        author: User,
        body: str = "Ein Kommentar.",
        *,
        status: CommentStatus = CommentStatus.VISIBLE,
        parent: Comment | None = None,
        created_at: datetime | None = None,
    ) -> Comment:
        """A comment in *status*, bypassing the posting rules (those have their own tests)."""
        with self.app.app_context():
            comment = Comment(
                article_id=article.id,
                author_id=author.id,
                parent_id=parent.id if parent else None,
                depth=(parent.depth + 1) if parent else 1,
                body=body,
                body_html=render_comment(body),
                status=status,
                created_at=created_at or utcnow(),
            )
            db.session.add(comment)
            db.session.flush()
            transitions.discussion_changed(db.session, article.id)
            db.session.commit()
            return self._done(db.session.get(Comment, comment.id))
