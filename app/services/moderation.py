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
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from app.models import (
    Article,
    Comment,
    CommentStatus,
    ModerationAction,
    ModerationEvent,
    Reason,
    User,
)
from app.permissions import is_moderator
from app.services import reasons, transitions
from app.services.errors import Conflict, InvalidInput, NotAllowed, NotFound
from app.services.flags import close_open_flags, dismiss_flags

MAX_REASON_LENGTH = reasons.MAX_NOTE_LENGTH


def require_moderator(actor: User | None) -> None:
    if not is_moderator(actor):
        raise NotAllowed(_l("Only moderators may do this."))


def clean_reason(reason: str | None) -> Reason | None:
    """What the moderator typed, as a note; None when nothing was typed."""
    text = " ".join((reason or "").split())
    if len(text) > MAX_REASON_LENGTH:
        raise InvalidInput(
            _l("A reason may have at most %(num)d characters.", num=MAX_REASON_LENGTH),
            field="reason",
        )
    return reasons.note(text)


def load_comment(session: Session, comment_id: int) -> Comment:
    """The comment, locked for the decision where the database can lock rows."""
    comment = session.scalar(
        select(Comment).where(Comment.id == comment_id).with_for_update(of=Comment)
    )
    if comment is None:
        raise NotFound(_l("This comment does not exist."))
    return comment


STALE = _l("Someone else has dealt with this comment in the meantime; nothing was changed.")


def _check_expected(
    comment: Comment, expected: CommentStatus | None, seen_flags: int | None = None
) -> None:
    """The comment still looks as the moderator saw it (state and open flags)."""
    if expected is not None and comment.status is not expected:
        raise Conflict(STALE)
    if seen_flags is not None and comment.flag_count != seen_flags:
        raise Conflict(STALE)


def approve(
    session: Session,
    comment: Comment,
    *,
    actor: User,
    now: datetime,
    reason: str | None = None,
    expected: CommentStatus | None = None,
    seen_flags: int | None = None,
) -> ModerationEvent:
    """Make a pending comment visible, or clear the flags of a visible one (it is fine)."""
    require_moderator(actor)
    _check_expected(comment, expected, seen_flags)
    note = clean_reason(reason)
    if comment.status is CommentStatus.PENDING:
        return _decide(
            session, comment, CommentStatus.VISIBLE, ModerationAction.APPROVE,
            actor=actor, now=now, reason=note, seen_flags=seen_flags,
        )  # fmt: skip
    if comment.status is CommentStatus.VISIBLE and comment.flag_count > 0:
        return dismiss_flags(
            session, comment, actor=actor, now=now, reason=note, seen_flags=seen_flags
        )
    raise InvalidInput(_l("Only a waiting or flagged comment can be approved."))


def _decide(
    session: Session,
    comment: Comment,
    to: CommentStatus,
    action: ModerationAction,
    *,
    actor: User,
    now: datetime,
    reason: Reason | None,
    seen_flags: int | None,
) -> ModerationEvent:
    """One logged change of state; a comment made visible has its flags settled with it."""
    event = transitions.change_status(
        session, comment, to, action=action, actor=actor, now=now, reason=reason,
        seen_flags=seen_flags,
    )  # fmt: skip
    if to is CommentStatus.VISIBLE:
        settled = close_open_flags(session, comment, now)
        event.previous = {**(event.previous or {}), "flags": settled}
    return event


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
    seen_flags: int | None,
) -> ModerationEvent:
    """The shape every single decision has: check, then one logged change of state."""
    require_moderator(actor)
    _check_expected(comment, expected, seen_flags)
    note = clean_reason(reason)
    if comment.status not in allowed_from:
        raise InvalidInput(refusal)
    return _decide(
        session, comment, to, action, actor=actor, now=now, reason=note, seen_flags=seen_flags
    )


def hide(
    session: Session,
    comment: Comment,
    *,
    actor: User,
    now: datetime,
    reason: str | None = None,
    expected: CommentStatus | None = None,
    seen_flags: int | None = None,
) -> ModerationEvent:
    return _move(
        session, comment, CommentStatus.HIDDEN, ModerationAction.HIDE,
        allowed_from=(CommentStatus.PENDING, CommentStatus.VISIBLE),
        refusal=_l("Only a waiting or visible comment can be hidden."),
        actor=actor, now=now, reason=reason, expected=expected, seen_flags=seen_flags,
    )  # fmt: skip


