"""Banning and unbanning members.

A banned member can still read but not write (``permissions.can_write``). A ban with an end
runs out by itself: ``User.is_banned_at`` compares the end with the time of the request, so
the account's state may stay ``banned`` afterwards without effect.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.models import (
    AccountState,
    Comment,
    CommentStatus,
    ModerationAction,
    ModerationEvent,
    User,
    UserRole,
)
from app.permissions import is_admin, is_moderator
from app.services import notifications, reasons, transitions
from app.services.errors import InvalidInput, NotAllowed
from app.services.moderation import MAX_REASON_LENGTH
from app.services.people import LAST_ADMIN, active_admin_ids

P, V = CommentStatus.PENDING, CommentStatus.VISIBLE


def may_ban(actor: User | None, target: User) -> bool:
    """Moderators ban members; only admins ban moderators and admins; nobody bans themselves."""
    if not is_moderator(actor) or actor.id == target.id or target.is_deleted:
        return False
    return target.role is UserRole.MEMBER or is_admin(actor)


def _check(actor: User, target: User) -> None:
    if not is_moderator(actor):
        raise NotAllowed(_l("Only moderators may do this."))
    if actor.id == target.id:
        raise NotAllowed(_l("You cannot ban or unban yourself."))
    if target.is_deleted:
        raise InvalidInput(_l("This account has been deleted."))
    if not may_ban(actor, target):
        raise NotAllowed(_l("Only an admin may ban or unban a moderator or an admin."))


def _keep_an_admin(session: Session, target: User, actor: User, now: datetime) -> None:
    """A ban suspends an admin's powers: never the last admin's, and only by an admin.

    Read under the admins' row locks, so that two admins banning each other at the same
    moment cannot both succeed.
    """
    admins = active_admin_ids(session, now)
    if actor.id not in admins:
        raise NotAllowed(_l("Only an admin may ban or unban a moderator or an admin."))
    if not [ident for ident in admins if ident != target.id]:
        raise NotAllowed(LAST_ADMIN)


def _clean_reason(reason: str | None) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise InvalidInput(_l("Please give a reason; the member will see it."), field="reason")
    if len(reason) > MAX_REASON_LENGTH:
        raise InvalidInput(
            _l("A reason may have at most %(num)d characters.", num=MAX_REASON_LENGTH),
            field="reason",
        )
    return reason


def ban(
    session: Session,
    target: User,
    *,
    actor: User,
    now: datetime,
    reason: str | None,
    until: datetime | None = None,
    hide_comments: bool = False,
) -> ModerationEvent:
    """Ban *target* (again, to change the end or reason). The event's ``previous`` holds the
    account as it was and the events of the comments hidden with the ban, for undoing."""
    _check(actor, target)
    reason = _clean_reason(reason)
    if until is not None and until <= now:
        raise InvalidInput(_l("The end of a ban must lie in the future."), field="until")
    if target.role is UserRole.ADMIN:
        _keep_an_admin(session, target, actor, now)
    was_banned = target.is_banned_at(now)
    previous = account_fields(target)
    target.state = AccountState.BANNED
    target.banned_until = until
    target.ban_reason = reason
    event = transitions.log_event(
        session,
        action=ModerationAction.BAN,
        actor=actor,
        now=now,
        target_user_id=target.id,
        from_state=AccountState.BANNED.value if was_banned else AccountState.ACTIVE.value,
        to_state=AccountState.BANNED.value,
        reason=reasons.ban(reason, until),
        previous=previous,
    )
    notifications.member_banned(
        session, target, event, reason=reason, until=until, comments_hidden=hide_comments
    )
    if hide_comments:
        hidden = _hide_comments(session, target, actor=actor, now=now, reason=reason)
        session.flush()
        event.previous = {**previous, "hidden": [hide.id for hide in hidden]}
    return event


def _hide_comments(
    session: Session, target: User, *, actor: User, now: datetime, reason: str
) -> list[ModerationEvent]:
    query = (
        select(Comment)
        .where(Comment.author_id == target.id, Comment.status.in_((P, V)))
        .order_by(Comment.id)
        .with_for_update(of=Comment)
    )
    return [
        transitions.change_status(
            session,
            comment,
            CommentStatus.HIDDEN,
            action=ModerationAction.HIDE,
            actor=actor,
            now=now,
            reason=reasons.note(reason),
        )
        for comment in session.scalars(query).all()
    ]


def account_fields(user: User) -> dict[str, Any]:
    """What a ban changes on an account, JSON-ready (kept so that a ban can be undone)."""
    return {
        "state": user.state.value,
        "banned_until": user.banned_until.isoformat() if user.banned_until else None,
        "ban_reason": user.ban_reason,
    }


def unban(
    session: Session, target: User, *, actor: User, now: datetime, reason: str | None = None
) -> None:
    """End a ban now. Hidden comments stay hidden: each is a decision of its own."""
    _check(actor, target)
    if target.state is not AccountState.BANNED:
        raise InvalidInput(_l("This member is not banned."))
    was_banned = target.is_banned_at(now)
    previous = account_fields(target)
    target.state = AccountState.ACTIVE
    target.banned_until = None
    target.ban_reason = None
    event = transitions.log_event(
        session,
        action=ModerationAction.UNBAN,
        actor=actor,
        now=now,
        target_user_id=target.id,
        # An expired ban is lifted formally; the log shows it had already run out.
        from_state=AccountState.BANNED.value if was_banned else "expired",
        to_state=AccountState.ACTIVE.value,
        reason=reasons.note(reason),
        previous=previous,
    )
    if was_banned:  # a ban that had run out is only tidied up: nothing to tell
        notifications.member_unbanned(session, target, event)


def banned_members(session: Session, now: datetime) -> list[User]:
    """Members whose ban is in force at *now*, the longest-running ban ends last."""
    query = (
        select(User)
        .where(
            User.state == AccountState.BANNED,
            or_(User.banned_until.is_(None), User.banned_until > now),
        )
        .order_by(User.banned_until.is_(None), User.banned_until, User.id)
    )
    return list(session.scalars(query))
