"""The comment lifecycle: every change of a comment's state goes through here.

Each change writes one row to the moderation log, keeps the article's count of visible
comments right, and marks the article's discussion as changed (for caches).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.models import Article, Comment, CommentStatus, ModerationAction, ModerationEvent, User
from app.services import notifications
from app.services.errors import InvalidInput

P, V, H, D = (
    CommentStatus.PENDING,
    CommentStatus.VISIBLE,
    CommentStatus.HIDDEN,
    CommentStatus.DELETED,
)
ALLOWED_TRANSITIONS: frozenset[tuple[CommentStatus, CommentStatus]] = frozenset(
    {(P, V), (P, H), (V, H), (H, V), (V, P), (P, D), (V, D), (H, D)}
)


def log_event(
    session: Session,
    *,
    action: ModerationAction,
    actor: User | None,
    now: datetime,
    comment: Comment | None = None,
    article_id: int | None = None,
    target_user_id: int | None = None,
    from_state: str | None = None,
    to_state: str | None = None,
    reason: str | None = None,
) -> ModerationEvent:
    event = ModerationEvent(
        action=action,
        actor_id=actor.id if actor is not None else None,
        comment_id=comment.id if comment is not None else None,
        article_id=article_id if article_id is not None else (comment and comment.article_id),
        target_user_id=target_user_id
        if target_user_id is not None
        else (comment.author_id if comment is not None else None),
        from_state=from_state,
        to_state=to_state,
        reason=(reason or "").strip() or None,
        created_at=now,
    )
    session.add(event)
    return event


def change_status(
    session: Session,
    comment: Comment,
    to: CommentStatus,
    *,
    action: ModerationAction,
    actor: User | None,
    now: datetime,
    reason: str | None = None,
) -> ModerationEvent:
    """Move *comment* to *to*; raises InvalidInput for a change the lifecycle does not allow."""
    before = comment.status
    if (before, to) not in ALLOWED_TRANSITIONS:
        raise InvalidInput(_l("This comment cannot change from that state to this one."))
    comment.status = to
    comment.status_changed_at = now
    comment.status_reason = (reason or "").strip()[:500] or None
    event = log_event(
        session,
        action=action,
        actor=actor,
        now=now,
        comment=comment,
        from_state=before.value,
        to_state=to.value,
        reason=reason,
    )
    discussion_changed(session, comment.article_id)
    notifications.comment_status_changed(session, comment, before, event)
    return event


def discussion_changed(session: Session, article_id: int) -> None:
    """Recount the article's visible comments and mark its discussion as changed.

    The count is recomputed in the database in one statement rather than incremented, so
    concurrent changes cannot leave it wrong.
    """
    session.flush()
    # Wait for other writers of this article first: on PostgreSQL the counting statement
    # then starts after their commit and sees their comments (a statement waiting inside
    # the UPDATE would count with its older snapshot and lose them). NO KEY UPDATE is the
    # lock the UPDATE takes anyway; a stronger one would deadlock with the key-share lock
    # each new comment's foreign key holds on the article.
    session.execute(
        select(Article.id).where(Article.id == article_id).with_for_update(key_share=True)
    )
    visible = (
        select(func.count(Comment.id))
        .where(Comment.article_id == article_id, Comment.status == CommentStatus.VISIBLE)
        .scalar_subquery()
    )
    session.execute(
        update(Article)
        .where(Article.id == article_id)
        .values(
            visible_comment_count=visible,
            discussion_version=Article.discussion_version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    article = session.get(Article, article_id)
    if article is not None:
        session.expire(article, ["visible_comment_count", "discussion_version"])
