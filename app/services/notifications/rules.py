"""Who hears of what, and whether what a notice points to is still as it says.

The same conditions decide what the notifications page lists, what the header counts and
what a worker mails, so a notice about a reply that has been hidden since is neither shown
nor sent, and shows up again (without a second mail) if the reply is shown again.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, not_, or_, select
from sqlalchemy.orm import aliased

from app.models import (
    AccountState,
    Article,
    ArticleFollow,
    Comment,
    CommentStatus,
    MailState,
    Notice,
    NoticeKind,
    NotificationSettings,
    User,
    UserKind,
    UserRole,
    fixed,
)


class Topic(enum.StrEnum):
    """What a member switches on or off, and what an unsubscribe link stops."""

    REPLIES = "replies"
    DECISIONS = "decisions"
    FOLLOWING = "following"
    MODERATION = "moderation"


TOPIC_OF = {
    NoticeKind.REPLY: Topic.REPLIES,
    NoticeKind.FOLLOWED: Topic.FOLLOWING,
    NoticeKind.APPROVED: Topic.DECISIONS,
    NoticeKind.UNHIDDEN: Topic.DECISIONS,
    NoticeKind.HIDDEN: Topic.DECISIONS,
    NoticeKind.BANNED: Topic.DECISIONS,
    NoticeKind.UNBANNED: Topic.DECISIONS,
    NoticeKind.WAITING: Topic.MODERATION,
}
# The column of NotificationSettings that switches a topic's mails on or off.
SETTING_OF = {
    Topic.REPLIES: "reply_mails",
    Topic.DECISIONS: "decision_mails",
    Topic.FOLLOWING: "follow_mails",
    Topic.MODERATION: "moderation_mails",
}
# Listed on the member's notifications page; moderators' digests are mail only (the queue
# is their list).
ON_SITE_KINDS = (
    NoticeKind.REPLY,
    NoticeKind.FOLLOWED,
    NoticeKind.APPROVED,
    NoticeKind.UNHIDDEN,
    NoticeKind.HIDDEN,
    NoticeKind.BANNED,
    NoticeKind.UNBANNED,
)
# True while the comment they point to is visible under a public article.
ABOUT_A_VISIBLE_COMMENT = (
    NoticeKind.REPLY,
    NoticeKind.FOLLOWED,
    NoticeKind.APPROVED,
    NoticeKind.UNHIDDEN,
)
MODERATION_DIGEST = "moderation"


def article_digest(article_id: int) -> str:
    return f"article:{article_id}"


def _public(now: datetime) -> ColumnElement[bool]:
    return and_(
        Article.deleted_at.is_(None),
        Article.published_at.is_not(None),
        Article.published_at <= now,
    )


def _waiting() -> ColumnElement[bool]:
    # The queue's condition (services.queue.waiting_condition), written here because the
    # queue module imports the flag rules, which call into this package.
    return or_(
        Comment.status == fixed(CommentStatus.PENDING),
        and_(Comment.status == fixed(CommentStatus.VISIBLE), Comment.flag_count > fixed(0)),
    )


def still_true(now: datetime) -> ColumnElement[bool]:
    """SQL condition on Notice: what the notice says holds at *now*."""
    subject = (
        select(Comment.id)
        .join(Article, Article.id == Comment.article_id)
        .where(Comment.id == Notice.comment_id, _public(now))
    )
    following = exists().where(
        ArticleFollow.user_id == Notice.recipient_id,
        ArticleFollow.article_id == Notice.article_id,
    )
    # "Shown again" is news only to whoever heard that it was hidden (a hide undone before
    # anyone was told is no news at all).
    hidden = aliased(Notice)
    told_hidden = exists().where(
        hidden.recipient_id == Notice.recipient_id,
        hidden.comment_id == Notice.comment_id,
        hidden.kind == fixed(NoticeKind.HIDDEN),
        hidden.id < Notice.id,
        or_(hidden.mail_state == fixed(MailState.SENT), hidden.read_at.is_not(None)),
    )
    return or_(
        and_(
            Notice.kind.in_([fixed(kind) for kind in ABOUT_A_VISIBLE_COMMENT]),
            exists(subject.where(Comment.status == fixed(CommentStatus.VISIBLE))),
            or_(Notice.kind != fixed(NoticeKind.FOLLOWED), following),
            or_(Notice.kind != fixed(NoticeKind.UNHIDDEN), told_hidden),
        ),
        and_(
            Notice.kind == fixed(NoticeKind.HIDDEN),
            exists(subject.where(Comment.status == fixed(CommentStatus.HIDDEN))),
        ),
        and_(Notice.kind == fixed(NoticeKind.WAITING), exists(subject.where(_waiting()))),
        Notice.kind.in_([fixed(NoticeKind.BANNED), fixed(NoticeKind.UNBANNED)]),
    )


def banned_now(now: datetime) -> ColumnElement[bool]:
    """SQL condition on User: a ban is in force (one with an end that has passed is not)."""
    return and_(
        User.state == AccountState.BANNED,
        or_(User.banned_until.is_(None), User.banned_until > now),
    )


def may_be_told(now: datetime) -> ColumnElement[bool]:
    """SQL condition on User: an account that gets notices (not erased, not banned, no guest)."""
    return and_(
        User.state != AccountState.DELETED,
        User.kind == UserKind.ACCOUNT,
        not_(banned_now(now)),
    )


def is_staff() -> ColumnElement[bool]:
    return User.role.in_((UserRole.MODERATOR, UserRole.ADMIN))


def wants_moderation_mails() -> ColumnElement[bool]:
    """SQL condition on User: a moderator who chose the digest of waiting comments."""
    return exists().where(
        NotificationSettings.user_id == User.id,
        NotificationSettings.moderation_mails.is_(True),
    )


def recipient_may_hear(kind: NoticeKind, user: User, now: datetime) -> bool:
    """The account may get this notice's mail now (a ban's own notice goes to the banned)."""
    if user.is_deleted or user.is_guest or not user.email or not user.is_confirmed:
        return False  # never to an address its owner has not confirmed, never to a guest
    if kind is NoticeKind.BANNED:
        return user.is_banned_at(now)
    if kind is NoticeKind.WAITING and not user.has_role(UserRole.MODERATOR):
        return False
    return not user.is_banned_at(now)


def wants_mail(settings: NotificationSettings, kind: NoticeKind) -> bool:
    return bool(getattr(settings, SETTING_OF[TOPIC_OF[kind]]))
