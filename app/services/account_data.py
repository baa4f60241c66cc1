"""A member's own data: their comments, a download of everything, erasing the account.

An erased account keeps its row, so its comments keep their place in threads and are shown
as written by a "deleted account"; everything that identifies the person is set to NULL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import AccountState, Article, Comment, Flag, User, UserRole
from app.services import notifications
from app.services.account_settings import WrongPassword, log_out_everywhere
from app.services.accounts import password_matches
from app.services.notifications import preferences as notification_preferences


@dataclass(frozen=True)
class OwnComment:
    comment: Comment
    article_title: str
    article_slug: str
    article_deleted: bool


@dataclass(frozen=True)
class OwnCommentsPage:
    items: list[OwnComment]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max((self.total + self.per_page - 1) // self.per_page, 1)


def own_comments(session: Session, user_id: int, page: int, per_page: int) -> OwnCommentsPage:
    """The member's comments in every state, newest first, with their article."""
    total = session.scalar(select(func.count(Comment.id)).where(Comment.author_id == user_id))
    rows = session.execute(
        select(Comment, Article.title, Article.slug, Article.deleted_at)
        .join(Article, Article.id == Comment.article_id)
        .where(Comment.author_id == user_id)
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    items = [OwnComment(row[0], row[1], row[2], row[3] is not None) for row in rows]
    return OwnCommentsPage(items, page, per_page, total or 0)


def _moment(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_data(session: Session, user: User, now: datetime) -> dict[str, Any]:
    """Everything stored about the member, as JSON-ready values."""
    comments = session.execute(
        select(Comment, Article.title, Article.slug)
        .join(Article, Article.id == Comment.article_id)
        .where(Comment.author_id == user.id)
        .order_by(Comment.created_at, Comment.id)
    ).all()
    flags = session.scalars(
        select(Flag).where(Flag.user_id == user.id).order_by(Flag.created_at, Flag.id)
    ).all()
    return {
        "exported_at": _moment(now),
        "profile": {
            "username": user.username,
            "email": user.email,
            "email_confirmed_at": _moment(user.email_confirmed_at),
            "role": user.role.value,
            "state": user.state.value,
            "banned_until": _moment(user.banned_until),
            "ban_reason": user.ban_reason,
            "locale": user.locale,
            "created_at": _moment(user.created_at),
        },
        "comments": [
            {
                "id": comment.id,
                "article": {"title": title, "slug": slug},
                "parent_id": comment.parent_id,
                "status": comment.status.value,
                "created_at": _moment(comment.created_at),
                "edited_at": _moment(comment.edited_at),
                "body": comment.body,
                "body_html": comment.body_html,
            }
            for comment, title, slug in comments
        ],
        "flags": [
            {
                "comment_id": flag.comment_id,
                "reason": flag.reason.value,
                "note": flag.note,
                "created_at": _moment(flag.created_at),
            }
            for flag in flags
        ],
        "notifications": notification_preferences.stored_about(session, user.id),
    }


def erase_account(user: User, now: datetime) -> None:
    """Remove what identifies the person; the row stays for their comments' sake."""
    user.username = None
    user.username_key = None
    user.email = None
    user.email_key = None
    user.password_hash = None
    user.email_confirmed_at = None
    user.locale = None
    user.banned_until = None
    user.ban_reason = None
    user.role = UserRole.MEMBER
    user.state = AccountState.DELETED
    user.deleted_at = now
    log_out_everywhere(user)


def delete_account(session: Session, user: User, *, password: str, now: datetime) -> None:
    """The member deletes their own account, confirming with their password."""
    if not password_matches(user, password):
        raise WrongPassword(field="password")
    erase_account(user, now)
    notifications.account_erased(session, user.id)
    # Every discussion they wrote in now names a "deleted account": the erasure raises the
    # site's version (app/caching/bumps.py), which every page's key holds.
    session.flush()
