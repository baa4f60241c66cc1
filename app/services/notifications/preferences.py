"""What a member wants to hear of: mails per topic, the digest interval, followed articles."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, exists, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.models import Article, ArticleFollow, Notice, NotificationSettings, User
from app.permissions import is_moderator
from app.services.errors import InvalidInput, NotAllowed
from app.services.notifications.rules import SETTING_OF, Topic

# The intervals offered on the account page, in minutes (the site's default is added).
DIGEST_CHOICES = (15, 30, 60, 180, 720, 1440)
DEFAULTS = {
    "reply_mails": True,
    "decision_mails": True,
    "follow_mails": True,
    "follow_when_writing": True,
    "moderation_mails": False,
    "digest_minutes": None,
}


def insert_ignoring_duplicates(session: Session, table: Any) -> Any:
    """An INSERT on *table* that leaves a row which is there already as it is."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def settings_of(session: Session, user_id: int) -> NotificationSettings:
    """The member's settings; the defaults (not stored) when they never saved any."""
    found = session.get(NotificationSettings, user_id)
    return found if found is not None else NotificationSettings(user_id=user_id, **DEFAULTS)


def digest_minutes(settings: NotificationSettings, config: Mapping[str, Any]) -> int:
    return int(settings.digest_minutes or config["NOTIFICATION_DIGEST_MINUTES"])


def digest_choices(config: Mapping[str, Any]) -> list[int]:
    return sorted({*DIGEST_CHOICES, int(config["NOTIFICATION_DIGEST_MINUTES"])})


def save_settings(
    session: Session,
    user: User,
    values: Mapping[str, Any],
    *,
    now: datetime,
    config: Mapping[str, Any],
) -> NotificationSettings:
    """Store the member's choices; the moderators' digest only for moderators and admins."""
    minutes = values.get("digest_minutes")
    if minutes is not None and int(minutes) not in digest_choices(config):
        raise InvalidInput(
            _l("Please choose one of the intervals offered."), field="digest_minutes"
        )
    if values.get("moderation_mails") and not is_moderator(user):
        raise NotAllowed(_l("Only moderators may do this."))
    settings = session.get(NotificationSettings, user.id)
    if settings is None:
        settings = NotificationSettings(user_id=user.id, **DEFAULTS)
        session.add(settings)
    for name in DEFAULTS:
        if name in values:
            setattr(settings, name, values[name])
    if minutes is not None and int(minutes) == int(config["NOTIFICATION_DIGEST_MINUTES"]):
        settings.digest_minutes = None  # follows the site's default if that changes
    settings.updated_at = now
    session.flush()
    return settings


def stop_topic(session: Session, user_id: int, topic: Topic, now: datetime) -> bool:
    """Switch the mails of *topic* off; False when they were off already."""
    settings = session.get(NotificationSettings, user_id)
    if settings is None:
        settings = NotificationSettings(user_id=user_id, **DEFAULTS)
        session.add(settings)
    column = SETTING_OF[topic]
    if not getattr(settings, column):
        return False
    setattr(settings, column, False)
    settings.updated_at = now
    session.flush()
    return True


def is_following(session: Session, user_id: int, article_id: int) -> bool:
    return bool(
        session.scalar(
            select(
                exists().where(
                    ArticleFollow.user_id == user_id, ArticleFollow.article_id == article_id
                )
            )
        )
    )


def follow(session: Session, user_id: int, article_id: int, now: datetime) -> None:
    """Follow the discussion under an article (nothing happens if one follows it already)."""
    statement = insert_ignoring_duplicates(session, ArticleFollow).values(
        user_id=user_id, article_id=article_id, created_at=now
    )
    session.execute(statement.on_conflict_do_nothing(index_elements=["user_id", "article_id"]))


def unfollow(session: Session, user_id: int, article_id: int) -> bool:
    """Stop following; False when one did not follow the article."""
    result = session.execute(
        delete(ArticleFollow).where(
            ArticleFollow.user_id == user_id, ArticleFollow.article_id == article_id
        )
    )
    return bool(result.rowcount)


def followed_articles(session: Session, user_id: int) -> list[Article]:
    query = (
        select(Article)
        .join(ArticleFollow, ArticleFollow.article_id == Article.id)
        .where(ArticleFollow.user_id == user_id, Article.deleted_at.is_(None))
        .order_by(ArticleFollow.created_at.desc(), Article.id.desc())
    )
    return list(session.scalars(query))


def stored_about(session: Session, user_id: int) -> dict[str, Any]:
    """What the notifications keep about a member, for the download of their data."""
    settings = settings_of(session, user_id)
    notices = session.execute(
        select(Notice.kind, Notice.created_at, Notice.read_at, Notice.mail_state)
        .where(Notice.recipient_id == user_id)
        .order_by(Notice.id)
    ).all()
    return {
        "settings": {name: getattr(settings, name) for name in DEFAULTS},
        "following": [
            {"title": article.title, "slug": article.slug}
            for article in followed_articles(session, user_id)
        ],
        "notices": [
            {
                "kind": kind.value,
                "created_at": created.isoformat(),
                "read_at": read.isoformat() if read else None,
                "mail": state.value,
            }
            for kind, created, read, state in notices
        ],
    }
