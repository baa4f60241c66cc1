"""The moderation log and the settings moderators change in the browser."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, str_enum, utcnow
from app.models.user import User


class ModerationAction(enum.StrEnum):
    POST = "post"  # a new comment entered a state
    EDIT = "edit"
    APPROVE = "approve"
    HIDE = "hide"
    UNHIDE = "unhide"
    DELETE = "delete"
    FLAG_THRESHOLD = "flag_threshold"
    DISMISS_FLAGS = "dismiss_flags"
    BAN = "ban"
    UNBAN = "unban"
    CLOSE = "close"
    REOPEN = "reopen"
    DELETE_ARTICLE = "delete_article"
    RESTORE_ARTICLE = "restore_article"
    CHANGE_ROLE = "change_role"


class ModerationEvent(db.Model):
    """One decision: who, what, from which state to which, why, when."""

    __tablename__ = "moderation_events"
    __table_args__ = (
        Index("ix_moderation_events_created_at", "created_at"),
        Index("ix_moderation_events_comment_id", "comment_id"),
        Index("ix_moderation_events_target_user_id", "target_user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[ModerationAction] = mapped_column(str_enum(ModerationAction))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="SET NULL"))
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))
    target_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id], lazy="joined")
    target_user: Mapped[User | None] = relationship(foreign_keys=[target_user_id], lazy="joined")


class SiteSetting(db.Model):
    """A setting saved by an admin in the browser; it wins over the configured value."""

    __tablename__ = "site_settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)  # JSON
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
