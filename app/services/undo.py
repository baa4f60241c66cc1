"""Taking a decision back, for a few minutes after it was taken.

Only the moderator who took a decision may take it back (anyone else decides anew, which
the log shows as a decision of their own), and only while nothing has happened to the
comment or account since. Undoing restores exactly what the decision replaced (state,
reason, the flags it settled, the ban's fields, the comments hidden with a ban) and is logged
as an event of its own. Every restore is a conditional write, so an undo racing another
decision either wins completely or changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from app.models import (
    AccountState,
    Comment,
    ModerationAction,
    ModerationEvent,
    User,
)
from app.permissions import is_moderator
from app.services import reasons, transitions
from app.services.errors import Conflict, InvalidInput, NotAllowed, NotFound
from app.services.flags import reopen_flags

# Decisions on one comment that can be taken back, and the ban.
COMMENT_DECISIONS = frozenset(
    {
        ModerationAction.APPROVE,
        ModerationAction.HIDE,
        ModerationAction.UNHIDE,
        ModerationAction.DELETE,
        ModerationAction.DISMISS_FLAGS,
    }
)
UNDOABLE = COMMENT_DECISIONS | {ModerationAction.BAN}
CHANGED_SINCE = _l("This can no longer be undone: something has happened since. Decide anew.")


def undo_deadline(event: ModerationEvent, window: timedelta) -> datetime:
    return event.created_at + window


def may_undo(actor: User | None, event: ModerationEvent, now: datetime, window: timedelta) -> bool:
    """Whether *actor* is offered to take *event* back now (the checks :func:`undo` makes
    without the database: it may still find that something has happened since)."""
    return (
        is_moderator(actor)
        and event.actor_id == actor.id
        and event.action in UNDOABLE
        and event.undone_at is None
        and now <= undo_deadline(event, window)
    )


def undo(
    session: Session, event_id: int, *, actor: User, now: datetime, window: timedelta
) -> ModerationEvent:
    """Take back the decision logged as *event_id*; returns the new UNDO event."""
    if not is_moderator(actor):
        raise NotAllowed(_l("Only moderators may do this."))
    event = session.get(ModerationEvent, event_id)
    if event is None:
        raise NotFound(_l("There is no such decision."))
    if event.actor_id != actor.id:
        raise NotAllowed(_l("Only the moderator who took a decision can undo it."))
    if event.action not in UNDOABLE:
        raise InvalidInput(_l("This decision cannot be undone."))
    if event.undone_at is not None:
        raise Conflict(_l("This decision has been undone already."))
    if now > undo_deadline(event, window):
        raise InvalidInput(_l("The time for undoing this decision has run out. Decide anew."))
    _claim(session, event, now)
    if event.action is ModerationAction.BAN:
        return _undo_ban(session, event, actor=actor, now=now)
    comment = session.get(Comment, event.comment_id) if event.comment_id else None
    if comment is None:
        raise Conflict(CHANGED_SINCE)
    return _undo_comment_decision(session, event, comment, actor=actor, now=now)


@dataclass
class ManyUndone:
    done: list[int] = field(default_factory=list)  # the events taken back
    skipped: list[int] = field(default_factory=list)  # their time ran out, or something happened


def undo_many(
    session: Session,
    event_ids: Iterable[int],
    *,
    actor: User,
    now: datetime,
    window: timedelta,
) -> ManyUndone:
    """Take back the decisions on comments of one bulk decision.

    Decisions that can no longer be taken back (their time ran out, or something happened to
    their comment since) are skipped; the others are taken back together. Another
    moderator's decision among them refuses the whole request: the offer only ever names the
    moderator's own.
    """
    if not is_moderator(actor):
        raise NotAllowed(_l("Only moderators may do this."))
    ids = sorted(set(event_ids))
    if not ids:
        raise InvalidInput(_l("There is no such decision."))
    events = {
        e.id: e for e in session.scalars(select(ModerationEvent).where(ModerationEvent.id.in_(ids)))
    }
    if any(event.actor_id != actor.id for event in events.values()):
        raise NotAllowed(_l("Only the moderator who took a decision can undo it."))
    latest = _latest_events(session, [event.comment_id for event in events.values()])
    result = ManyUndone()
    for event_id in ids:
        event = events.get(event_id)
        if (
            event is None
            or event.action not in COMMENT_DECISIONS
            or not may_undo(actor, event, now, window)
            or latest.get(event.comment_id, event.id) > event.id  # something happened since
        ):
            result.skipped.append(event_id)
            continue
        # A decision racing this one makes undo() raise: the caller rolls all of it back.
        undo(session, event_id, actor=actor, now=now, window=window)
        result.done.append(event_id)
    return result


def _latest_events(session: Session, comment_ids: list[int | None]) -> dict[int, int]:
    """The id of the latest event of each of the comments, in one statement."""
    wanted = [ident for ident in comment_ids if ident is not None]
    if not wanted:
        return {}
    latest = func.max(ModerationEvent.id)
    query = select(ModerationEvent.comment_id, latest).where(ModerationEvent.comment_id.in_(wanted))
    return dict(session.execute(query.group_by(ModerationEvent.comment_id)).tuples().all())


def _claim(session: Session, event: ModerationEvent, now: datetime) -> None:
    """Mark *event* undone, if nobody (another tab, a double click) did so meanwhile."""
    claimed = session.execute(
        update(ModerationEvent)
        .where(ModerationEvent.id == event.id, ModerationEvent.undone_at.is_(None))
        .values(undone_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise Conflict(_l("This decision has been undone already."))
    session.expire(event, ["undone_at"])


def _later_event(session: Session, event: ModerationEvent, *conditions) -> bool:  # noqa: ANN002
    return bool(session.scalar(select(exists().where(ModerationEvent.id > event.id, *conditions))))


def _undo_comment_decision(
    session: Session, event: ModerationEvent, comment: Comment, *, actor: User, now: datetime
) -> ModerationEvent:
    if _later_event(session, event, ModerationEvent.comment_id == comment.id):
        raise Conflict(CHANGED_SINCE)
    previous = event.previous or {}
    if event.action is ModerationAction.DISMISS_FLAGS:
        # Claim the comment in its present state, then open the flags again.
        transitions.move_comment(session, comment, comment.status, {"flag_count": 0}, seen_flags=0)
        reopen_flags(session, comment, previous.get("flags", []))
        undone = transitions.log_event(
            session,
            action=ModerationAction.UNDO,
            actor=actor,
            now=now,
            comment=comment,
            from_state=comment.status.value,
            to_state=comment.status.value,
            reason=reasons.undo(event),
        )
        transitions.discussion_changed(session, comment.article_id)
        return undone
    if "status" not in previous:
        raise Conflict(CHANGED_SINCE)
    undone = transitions.restore_status(session, comment, event, actor=actor, now=now)
    if previous.get("flags"):
        reopen_flags(session, comment, previous["flags"])
    return undone


def _undo_ban(
    session: Session, event: ModerationEvent, *, actor: User, now: datetime
) -> ModerationEvent:
    user = session.get(User, event.target_user_id) if event.target_user_id else None
    if user is None or user.is_deleted:
        raise Conflict(CHANGED_SINCE)
    bans = (ModerationAction.BAN, ModerationAction.UNBAN)
    if _later_event(
        session,
        event,
        ModerationEvent.target_user_id == user.id,
        ModerationEvent.action.in_(bans),
    ):
        raise Conflict(CHANGED_SINCE)
    _restore_account(session, user, event)
    undone = transitions.log_event(
        session,
        action=ModerationAction.UNDO,
        actor=actor,
        now=now,
        target_user_id=user.id,
        from_state=event.to_state,
        to_state=event.from_state,
        reason=reasons.undo(event),
    )
    # The comments hidden with the ban come back, unless someone decided on them since.
    for hide_id in (event.previous or {}).get("hidden", []):
        hide = session.get(ModerationEvent, hide_id)
        if hide is None or hide.undone_at is not None or hide.comment_id is None:
            continue
        comment = session.get(Comment, hide.comment_id)
        if comment is None or _later_event(session, hide, ModerationEvent.comment_id == comment.id):
            continue
        _claim(session, hide, now)
        transitions.restore_status(session, comment, hide, actor=actor, now=now)
    return undone


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _restore_account(session: Session, user: User, event: ModerationEvent) -> None:
    """Put back the account's ban fields, if they are still what the ban made them."""
    previous = event.previous or {}
    banned = event.reason_params or {}
    until = _moment(banned.get("until"))
    restored = {
        "state": AccountState(previous.get("state", AccountState.ACTIVE.value)),
        "banned_until": _moment(previous.get("banned_until")),
        "ban_reason": previous.get("ban_reason"),
    }
    changed = session.execute(
        update(User)
        .where(
            User.id == user.id,
            User.state == AccountState.BANNED,
            User.ban_reason == banned.get("text"),
            User.banned_until.is_(None) if until is None else User.banned_until == until,
        )
        .values(**restored)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        raise Conflict(CHANGED_SINCE)
    for name, value in restored.items():
        set_committed_value(user, name, value)
