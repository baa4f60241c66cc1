"""The hooks: events of the comment lifecycle call these, in their own transaction.

Each hook only writes rows (app/services/notifications/outbox.py); nothing is sent here.
A rolled-back event takes its notices with it, a committed one keeps them until a worker
has sent them.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from app.models import (
    ArticleFollow,
    Comment,
    CommentStatus,
    Flag,
    MailState,
    ModerationAction,
    ModerationEvent,
    Notice,
    NoticeDigest,
    NoticeKind,
    NotificationSettings,
    User,
)
from app.services.notifications import preferences
from app.services.notifications.outbox import one, write_notices
from app.services.notifications.rules import (
    MODERATION_DIGEST,
    article_digest,
    is_staff,
    may_be_told,
    wants_moderation_mails,
)


def _event_id(session: Session, event: ModerationEvent) -> int:
    if event.id is None:
        session.flush()
    return event.id


def comment_posted(session: Session, comment: Comment, event: ModerationEvent) -> None:
    """A new comment: its author follows the article (unless they chose not to), and
    whoever should hear of it is told: the answered member and the followers if it is
    visible, the moderators who asked for it if it waits for review."""
    now = event.created_at
    if preferences.settings_of(session, comment.author_id).follow_when_writing:
        preferences.follow(session, comment.author_id, comment.article_id, now)
    if comment.status is CommentStatus.VISIBLE:
        _became_visible(session, comment, now)
    elif comment.status is CommentStatus.PENDING:
        _waiting(session, comment, f"waiting:{_event_id(session, event)}", now)


def comment_status_changed(
    session: Session, comment: Comment, before: CommentStatus, event: ModerationEvent
) -> None:
    """Every change of a comment's state (transitions.change_status) ends here."""
    now, author = event.created_at, comment.author_id
    decided_by_other = event.actor_id is not None and event.actor_id != author
    if comment.status is CommentStatus.VISIBLE:
        _became_visible(session, comment, now)
        if decided_by_other and before is CommentStatus.PENDING:
            if event.action is ModerationAction.APPROVE:
                _decision(session, comment, NoticeKind.APPROVED, f"approved:{comment.id}", now)
        elif decided_by_other and before is CommentStatus.HIDDEN:
            key = f"unhidden:{_event_id(session, event)}"
            _decision(session, comment, NoticeKind.UNHIDDEN, key, now)
    elif comment.status is CommentStatus.HIDDEN and decided_by_other:
        event_id = _event_id(session, event)
        _decision(session, comment, NoticeKind.HIDDEN, f"hidden:{event_id}", now, event_id)
    elif comment.status is CommentStatus.PENDING:
        _waiting(session, comment, f"waiting:{_event_id(session, event)}", now)


def comment_flagged(session: Session, comment: Comment, flag: Flag) -> None:
    """A flag on a visible comment puts it in the queue when it is the first open one."""
    if comment.status is CommentStatus.VISIBLE and comment.flag_count == 1:
        _waiting(session, comment, f"flagged:{flag.id}", flag.created_at)


def member_banned(
    session: Session,
    member: User,
    event: ModerationEvent,
    *,
    reason: str,
    until: datetime | None,
    comments_hidden: bool,
) -> None:
    """The banned member is told why and until when (and nothing else while banned)."""
    params = {
        "reason": reason,
        "until": until.astimezone(UTC).isoformat() if until else None,
        "comments_hidden": comments_hidden,
    }
    write_notices(
        session,
        one(member.id),
        NoticeKind.BANNED,
        dedupe_key=f"ban:{_event_id(session, event)}",
        now=event.created_at,
        event_id=event.id,
        params=params,
    )


def member_unbanned(session: Session, member: User, event: ModerationEvent) -> None:
    """The member whose ban a moderator lifted is told they may write again.

    A ban lifted before its notice reached the member (neither mailed nor read) is not news:
    its notice is withdrawn and nothing is said of the lifting either.
    """
    unseen = session.execute(
        update(Notice)
        .where(
            Notice.recipient_id == member.id,
            Notice.kind == NoticeKind.BANNED,
            Notice.mail_state == MailState.PENDING,
            Notice.read_at.is_(None),
            Notice.cleared_at.is_(None),
        )
        .values(mail_state=MailState.SKIPPED, cleared_at=event.created_at)
        .execution_options(synchronize_session=False)
    )
    if unseen.rowcount:
        return
    write_notices(
        session,
        one(member.id),
        NoticeKind.UNBANNED,
        dedupe_key=f"unban:{_event_id(session, event)}",
        now=event.created_at,
        event_id=event.id,
    )


def account_erased(session: Session, user_id: int) -> None:
    """An erased account keeps no notices, follows or settings."""
    for model, column in (
        (Notice, Notice.recipient_id),
        (ArticleFollow, ArticleFollow.user_id),
        (NotificationSettings, NotificationSettings.user_id),
        (NoticeDigest, NoticeDigest.recipient_id),
    ):
        session.execute(
            delete(model).where(column == user_id).execution_options(synchronize_session=False)
        )


def _became_visible(session: Session, comment: Comment, now: datetime) -> None:
    """The answered member hears of a reply; the article's followers of a new comment."""
    skip = {comment.author_id}
    if comment.parent_id is not None:
        parent_author = session.scalar(
            select(Comment.author_id).where(Comment.id == comment.parent_id)
        )
        if parent_author is not None and parent_author != comment.author_id:
            skip.add(parent_author)  # told of the reply; not of the same comment again
            write_notices(
                session,
                select(User.id).where(User.id == parent_author, may_be_told(now)),
                NoticeKind.REPLY,
                dedupe_key=f"reply:{comment.id}",
                now=now,
                comment_id=comment.id,
                article_id=comment.article_id,
                again_if_skipped=True,
            )
    followers = (
        select(User.id)
        .join(ArticleFollow, ArticleFollow.user_id == User.id)
        .where(
            ArticleFollow.article_id == comment.article_id,
            User.id.not_in(skip),
            may_be_told(now),
        )
    )
    write_notices(
        session,
        followers,
        NoticeKind.FOLLOWED,
        dedupe_key=f"followed:{comment.id}",
        now=now,
        comment_id=comment.id,
        article_id=comment.article_id,
        digest_key=article_digest(comment.article_id),
        again_if_skipped=True,
    )


def _decision(
    session: Session,
    comment: Comment,
    kind: NoticeKind,
    dedupe_key: str,
    now: datetime,
    event_id: int | None = None,
) -> None:
    write_notices(
        session,
        select(User.id).where(User.id == comment.author_id, may_be_told(now)),
        kind,
        dedupe_key=dedupe_key,
        now=now,
        comment_id=comment.id,
        article_id=comment.article_id,
        event_id=event_id,
    )


def _waiting(session: Session, comment: Comment, dedupe_key: str, now: datetime) -> None:
    """Moderators who asked for the digest of waiting comments get this one in it."""
    staff = select(User.id).where(
        is_staff(), wants_moderation_mails(), may_be_told(now), User.id != comment.author_id
    )
    write_notices(
        session,
        staff,
        NoticeKind.WAITING,
        dedupe_key=dedupe_key,
        now=now,
        comment_id=comment.id,
        article_id=comment.article_id,
        digest_key=MODERATION_DIGEST,
    )
