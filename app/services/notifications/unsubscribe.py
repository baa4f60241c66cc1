"""Signed unsubscribe links: one click stops one topic's mails, or one followed article.

The link is the proof, so it works without logging in (mail programs post to it, RFC 8058)
and needs no expiry: it can only ever switch mails off. Whoever holds the mail holds it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session

from app.models import Article, User
from app.services.notifications import preferences
from app.services.notifications.rules import Topic

SALT = "diskurs-unsubscribe"


class LinkInvalid(Exception):
    """The link was altered or was never ours."""


@dataclass(frozen=True)
class Unsubscription:
    """What a link stops: the mails of *topic*, or following one article."""

    user: User
    topic: Topic
    article: Article | None = None


def token_for(secret: str, user_id: int, topic: Topic, article_id: int | None = None) -> str:
    data: dict = {"u": user_id, "t": topic.value}
    if article_id is not None:
        data["a"] = article_id
    return URLSafeSerializer(secret, salt=SALT).dumps(data)


def read_token(session: Session, secret: str, token: str) -> Unsubscription:
    """What *token* stops; raises LinkInvalid for anything not signed by us or not usable."""
    try:
        data = URLSafeSerializer(secret, salt=SALT).loads(token)
    except (BadSignature, UnicodeError, ValueError) as error:
        raise LinkInvalid from error
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise LinkInvalid
    try:
        topic = Topic(data.get("t"))
    except ValueError as error:
        raise LinkInvalid from error
    user = session.get(User, data["u"])
    if user is None or user.is_deleted:
        raise LinkInvalid
    article = None
    if "a" in data:
        if not isinstance(data["a"], int) or topic is not Topic.FOLLOWING:
            raise LinkInvalid
        article = session.get(Article, data["a"])
        if article is None:
            raise LinkInvalid
    return Unsubscription(user, topic, article)


def apply(session: Session, unsubscription: Unsubscription, now: datetime) -> bool:
    """Stop what the link names; False when it was stopped already."""
    if unsubscription.article is not None:
        return preferences.unfollow(session, unsubscription.user.id, unsubscription.article.id)
    return preferences.stop_topic(session, unsubscription.user.id, unsubscription.topic, now)
