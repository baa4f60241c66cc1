"""People: every account with its comment counts, and changing roles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from app.models import (
    AccountState,
    Article,
    Comment,
    CommentStatus,
    ModerationAction,
    ModerationEvent,
    User,
    UserRole,
    email_key,
    username_key,
)
from app.services.errors import InvalidInput, NotAllowed
from app.services.transitions import log_event


@dataclass(frozen=True)
class PersonRow:
    user: User
    comments: int  # all the comments the account wrote that are not deleted
    visible: int
    pending: int
    hidden: int


@dataclass(frozen=True)
class PeopleListing:
    rows: list[PersonRow]
    page: int
    has_previous: bool
    has_next: bool


def _count(status: CommentStatus):  # noqa: ANN202
    return func.coalesce(func.sum(case((Comment.status == status, 1), else_=0)), 0)


def list_people(
    session: Session,
    *,
    query: str = "",
    role: UserRole | None = None,
    page: int = 1,
    per_page: int = 50,
) -> PeopleListing:
    """Accounts, newest first, with their comments counted by state: one query in all."""
    page = max(page, 1)
    counts = (
        select(
            Comment.author_id.label("author_id"),
            _count(CommentStatus.VISIBLE).label("visible"),
            _count(CommentStatus.PENDING).label("pending"),
            _count(CommentStatus.HIDDEN).label("hidden"),
        )
        .group_by(Comment.author_id)
        .subquery()
    )
    stmt = select(
        User,
        func.coalesce(counts.c.visible, 0),
        func.coalesce(counts.c.pending, 0),
        func.coalesce(counts.c.hidden, 0),
    ).outerjoin(counts, counts.c.author_id == User.id)
    query = query.strip()
    if query:
        stmt = stmt.where(
            or_(
                User.username_key.contains(username_key(query), autoescape=True),
                User.email_key.contains(email_key(query), autoescape=True),
            )
        )
    if role is not None:
        stmt = stmt.where(User.role == role)
    found = session.execute(
        stmt.order_by(User.created_at.desc(), User.id.desc())
        .limit(per_page + 1)
        .offset((page - 1) * per_page)
    ).all()
    rows = [
        PersonRow(user, int(v) + int(p) + int(h), int(v), int(p), int(h))
        for user, v, p, h in found[:per_page]
    ]
    return PeopleListing(rows, page, has_previous=page > 1, has_next=len(found) > per_page)


def comments_of(session: Session, user: User, limit: int = 100) -> list[tuple[Comment, Article]]:
    """The account's comments in every state, newest first, with their articles."""
    return list(
        session.execute(
            select(Comment, Article)
            .join(Article, Article.id == Comment.article_id)
            .where(Comment.author_id == user.id)
            .order_by(Comment.created_at.desc(), Comment.id.desc())
            .limit(limit)
        ).all()
    )


def history_of(session: Session, user: User, limit: int = 100) -> list[ModerationEvent]:
    """Decisions about the account or its comments, newest first."""
    return list(
        session.scalars(
            select(ModerationEvent)
            .where(ModerationEvent.target_user_id == user.id)
            .order_by(ModerationEvent.created_at.desc(), ModerationEvent.id.desc())
            .limit(limit)
        )
    )


def decisions_by(session: Session, user: User, limit: int = 50) -> list[ModerationEvent]:
    """Decisions the account took as a moderator or admin, newest first."""
    return list(
        session.scalars(
            select(ModerationEvent)
            .where(ModerationEvent.actor_id == user.id)
            .order_by(ModerationEvent.created_at.desc(), ModerationEvent.id.desc())
            .limit(limit)
        )
    )


def active_admin_ids(session: Session, now: datetime) -> list[int]:
    """The admins with their powers at *now*: not deleted, no ban in force.

    Locking the admins' rows (PostgreSQL) makes two admins demoting or banning each other
    at the same moment wait for one another, so the second sees the first one's change.
    """
    ban_over = and_(
        User.state == AccountState.BANNED,
        User.banned_until.is_not(None),
        User.banned_until <= now,
    )
    return list(
        session.scalars(
            select(User.id)
            .where(User.role == UserRole.ADMIN, or_(User.state == AccountState.ACTIVE, ban_over))
            .order_by(User.id)
            .with_for_update()
        )
    )


LAST_ADMIN = _l(
    "This is the last active admin. Make someone else an admin first, "
    "so the site is never left without one."
)


def change_role(
    session: Session, user: User, role: UserRole, *, actor: User, now: datetime
) -> None:
    """Give *user* the *role*; never leaves the site without an active admin."""
    if user.is_deleted:
        raise NotAllowed(_l("A deleted account has no role to change."))
    if user.is_guest:
        raise NotAllowed(_l("An imported commenter has no account, and so no role to change."))
    if user.role is role:
        raise InvalidInput(_l("The account has this role already."), field="role")
    if user.role is UserRole.ADMIN and role is not UserRole.ADMIN:
        others = [ident for ident in active_admin_ids(session, now) if ident != user.id]
        if not others:
            raise NotAllowed(LAST_ADMIN)
    before = user.role
    user.role = role
    log_event(
        session,
        action=ModerationAction.CHANGE_ROLE,
        actor=actor,
        now=now,
        target_user_id=user.id,
        from_state=before.value,
        to_state=role.value,
    )
    session.flush()