def unhide(
    session: Session,
    comment: Comment,
    *,
    actor: User,
    now: datetime,
    reason: str | None = None,
    expected: CommentStatus | None = None,
    seen_flags: int | None = None,
) -> ModerationEvent:
    """Show a hidden comment again; flags it had are settled by this decision."""
    return _move(
        session, comment, CommentStatus.VISIBLE, ModerationAction.UNHIDE,
        allowed_from=(CommentStatus.HIDDEN,),
        refusal=_l("Only a hidden comment can be shown again."),
        actor=actor, now=now, reason=reason, expected=expected, seen_flags=seen_flags,
    )  # fmt: skip


def delete(
    session: Session,
    comment: Comment,
    *,
    actor: User,
    now: datetime,
    reason: str | None = None,
    expected: CommentStatus | None = None,
    seen_flags: int | None = None,
) -> ModerationEvent:
    """Soft-delete: the row stays for the log and the thread's shape."""
    return _move(
        session, comment, CommentStatus.DELETED, ModerationAction.DELETE,
        allowed_from=(CommentStatus.PENDING, CommentStatus.VISIBLE, CommentStatus.HIDDEN),
        refusal=_l("This comment has been deleted already."),
        actor=actor, now=now, reason=reason, expected=expected, seen_flags=seen_flags,
    )  # fmt: skip


DECISIONS = {"approve": approve, "hide": hide, "unhide": unhide, "delete": delete}
BULK_DECISIONS = ("approve", "hide")


@dataclass
class BulkResult:
    # The decided comments' ids, each with its decision's event id (for the offer to undo).
    events: dict[int, int] = field(default_factory=dict)
    skipped: list[int] = field(default_factory=list)  # gone, or no longer in a fitting state

    @property
    def done(self) -> list[int]:
        return list(self.events)


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
    clean_reason(reason)  # refused once for all, before anything is decided
    ids = sorted({int(i) for i in comment_ids})
    if not ids:
        raise InvalidInput(_l("Select at least one comment."), field="ids")
    # Locked in the order of their ids, so two bulk decisions cannot wait for each other.
    query = select(Comment).where(Comment.id.in_(ids)).order_by(Comment.id)
    comments = {c.id: c for c in session.scalars(query.with_for_update(of=Comment))}
    result = BulkResult()
    decided: list[ModerationEvent] = []
    for comment_id in ids:
        comment = comments.get(comment_id)
        try:
            if comment is None:
                raise NotFound(_l("This comment does not exist."))
            # A refused or stale decision raises before it writes anything.
            event = DECISIONS[decision](session, comment, actor=actor, now=now, reason=reason)
        except (InvalidInput, NotFound, Conflict):
            result.skipped.append(comment_id)
        else:
            decided.append(event)
    session.flush()  # the events' ids, for the offer to undo them
    result.events = {event.comment_id: event.id for event in decided}
    return result


def set_comments_open(
    session: Session,
    article: Article,
    is_open: bool,
    *,
    actor: User,
    now: datetime,
    reason: str | None = None,
) -> ModerationEvent:
    """Close or reopen the discussion under *article* (only if nobody did it meanwhile)."""
    require_moderator(actor)
    note = clean_reason(reason)
    changed = session.execute(
        update(Article)
        .where(Article.id == article.id, Article.comments_open.is_(not is_open))
        .values(comments_open=is_open)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        session.expire(article)
        if is_open:
            raise InvalidInput(_l("Comments on this article are open already."))
        raise InvalidInput(_l("Comments on this article are closed already."))
    set_committed_value(article, "comments_open", is_open)
    event = transitions.log_event(
        session,
        action=ModerationAction.REOPEN if is_open else ModerationAction.CLOSE,
        actor=actor,
        now=now,
        article_id=article.id,
        from_state="closed" if is_open else "open",
        to_state="open" if is_open else "closed",
        reason=note,
    )
    transitions.discussion_changed(session, article.id)
    return event
