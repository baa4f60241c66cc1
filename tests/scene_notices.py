"""Notices for the scene (tests/scene.py): the member is answered, follows the article and
is told of decisions; one mail has failed, for the admins' page."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import select, update

from app.extensions import db
from app.models import Article, MailState, Notice, NoticeKind, User, utcnow
from app.services import comments
from app.services.comments import comment_settings
from app.services.notifications import preferences, unsubscribe
from app.services.notifications.outbox import one, write_notices
from app.services.notifications.rules import Topic
from tests.support import Factory


def build_notices(app: Flask, article: Article, member: User, others: list[User]) -> dict:
    """Writes the notices; the paths the page types need."""
    make = Factory(app)
    mine = make.comment(article, member, "Ein Kommentar des Mitglieds, der Antworten bekommt.")
    with app.app_context():
        now = utcnow()
        preferences.follow(db.session, member.id, article.id, now)
        settings = comment_settings(db.session, app.config)
        for author, parent, body in (
            (others[1], mine.id, "Eine Antwort an das Mitglied, mit *Betonung*."),
            (others[2], None, "Ein neuer Kommentar unter dem gefolgten Beitrag."),
        ):
            comments.post_comment(
                db.session,
                article=db.session.get(Article, article.id),
                author=db.session.get(User, author.id),
                body=body,
                parent_id=parent,
                now=now,
                settings=settings,
            )
        until = (now + timedelta(days=3)).isoformat()
        write_notices(
            db.session,
            one(member.id),
            NoticeKind.BANNED,
            dedupe_key="ban:scene",
            now=now,
            params={"reason": "Eine Probe", "until": until, "comments_hidden": False},
        )
        first = db.session.scalar(select(Notice.id).order_by(Notice.id))
        db.session.execute(
            update(Notice)
            .where(Notice.id == first)
            .values(mail_state=MailState.FAILED, attempts=6, last_error="SMTPServerDisconnected")
        )
        db.session.commit()
        token = unsubscribe.token_for(app.config["SECRET_KEY"], member.id, Topic.REPLIES)
    return {"unsubscribe_token": token}
