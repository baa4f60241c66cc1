"""Notices to members (the outbox of mails, and the list on the site), follows, preferences."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import UTCDateTime, str_enum, utcnow


class NoticeKind(enum.StrEnum):
    REPLY = "reply"  # a reply to one's comment became visible
    FOLLOWED = "followed"  # a new visible comment under an article one follows
    APPROVED = "approved"  # one's held comment was approved
    UNHIDDEN = "unhidden"  # one's hidden comment is shown again
    HIDDEN = "hidden"  # a moderator hid one's comment
    BANNED = "banned"  # one's account was banned
    UNBANNED = "unbanned"  # a moderator lifted one's ban
    WAITING = "waiting"  # moderators: a comment waits for review


class MailState(enum.StrEnum):
    PENDING = "pending"  # to be sent (or re-checked) by a worker
    SENT = "sent"
    SKIPPED = "skipped"  # no longer true, unwanted, or the recipient cannot be told
    FAILED = "failed"  # the mail server refused it every time; an admin may retry


class Notice(db.Model):
    """One thing one member should hear of, written with the event that causes it.

    The row is the outbox entry of its mail (``mail_state`` and the claim columns) and the
    entry in the member's notifications on the site. It holds a code (``kind``) and what it
    points to, never a text: both the mail and the page render it in the reader's language.
    """

    __tablename__ = "notices"
    __table_args__ = (
        # One notice per recipient and cause: approving a reply twice tells its parent once.
        UniqueConstraint("recipient_id", "dedupe_key"),
        # The workers' question: which mails are due now?
        Index(
            "ix_notices_due",
            "next_attempt_at",
            "id",
            postgresql_where=text("mail_state = 'pending'"),
            sqlite_where=text("mail_state = 'pending'"),
        ),
        # A member's list, newest first, and the unread count in the header.
        Index("ix_notices_recipient_id_id", "recipient_id", "id"),
        Index(
            "ix_notices_unread",
            "recipient_id",
            postgresql_where=text("read_at IS NULL"),
            sqlite_where=text("read_at IS NULL"),
        ),
        Index("ix_notices_comment_id", "comment_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[NoticeKind] = mapped_column(str_enum(NoticeKind))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    # The moderation log entry of a decision, for its reason.
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("moderation_events.id", ondelete="SET NULL")
    )
    params: Mapped[str | None] = mapped_column(Text)  # JSON: what the code needs besides
    dedupe_key: Mapped[str] = mapped_column(String(80))
    # Notices with the same key for one recipient go out together, at most once an interval.
    digest_key: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # gone from the list

    mail_state: Mapped[MailState] = mapped_column(str_enum(MailState), default=MailState.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(40))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(String(500))

    def __repr__(self) -> str:
        return f"<Notice {self.id} {self.kind} to {self.recipient_id} {self.mail_state}>"


class ArticleFollow(db.Model):
    """A member follows the discussion under an article: new comments come as a digest."""

    __tablename__ = "article_follows"
    __table_args__ = (Index("ix_article_follows_article_id", "article_id"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class NotificationSettings(db.Model):
    """What a member wants to hear of by mail. Without a row, the defaults hold."""

    __tablename__ = "notification_settings"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    reply_mails: Mapped[bool] = mapped_column(default=True)
    decision_mails: Mapped[bool] = mapped_column(default=True)
    follow_mails: Mapped[bool] = mapped_column(default=True)
    follow_when_writing: Mapped[bool] = mapped_column(default=True)
    moderation_mails: Mapped[bool] = mapped_column(default=False)  # staff only
    digest_minutes: Mapped[int | None] = mapped_column()  # None: the site's default
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class NoticeDigest(db.Model):
    """When a recipient last got the digest of one key, and which worker is sending it now."""

    __tablename__ = "notice_digests"

    recipient_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    digest_key: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(40))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


__all__ = [
    "ArticleFollow",
    "MailState",
    "Notice",
    "NoticeDigest",
    "NoticeKind",
    "NotificationSettings",
]
