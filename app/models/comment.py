"""Comments, their earlier versions, flags and server-kept drafts."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, str_enum, utcnow
from app.models.moderation import Reason, ReasonCode
from app.models.user import User


class CommentStatus(enum.StrEnum):
    PENDING = "pending"
    VISIBLE = "visible"
    HIDDEN = "hidden"
    DELETED = "deleted"


# Written out, not built from the enum, because an index predicate must be a fixed text.
WAITING = "status = 'pending' OR (status = 'visible' AND flag_count > 0)"


class Comment(db.Model):
    __tablename__ = "comments"
    __table_args__ = (
        # The article page loads all comments of one article in this order, in one query.
        Index("ix_comments_article_id_created_at", "article_id", "created_at", "id"),
        # The moderation queue: pending comments, newest first.
        Index("ix_comments_status_created_at", "status", "created_at"),
        # An author's own comments (account page, moderation record, policy "first").
        Index("ix_comments_author_id_status", "author_id", "status"),
        # An author's comments by time: the flood rules on every comment sent, and the lists
        # of a member's comments newest first.
        Index("ix_comments_author_id_created_at", "author_id", "created_at"),
        Index("ix_comments_parent_id", "parent_id"),
        # Everything waiting for a moderator (services.queue.waiting_condition), newest first:
        # the queue, its count and its list of articles read this small index, not all the
        # comments (PostgreSQL; SQLite cannot prove the condition with bound parameters).
        Index(
            "ix_comments_waiting",
            "created_at",
            "id",
            postgresql_where=text(WAITING),
            sqlite_where=text(WAITING),
        ),
        # One comment per author and sent form: a double click stores it once, in whichever
        # worker or instance the second click lands (app/services/comments.py).
        Index("ix_comments_author_id_submission_key", "author_id", "submission_key", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="SET NULL"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    depth: Mapped[int] = mapped_column(default=1)  # a top-level comment has depth 1
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    status: Mapped[CommentStatus] = mapped_column(
        str_enum(CommentStatus), default=CommentStatus.PENDING
    )
    # Why the comment is in its state (the last decision or the policy), as a code with
    # parameters: shown to its author and to moderators, each in their words.
    status_reason_code: Mapped[ReasonCode | None] = mapped_column(str_enum(ReasonCode))
    status_reason_params: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    flag_count: Mapped[int] = mapped_column(default=0)  # open (undismissed) flags
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A digest of the form's submission key, its reply target and its text; None for
    # comments that came in another way (imports, the demo).
    submission_key: Mapped[str | None] = mapped_column(String(64))
    wp_id: Mapped[int | None] = mapped_column(unique=True, index=True)  # the WordPress comment id

    author: Mapped[User] = relationship(lazy="joined", innerjoin=True)

    @property
    def status_reason(self) -> Reason | None:
        return Reason.stored(self.status_reason_code, self.status_reason_params)

    @status_reason.setter
    def status_reason(self, reason: Reason | None) -> None:
        self.status_reason_code = reason.code if reason else None
        self.status_reason_params = dict(reason.params) if reason else None

    def __repr__(self) -> str:
        return f"<Comment {self.id} {self.status}>"


class CommentRevision(db.Model):
    """A comment's text before an edit, kept for moderators."""

    __tablename__ = "comment_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class FlagReason(enum.StrEnum):
    SPAM = "spam"
    ABUSE = "abuse"
    OFF_TOPIC = "off_topic"
    OTHER = "other"


class Flag(db.Model):
    __tablename__ = "flags"
    __table_args__ = (UniqueConstraint("comment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reason: Mapped[FlagReason] = mapped_column(str_enum(FlagReason))
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    dismissed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(lazy="joined")


class CommentDraft(db.Model):
    """Text of a comment whose writer had to log in again before it could be posted.

    Found again by the random token carried through the login redirect, so it needs
    neither JavaScript nor a surviving session.
    """

    __tablename__ = "comment_drafts"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column()
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
