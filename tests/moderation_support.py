"""Helpers for the moderation tests: a scene with every role, reading the log, counting SQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import event, func, select

from app.extensions import db
from app.models import (
    Article,
    Comment,
    CommentStatus,
    Flag,
    ModerationEvent,
    Reason,
    ReasonCode,
    User,
    UserRole,
)
from tests.support import Factory, login_as

ROLES = ("reader", "member", "moderator", "admin")


@dataclass
class Scene:
    article: Article
    author: User  # writes the comments
    member: User  # another member
    moderator: User
    admin: User
    pending: Comment
    visible: Comment
    hidden: Comment

    def user(self, role: str) -> User | None:
        return {
            "reader": None,
            "member": self.member,
            "moderator": self.moderator,
            "admin": self.admin,
        }[role]


def build_scene(make: Factory) -> Scene:
    article = make.article("Über Banken")
    author = make.user("autorin")
    return Scene(
        article=article,
        author=author,
        member=make.user("mitglied"),
        moderator=make.user("moderatorin", role=UserRole.MODERATOR),
        admin=make.user("chefin", role=UserRole.ADMIN),
        pending=make.comment(article, author, "Wartet noch.", status=CommentStatus.PENDING),
        visible=make.comment(article, author, "Schon sichtbar."),
        hidden=make.comment(article, author, "Längst verborgen.", status=CommentStatus.HIDDEN),
    )


def note(text: str) -> Reason:
    """A reason a moderator typed, as it is stored."""
    return Reason(ReasonCode.MODERATOR_NOTE, {"text": text})


def act_as(client: FlaskClient, user: User | None) -> None:
    if user is not None:
        login_as(client, user)


def mint_csrf(app: Flask, client: FlaskClient) -> str:
    """A valid CSRF token for *client*'s session, as a page with a form would hand it out.

    Readers see no form on the moderation pages, yet must be sent to log in rather than
    refused for a missing token, so their token is made the way Flask-WTF makes it.
    """
    raw = "moderation-test-token-0123456789abcdef"
    with client.session_transaction() as session:
        session["csrf_token"] = raw
    return URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="wtf-csrf-token").dumps(raw)


def reload(app: Flask, model: type, ident: int) -> Any:
    with app.app_context():
        obj = db.session.get(model, ident)
        db.session.expunge(obj)
        return obj


def events(app: Flask, **where: Any) -> list[ModerationEvent]:
    with app.app_context():
        query = select(ModerationEvent).order_by(ModerationEvent.id)
        for name, value in where.items():
            query = query.where(getattr(ModerationEvent, name) == value)
        rows = list(db.session.scalars(query))
        for row in rows:
            db.session.expunge(row)
        return rows


def event_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(ModerationEvent.id)))


def statuses(app: Flask) -> dict[int, str]:
    """Every comment's state and flags: a snapshot to prove that a refusal changed nothing."""
    with app.app_context():
        comments = {c.id: f"{c.status}/{c.flag_count}" for c in db.session.scalars(select(Comment))}
        flags = db.session.scalar(select(func.count(Flag.id)))
        users = {u.id: f"{u.state}/{u.banned_until}" for u in db.session.scalars(select(User))}
        articles = {a.id: a.comments_open for a in db.session.scalars(select(Article))}
        return {"comments": comments, "flags": flags, "users": users, "articles": articles}


@contextmanager
def count_queries(app: Flask) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)
