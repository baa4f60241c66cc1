"""Moderators' decisions on comments and discussions: approve, hide, unhide, delete, close.

Each decision checks who acts and what the comment looked like when the moderator decided
(``expected``): a decision taken on a page that has since gone stale is refused rather than
silently applied to a comment someone else already handled.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Article, Comment, CommentStatus, ModerationAction, User
from app.permissions import is_moderator
from app.services import transitions
from app.services.errors import Conflict, InvalidInput, NotAllowed, NotFound
from app.services.flags import close_open_flags, dismiss_flags

MAX_REASON_LENGTH = 500


def require_moderator(actor: User | None) -> None:
    if not is_moderator(actor):
        raise NotAllowed(_l("Only moderators may do this."))


def clean_reason(reason: str | None) -> str | None:
    reason = " ".join((reason or "").split())
    if len(reason) > MAX_REASON_LENGTH:
        raise InvalidInput(
            _l("A reason may have at most %(num)d characters.", num=MAX_REASON_LENGTH),
            field="reason",
        )
    return reason or None


def load_comment(session: Session, comment_id: int) -> Comment:
    """The comment, locked for the decision where the database can lock rows."""
    comment = session.scalar(
        select(Comment).where(Comment.id == comment_id).with_for_update(of=Comment)
    )
    if comment is None:
        raise NotFound(_l("This comment does not exist."))
    return comment


def _check_expected(comment: Comment, expected: CommentStatus | None) -> None:
    if expected is not None and comment.status is not expected:
        raise Conflict(
            _l("Someone else has dealt with this comment in the meantime; nothing was changed.")
        )


def approve(
    session: Session,
    comment: Comment,
    *,
    actor: User,
    now: datetime,
    reason: str | None = None,
    expected: CommentStatus | None = None,
) -> None:
    """Make a pending comment visible, or clear the flags of a visible one (it is fine)."""
    require_moderator(actor)
    _check_expected(comment, expected)
    reason = clean_reason(reason)
    if comment.status is CommentStatus.PENDING:
        close_open_flags(session, comment, now)
        transitions.change_status(
            session,
            comment,
            CommentStatus.VISIBLE,
            action=ModerationAction.APPROVE,
            actor=actor,
            now=now,
            reason=reason,
        )
    elif comment.status is CommentStatus.VISIBLE and comment.flag_count > 0:
        dismiss_flags(session, comment, actor=actor, now=now, reason=reason)
    else:
        raise InvalidInput(_l("Only a waiting or flagged comment can be approved."))


def _move(
    session: Session,
    comment: Comment,
    to: CommentStatus,
    action: ModerationAction,
    *,
    allowed_from: tuple[CommentStatus, ...],
    refusal: Any,
    actor: User,
    now: datetime,
    reason: str | None,
    expected: CommentStatus | None,
) -> None:
    """The shape every single decision has: check, then one logged change of state."""
    require_moderator(actor)
    _check_expected(comment, expected)
    reason = clean_reason(reason)
    if comment.status not in allowed_from:
        raise InvalidInput(refusal)
    if to is CommentStatus.VISIBLE:
        close_open_flags(session, comment, now)  # the decision settles its flags
    transitions.change_status(
        session, comment, to, action=action, actor=actor, now=now, reason=reason
    )


def hide(
    session: Session,
    comment: Comment,
    *,
    actor: User,
    now: datetime,
    reason: str | None = None,
    expected: CommentStatus | None = None,
) -> None:
    _move(
        session, comment, CommentStatus.HIDDEN, ModerationAction.HIDE,
        allowed_from=(CommentStatus.PENDING, CommentStatus.VISIBLE),
        refusal=_l("Only a waiting or visible comment can be hidden."),
        actor=actor, now=now, reason=reason, expected=expected,
    )  # fmt: skip


def unhide(
    session: Session,
    comment: Comment,
    *,
    actor: User,
    now: datetime,
    reason: str | None = None,
    expected: CommentStatus | None = None,
) -> None:
    """Show a hidden comment again; flags it had are settled by this decision."""
    _move(
        session, comment, CommentStatus.VISIBLE, ModerationAction.UNHIDE,
        allowed_from=(CommentStatus.HIDDEN,),
        refusal=_l("Only a hidden comment can be shown again."),
        actor=actor, now=now, reason=reason, expected=expected,
    )  # fmt: skip


def delete(
    session: Session,
    comment: Comment,
    *,
    actor: User,
    now: datetime,
    reason: str | None = None,
    expected: CommentStatus | None = None,
) -> None:
    """Soft-delete: the row stays for the log and the thread's shape."""
    _move(
        session, comment, CommentStatus.DELETED, ModerationAction.DELETE,
        allowed_from=(CommentStatus.PENDING, CommentStatus.VISIBLE, CommentStatus.HIDDEN),
        refusal=_l("This comment has been deleted already."),
        actor=actor, now=now, reason=reason, expected=expected,
    )  # fmt: skip


DECISIONS = {"approve": approve, "hide": hide, "unhide": unhide, "delete": delete}
BULK_DECISIONS = ("approve", "hide")


@dataclass
class BulkResult:
    done: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # gone, or no longer in a fitting state


def bulk(
    session: Session,
    decision: str,
    comment_ids: Iterable[int],
    *,
    actor: User,
    now: datetime,
    reason: str | None = None,
) -> BulkResult:
    """Approve or hide many comments; those someone else has dealt with meanwhile are skipped."""
    require_moderator(actor)
    if decision not in BULK_DECISIONS:
        raise InvalidInput(_l("Choose approve or hide."), field="action")
    reason = clean_reason(reason)
    ids = sorted({int(i) for i in comment_ids})
    if not ids:
        raise InvalidInput(_l("Select at least one comment."), field="ids")
    # Locked in the order of their ids, so two bulk decisions cannot wait for each other.
    query = select(Comment).where(Comment.id.in_(ids)).order_by(Comment.id)
    comments = {c.id: c for c in session.scalars(query.with_for_update(of=Comment))}
    result = BulkResult()
    for comment_id in ids:
        comment = comments.get(comment_id)
        try:
            if comment is None:
                raise NotFound(_l("This comment does not exist."))
            DECISIONS[decision](session, comment, actor=actor, now=now, reason=reason)
        except (InvalidInput, NotFound):
            result.skipped.append(comment_id)
        else:
            result.done.append(comment_id)
    return result


def set_comments_open(
    session: Session,
    article: Article,
    is_open: bool,
    *,
    actor: User,
    now: datetime,
    reason: str | None = None,
) -> None:
    """Close or reopen the discussion under *article*."""
    require_moderator(actor)
    reason = clean_reason(reason)
    if article.comments_open == is_open:
        if is_open:
            raise InvalidInput(_l("Comments on this article are open already."))
        raise InvalidInput(_l("Comments on this article are closed already."))
    article.comments_open = is_open
    transitions.log_event(
        session,
        action=ModerationAction.REOPEN if is_open else ModerationAction.CLOSE,
        actor=actor,
        now=now,
        article_id=article.id,
        from_state="closed" if is_open else "open",
        to_state="open" if is_open else "closed",
        reason=reason,
    )
    transitions.discussion_changed(session, article.id)
