"""Members flag comments; enough flags send a visible comment back to review.

``Comment.flag_count`` holds the number of open (not dismissed) flags. It is recounted from
the flags table after every change rather than incremented, so it cannot drift.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from app.models import (
    Comment,
    CommentStatus,
    Flag,
    FlagReason,
    ModerationAction,
    ModerationEvent,
    Reason,
    User,
)
from app.permissions import can_see_comment, can_write, is_moderator
from app.services import notifications, reasons, transitions
from app.services.errors import Conflict, InvalidInput, NotAllowed, NotFound

MAX_NOTE_LENGTH = 500


def has_flagged(session: Session, comment: Comment, user: User) -> bool:
    return bool(
        session.scalar(
            select(exists().where(Flag.comment_id == comment.id, Flag.user_id == user.id))
        )
    )


def _recount(session: Session, comment: Comment) -> int:
    """Count the open flags into ``flag_count`` in the database, then read the result."""
    session.flush()
    open_flags = (
        select(func.count(Flag.id))
        .where(Flag.comment_id == comment.id, Flag.dismissed_at.is_(None))
        .scalar_subquery()
    )
    count = session.scalar(
        update(Comment)
        .where(Comment.id == comment.id)
        .values(flag_count=open_flags)
        .returning(Comment.flag_count)
        .execution_options(synchronize_session=False)
    )
    set_committed_value(comment, "flag_count", int(count or 0))
    return comment.flag_count


def parse_reason(
    reason: str | FlagReason | None, note: str | None
) -> tuple[FlagReason, str | None]:
    try:
        parsed = FlagReason(reason)
    except ValueError:
        raise InvalidInput(_l("Please choose a reason."), field="reason") from None
    note = " ".join((note or "").split()) or None
    if note and len(note) > MAX_NOTE_LENGTH:
        raise InvalidInput(
            _l("A note may have at most %(num)d characters.", num=MAX_NOTE_LENGTH), field="note"
        )
    if parsed is FlagReason.OTHER and not note:
        raise InvalidInput(_l("Please say briefly what is wrong."), field="note")
    return parsed, note


def check_may_flag(session: Session, comment: Comment, user: User, now: datetime) -> None:
    """Raise the error that explains why *user* may not flag *comment*, if they may not."""
    if not can_see_comment(user, comment) or comment.status is CommentStatus.DELETED:
        raise NotFound(_l("This comment does not exist."))
    if comment.author_id == user.id:
        raise NotAllowed(_l("You cannot flag your own comment."))
    if not can_write(user, now):
        raise NotAllowed(_l("Your account may not flag comments at the moment."))
    if comment.status is not CommentStatus.VISIBLE:
        raise InvalidInput(_l("This comment is being reviewed by the moderators already."))
    if has_flagged(session, comment, user):
        raise Conflict(_l("You have flagged this comment already."))


def flag_comment(
    session: Session,
    comment: Comment,
    *,
    user: User,
    reason: str | FlagReason | None,
    note: str | None,
    now: datetime,
    threshold: int,
) -> Flag:
    """Record *user*'s flag; at *threshold* open flags a visible comment goes back to pending."""
    check_may_flag(session, comment, user, now)
    parsed, note = parse_reason(reason, note)
    flag = Flag(comment_id=comment.id, user_id=user.id, reason=parsed, note=note, created_at=now)
    session.add(flag)
    try:
        session.flush()
    except IntegrityError:  # the same member, twice at the same moment; caller rolls back
        raise Conflict(_l("You have flagged this comment already.")) from None
    count = _recount(session, comment)
    if comment.status is CommentStatus.VISIBLE and count >= threshold:
        try:
            transitions.change_status(
                session,
                comment,
                CommentStatus.PENDING,
                action=ModerationAction.FLAG_THRESHOLD,
                actor=None,
                now=now,
                reason=reasons.flag_threshold(count, threshold),
            )
            notifications.comment_flagged(session, comment, flag)
            return flag
        except transitions.StaleState:
            # Another flag sent it back at the same moment, or a moderator decided: this
            # flag still counts, and the log keeps the one move that happened.
            session.refresh(comment)
    transitions.discussion_changed(session, comment.article_id)
    notifications.comment_flagged(session, comment, flag)
    return flag


def close_open_flags(session: Session, comment: Comment, now: datetime) -> list[int]:
    """Settle the open flags as part of another decision (approve, unhide); no event of its
    own. Returns the ids of the flags it closed, so the decision can be taken back."""
    closed = session.scalars(
        update(Flag)
        .where(Flag.comment_id == comment.id, Flag.dismissed_at.is_(None))
        .values(dismissed_at=now)
        .returning(Flag.id)
        .execution_options(synchronize_session=False)
    ).all()
    _recount(session, comment)
    return sorted(closed)


def reopen_flags(session: Session, comment: Comment, flag_ids: Iterable[int]) -> None:
    """Open again the flags a decision closed, when that decision is taken back."""
    ids = list(flag_ids)
    if ids:
        session.execute(
            update(Flag)
            .where(Flag.comment_id == comment.id, Flag.id.in_(ids))
            .values(dismissed_at=None)
            .execution_options(synchronize_session=False)
        )
    _recount(session, comment)


def dismiss_flags(
    session: Session,
    comment: Comment,
    *,
    actor: User,
    now: datetime,
    reason: Reason | str | None = None,
    seen_flags: int | None = None,
) -> ModerationEvent:
    """A moderator finds the flags unfounded: they are closed and the log says so.

    With *seen_flags* (the open flags the moderator saw) the dismissal only happens while
    the comment still has exactly those, so it cannot cross another decision.
    """
    if not is_moderator(actor):
        raise NotAllowed(_l("Only moderators may do this."))
    if comment.flag_count <= 0 and not _recount(session, comment):
        raise InvalidInput(_l("This comment has no open flags."))
    # Claims the comment as a change of state would, so that of a dismissal and a decision
    # taken at the same moment only one happens.
    transitions.move_comment(
        session,
        comment,
        comment.status,
        {"flag_count": 0},
        seen_flags=comment.flag_count if seen_flags is None else seen_flags,
    )
    closed = close_open_flags(session, comment, now)
    event = transitions.log_event(
        session,
        action=ModerationAction.DISMISS_FLAGS,
        actor=actor,
        now=now,
        comment=comment,
        from_state=comment.status.value,
        to_state=comment.status.value,
        reason=reason,
        previous={"flags": closed},
    )
    transitions.discussion_changed(session, comment.article_id)
    return event


def open_flags(session: Session, comment_ids: Iterable[int]) -> dict[int, list[Flag]]:
    """The open flags of many comments, oldest first, in one query."""
    ids = list(set(comment_ids))
    by_comment: dict[int, list[Flag]] = defaultdict(list)
    if not ids:
        return by_comment
    query = (
        select(Flag)
        .where(Flag.comment_id.in_(ids), Flag.dismissed_at.is_(None))
        .order_by(Flag.created_at, Flag.id)
    )
    for flag in session.scalars(query):
        by_comment[flag.comment_id].append(flag)
    return by_comment


def all_flags(session: Session, comment: Comment) -> list[Flag]:
    """Every flag of one comment, dismissed ones too, for its history."""
    return list(
        session.scalars(
            select(Flag).where(Flag.comment_id == comment.id).order_by(Flag.created_at, Flag.id)
        )
    )
