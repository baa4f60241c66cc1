"""The moderation log and the settings moderators change in the browser."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
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
    UNDO = "undo"  # a decision taken back by the moderator who took it


class ReasonCode(enum.StrEnum):
    """Why something happened, as a code; the words are chosen per reader when shown
    (app/services/reasons.py), so a reason written by the system reads in every language."""

    HELD = "held"  # the policy held a comment: params links, link_limit, words, rule
    FLAG_THRESHOLD = "flag_threshold"  # params count, threshold
    MODERATOR_NOTE = "moderator_note"  # words a person typed: params text
    BAN = "ban"  # params text, until (ISO 8601 UTC, or absent)
    UNDO = "undo"  # params event, action: the decision taken back


@dataclass(frozen=True)
class Reason:
    """A code with the values its words need (JSON-ready: strings, numbers, lists)."""

    code: ReasonCode
    params: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def stored(cls, code: str | None, params: Mapping[str, Any] | None) -> Reason | None:
        """The reason kept in a code column and its params column (None when there is none)."""
        return cls(ReasonCode(code), dict(params or {})) if code else None

    def __str__(self) -> str:
        # What may be shown to anyone (never the matching word of the hold list); pages
        # and mails choose the audience through app.services.reasons instead.
        from app.services.reasons import Audience, render_reason

        return render_reason(self.code, self.params, audience=Audience.AUTHOR)


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
    reason_code: Mapped[ReasonCode | None] = mapped_column(str_enum(ReasonCode))
    reason_params: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # What the decision replaced, for taking it back (app/services/undo.py).
    previous: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id], lazy="joined")
    target_user: Mapped[User | None] = relationship(foreign_keys=[target_user_id], lazy="joined")

    @property
    def reason(self) -> Reason | None:
        return Reason.stored(self.reason_code, self.reason_params)

    @reason.setter
    def reason(self, reason: Reason | None) -> None:
        self.reason_code = reason.code if reason else None
        self.reason_params = dict(reason.params) if reason else None


class SiteSetting(db.Model):
    """A setting saved by an admin in the browser; it wins over the configured value."""

    __tablename__ = "site_settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)  # JSON
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
