"""Claiming imported guest comments: a member whose confirmed address they carry may take them.

Comments imported from WordPress keep their writer as a guest (no account, no login); the
guest's address is kept only for this. Claiming is offered, never done by itself: the
member sees the comments first and accepts them with one request.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.models import Article, Comment, User, UserKind
from app.services import transitions
from app.services.errors import NotAllowed

LIST_LIMIT = 200


def _guest_ids(user: User):  # noqa: ANN202
    return select(User.id).where(
        User.kind == UserKind.GUEST,
        User.claim_email == user.email_key,
        User.claim_email.is_not(None),
    )


def _may_claim(user: User) -> bool:
    return (
        user.kind is UserKind.ACCOUNT
        and not user.is_deleted
        and user.is_confirmed
        and bool(user.email_key)
    )


def claimable_count(session: Session, user: User) -> int:
    """How many imported comments carry *user*'s confirmed address (0 while unconfirmed)."""
    if not _may_claim(user):
        return 0
    return session.scalar(
        select(func.count(Comment.id)).where(Comment.author_id.in_(_guest_ids(user)))
    )


def claimable_comments(session: Session, user: User, limit: int = LIST_LIMIT) -> list[Comment]:
    if not _may_claim(user):
        return []
    return list(
        session.scalars(
            select(Comment)
            .join(Article, Article.id == Comment.article_id)
            .where(Comment.author_id.in_(_guest_ids(user)))
            .order_by(Comment.created_at.desc(), Comment.id.desc())
            .limit(limit)
        )
    )


def claim(session: Session, user: User) -> int:
    """Make *user* the author of every comment their address carries; returns how many."""
    if not _may_claim(user):
        raise NotAllowed(_l("Please confirm your email address first."))
    guests = list(session.scalars(_guest_ids(user)))
    if not guests:
        return 0
    article_ids = set(
        session.scalars(select(Comment.article_id).where(Comment.author_id.in_(guests)))
    )
    moved = session.execute(
        update(Comment)
        .where(Comment.author_id.in_(guests))
        .values(author_id=user.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    # The guests keep nothing to be claimed by: their address is forgotten.
    session.execute(
        update(User)
        .where(User.id.in_(guests))
        .values(claim_email=None)
        .execution_options(synchronize_session=False)
    )
    for article_id in article_ids:  # the threads now show another name
        transitions.discussion_changed(session, article_id)
    session.expire_all()
    return moved
