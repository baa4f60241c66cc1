"""The comment lifecycle: every change of a comment's state goes through here.

Each change writes one row to the moderation log, keeps the article's count of visible
comments right, and marks the article's discussion as changed (for caches). A change only
happens if the comment is still in the state it was read in, so two people deciding at once
cannot both win.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from app.caching import bumps
from app.models import (
    Article,
    Comment,
    CommentStatus,
    ModerationAction,
    ModerationEvent,
    Reason,
    ReasonCode,
    User,
    VersionScope,
)
from app.services import notifications, reasons
from app.services.errors import Conflict, InvalidInput

P, V, H, D = (
    CommentStatus.PENDING,
    CommentStatus.VISIBLE,
    CommentStatus.HIDDEN,
    CommentStatus.DELETED,
)
ALLOWED_TRANSITIONS: frozenset[tuple[CommentStatus, CommentStatus]] = frozenset(
    {(P, V), (P, H), (V, H), (H, V), (V, P), (P, D), (V, D), (H, D)}
)


class StaleState(Conflict):
    """The comment left the state a change started from: someone else was quicker."""


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
    reason: Reason | str | None = None,
    previous: dict[str, Any] | None = None,
) -> ModerationEvent:
    """One row of the log. *reason* is a code with parameters (see app.services.reasons);
    text is taken as what a person typed. *previous* keeps what undoing needs."""
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
        created_at=now,
        previous=previous,
    )
    event.reason = reasons.coerce(reason)
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
    reason: Reason | str | None = None,
    seen_flags: int | None = None,
) -> ModerationEvent:
    """Move *comment* from the state it was read in to *to*, and log it.

    The move is one conditional UPDATE (``WHERE status = <the state read>``, and the number
    of open flags when *seen_flags* is given), so of two decisions taken at the same moment
    exactly one moves the comment, on every database; the other raises StaleState and
    changes nothing. InvalidInput for a change the lifecycle does not allow.
    """
    before = comment.status
    if (before, to) not in ALLOWED_TRANSITIONS:
        raise InvalidInput(_l("This comment cannot change from that state to this one."))
    reason = reasons.coerce(reason)
    previous = {
        "status": before.value,
        "reason_code": comment.status_reason_code,
        "reason_params": comment.status_reason_params,
        "changed_at": comment.status_changed_at.isoformat() if comment.status_changed_at else None,
    }
    new_values = {
        "status": to,
        "status_changed_at": now,
        "status_reason_code": reason.code if reason else None,
        "status_reason_params": dict(reason.params) if reason else None,
    }
    move_comment(session, comment, before, new_values, seen_flags=seen_flags)
    event = log_event(
        session,
        action=action,
        actor=actor,
        now=now,
        comment=comment,
        from_state=before.value,
        to_state=to.value,
        reason=reason,
        previous=previous,
    )
    discussion_changed(session, comment.article_id)
    notifications.comment_status_changed(session, comment, before, event)
    return event


def move_comment(
    session: Session,
    comment: Comment,
    expected: CommentStatus,
    values: dict[str, Any],
    *,
    seen_flags: int | None = None,
) -> None:
    """Write *values* to the comment if it is still *expected*; StaleState if it is not.

    Only this module and the undoing of decisions (app.services.undo) call it.
    """
    conditions = [Comment.id == comment.id, Comment.status == expected]
    if seen_flags is not None:
        conditions.append(Comment.flag_count == seen_flags)
    result = session.execute(
        update(Comment)
        .where(*conditions)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        session.expire(comment)
        raise StaleState(
            _l("Someone else has dealt with this comment in the meantime; nothing was changed.")
        )
    for name, value in values.items():  # what the row now holds, without reading it again
        set_committed_value(comment, name, value)


def restore_status(
    session: Session, comment: Comment, event: ModerationEvent, *, actor: User, now: datetime
) -> ModerationEvent:
    """Put *comment* back as it was before *event* (its state, reason and time of change),
    if it is still as *event* left it; logged as an UNDO of that event. The lifecycle's
    allowed moves do not apply: this returns to a state the comment was in a moment ago.
    """
    previous = event.previous or {}
    current, before = CommentStatus(event.to_state), CommentStatus(previous["status"])
    changed_at, code = previous.get("changed_at"), previous.get("reason_code")
    values = {
        "status": before,
        "status_changed_at": datetime.fromisoformat(changed_at) if changed_at else None,
        "status_reason_code": ReasonCode(code) if code else None,
        "status_reason_params": previous.get("reason_params"),
    }
    move_comment(session, comment, current, values)
    undone = log_event(
        session,
        action=ModerationAction.UNDO,
        actor=actor,
        now=now,
        comment=comment,
        from_state=current.value,
        to_state=before.value,
        reason=reasons.undo(event),
    )
    discussion_changed(session, comment.article_id)
    notifications.comment_status_changed(session, comment, current, undone)
    return undone


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
        .values(visible_comment_count=visible)
        .execution_options(synchronize_session=False)
    )
    # The comment may have moved by a conditional UPDATE, which no flush sees.
    bumps.changed(session, [article_id], [VersionScope.COMMENTS])
    article = session.get(Article, article_id)
    if article is not None:
        session.expire(article, ["visible_comment_count"])
