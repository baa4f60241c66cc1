"""Who may do what. Views use the decorators and predicates; templates the same predicates.

Every predicate takes the user (possibly anonymous) and, where time matters, ``now``, so the
rules can be tested without a request.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any

from flask import abort, current_app, g
from flask_login import current_user

from app.models import Article, Comment, CommentStatus, User, UserRole, utcnow


def _is_member(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and not user.is_deleted


def has_staff_powers(user: Any, role: UserRole, now: datetime | None = None) -> bool:
    """The powers of *role*: the role itself, and no ban in force (a ban suspends them)."""
    return _is_member(user) and user.has_role(role) and not user.is_banned_at(now or utcnow())


def is_moderator(user: Any, now: datetime | None = None) -> bool:
    return has_staff_powers(user, UserRole.MODERATOR, now)


def is_admin(user: Any, now: datetime | None = None) -> bool:
    return has_staff_powers(user, UserRole.ADMIN, now)


def is_banned(user: Any, now: datetime | None = None) -> bool:
    return _is_member(user) and user.is_banned_at(now or utcnow())


def can_write(user: Any, now: datetime | None = None) -> bool:
    """May write at all: logged in, email confirmed, not banned, not deleted."""
    return _is_member(user) and user.is_confirmed and not user.is_banned_at(now or utcnow())


def can_comment_on(user: Any, article: Article, now: datetime | None = None) -> bool:
    if not can_write(user, now):
        return False
    return article.comments_open or is_moderator(user)


def can_see_comment(user: Any, comment: Comment) -> bool:
    if comment.status is CommentStatus.VISIBLE:
        return True
    if is_moderator(user):
        return True
    own = _is_member(user) and comment.author_id == user.id
    return own and comment.status in (CommentStatus.PENDING, CommentStatus.HIDDEN)


def can_edit_comment(
    user: Any, comment: Comment, now: datetime | None = None, edit_minutes: int | None = None
) -> bool:
    """The author, while allowed to write, within the edit window, if not deleted.

    *edit_minutes* defaults to the effective setting (an admin's saved value wins).
    """
    now = now or utcnow()
    if not can_write(user, now) or comment.author_id != user.id:
        return False
    if comment.status is CommentStatus.DELETED:
        return False
    if edit_minutes is None:
        edit_minutes = _effective_edit_minutes()
    return now - comment.created_at <= timedelta(minutes=edit_minutes)


def _effective_edit_minutes() -> int:
    """The edit window in force for this request, read once per request."""
    if "edit_minutes" not in g:
        from app.extensions import db
        from app.services.site_settings import effective_settings

        g.edit_minutes = effective_settings(db.session, current_app.config)["COMMENT_EDIT_MINUTES"]
    return g.edit_minutes


def can_delete_comment(user: Any, comment: Comment) -> bool:
    if comment.status is CommentStatus.DELETED:
        return False
    if is_moderator(user):
        return True
    return _is_member(user) and comment.author_id == user.id


def can_flag_comment(user: Any, comment: Comment, now: datetime | None = None) -> bool:
    return (
        can_write(user, now)
        and comment.status is CommentStatus.VISIBLE
        and comment.author_id != user.id
    )


def can_moderate(user: Any) -> bool:
    return is_moderator(user)


def can_change_role(actor: Any, target: User) -> bool:
    # An imported commenter (a guest) has no account to log in with, so no role to use.
    return is_admin(actor) and not target.is_deleted and not target.is_guest


def role_required(role: UserRole) -> Callable:
    """View decorator: readers are sent to log in; members without *role*, and staff while
    banned, get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not has_staff_powers(current_user, role):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


moderator_required = role_required(UserRole.MODERATOR)
admin_required = role_required(UserRole.ADMIN)

TEMPLATE_PREDICATES = {
    "is_moderator": is_moderator,
    "is_admin": is_admin,
    "is_banned": is_banned,
    "can_write": can_write,
    "can_comment_on": can_comment_on,
    "can_see_comment": can_see_comment,
    "can_edit_comment": can_edit_comment,
    "can_delete_comment": can_delete_comment,
    "can_flag_comment": can_flag_comment,
    "can_moderate": can_moderate,
}
