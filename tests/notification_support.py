"""Helpers for the notification tests: a site with a real SMTP server, members in two
languages, running the worker, and acting through the pages as a browser would."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.models import (
    Article,
    ArticleFollow,
    Comment,
    MailState,
    Notice,
    NoticeKind,
    User,
    UserRole,
    utcnow,
)
from app.services.notifications.delivery import Report, send_due
from tests.accounts_support import app_with
from tests.comment_helpers import post_comment
from tests.mail_server import Mailbox, smtp_server
from tests.support import Factory, csrf_token, login_as


@dataclass
class Site:
    app: Flask
    make: Factory
    mail: Mailbox
    article: Article
    anna: User  # German, wrote the first comment
    ben: User  # English, answers her
    carla: User  # reads along
    moderator: User
    admin: User
    first: Comment  # Anna's visible comment

    def client(self, user: User | None = None) -> FlaskClient:
        client = self.app.test_client()
        if user is not None:
            login_as(client, user)
        return client


def notification_site(database_url: str, tmp_path: Path, **settings: Any) -> Iterator[Site]:
    """For a fixture: the site, its SMTP server, and people who have written before (so the
    moderation policy "first" lets their comments through)."""
    with (
        smtp_server() as mail,
        app_with(database_url, tmp_path, **mail.settings, **settings) as app,
    ):
        make = Factory(app)
        article = make.article("Über Banken")
        elsewhere = make.article("Anderswo")
        people = {
            "anna": make.user("anna", locale="de"),
            "ben": make.user("ben", locale="en"),
            "carla": make.user("carla"),
            "moderator": make.user("moderatorin", role=UserRole.MODERATOR),
            "admin": make.user("chefin", role=UserRole.ADMIN, locale="de"),
        }
        # Written a while ago, so that the flood rules let each of them write again at once.
        yesterday, a_minute_ago = utcnow() - timedelta(days=1), utcnow() - timedelta(minutes=1)
        for person in people.values():
            make.comment(elsewhere, person, "Schon einmal geschrieben.", created_at=yesterday)
        first = make.comment(
            article, people["anna"], "Mein erster Gedanke dazu.", created_at=a_minute_ago
        )
        yield Site(app, make, mail, article, first=first, **people)


def run_worker(app: Flask, now: datetime | None = None) -> Report:
    """One round of the worker, as ``flask notifications work --once`` runs it."""
    with app.app_context():
        try:
            return send_due(db.session, now or utcnow())
        finally:
            db.session.remove()


def later(minutes: float) -> datetime:
    return utcnow() + timedelta(minutes=minutes)


def reply(site: Site, author: User, parent: Comment | None, body: str) -> Comment:
    """*author* writes through the article page; the comment written."""
    client = site.client(author)
    response = post_comment(client, site.article, body, parent.id if parent else None)
    assert response.status_code == 302, response.text
    with site.app.app_context():
        comment = db.session.scalar(
            select(Comment).where(Comment.author_id == author.id).order_by(Comment.id.desc())
        )
        db.session.expunge(comment)
        return comment


def decide(site: Site, comment: Comment, decision: str, reason: str = "", user=None) -> Any:  # noqa: ANN001
    """A moderator decides in the queue, as in the browser."""
    client = site.client(user or site.moderator)
    token = csrf_token(client.get("/moderation/").data)
    return client.post(
        f"/moderation/comments/{comment.id}/{decision}",
        data={"csrf_token": token, "reason": reason},
    )


def notices(app: Flask, **where: Any) -> list[Notice]:
    with app.app_context():
        query = select(Notice).order_by(Notice.id)
        for name, value in where.items():
            query = query.where(getattr(Notice, name) == value)
        rows = list(db.session.scalars(query))
        for row in rows:
            db.session.expunge(row)
        return rows


def mail_states(app: Flask) -> dict[tuple[int, NoticeKind], MailState]:
    return {(n.recipient_id, n.kind): n.mail_state for n in notices(app)}


def follows(app: Flask, user: User) -> set[int]:
    with app.app_context():
        return set(
            db.session.scalars(
                select(ArticleFollow.article_id).where(ArticleFollow.user_id == user.id)
            )
        )


def mails_to(site: Site, user: User) -> list[EmailMessage]:
    return site.mail.to(user.email)


def replies_to_many(site: Site, count: int) -> list[User]:
    """*count* members, each answered once by Ben: *count* single notices in the outbox."""
    members = []
    for number in range(count):
        member = site.make.user(f"leser{number}")
        parent = site.make.comment(site.article, member, f"Beitrag {number}.")
        reply(site, site.ben, parent, f"Antwort {number}.")
        members.append(member)
    return members
