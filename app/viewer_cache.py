"""Pages that only signed-in staff see, kept for each of them while nothing shown changes.

The moderation queue is the same for a moderator from one request to the next until a
comment, a flag, an article, an account or a ban changes, and every one of those changes
raises a version the signature below reads (one statement). The page is kept per account
(and session version), address and language, so nothing crosses from one person to
another. The CSRF token is never kept: the page is rendered with a placeholder, which is
replaced on every request by the token of the session asking. While the session carries a
flashed message the page is rendered afresh and not kept.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Hashable
from datetime import datetime
from functools import wraps
from typing import Any

from flask import current_app, g, make_response, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import Connection, bindparam, func, or_, select
from sqlalchemy.orm import Session

from app.extensions import db
from app.models import AccountState, Article, Flag, ModerationEvent, User, utcnow
from app.notifications.personal import unread_notice_count
from app.services.page_cache import cache_for

# Unguessable, and new in every process: it cannot be typed into a comment on purpose.
PLACEHOLDER = f"csrf-placeholder-{secrets.token_hex(16)}"
_PLACEHOLDER = PLACEHOLDER.encode()
CSRF_FIELD = "csrf_token"


def _signature_statement() -> Any:
    in_force = or_(User.banned_until.is_(None), User.banned_until > bindparam("now", type_=_MOMENT))
    return select(
        select(func.max(ModerationEvent.id)).scalar_subquery(),
        select(func.max(Flag.id)).scalar_subquery(),
        select(func.max(Article.updated_at)).scalar_subquery(),
        select(func.count(User.id)).where(User.state == AccountState.DELETED).scalar_subquery(),
        select(func.count(User.id))
        .where(User.state == AccountState.BANNED, in_force)
        .scalar_subquery(),
    )


_MOMENT = User.banned_until.type
SIGNATURE = _signature_statement()


def moderation_signature(session: Session | Connection, now: datetime) -> Hashable:
    """Changes whenever anything the moderation pages show can have changed.

    Every new comment, edit, decision, dismissal, ban and role change is logged (the newest
    log id rises); a new flag adds a row; an article's title or slug is saved with its
    ``updated_at``; an erased account changes how it is named; a ban that runs out changes
    the number of bans in force. Each part is one index lookup, or a count over accounts.
    """
    return tuple(session.execute(SIGNATURE, {"now": now}).one())


def viewer_key(endpoint: str, viewer_id: str, full_path: str, locale: str, signature: Any):  # noqa: ANN201
    return ("viewer", endpoint, viewer_id, full_path, locale, signature)


def kept_per_viewer(signature: Callable[[Session, datetime], Hashable]) -> Callable:
    """View decorator (under the permission check): keep the page per viewer and signature."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            cache = cache_for(current_app)
            usable = (
                cache.enabled
                and request.method == "GET"
                and current_user.is_authenticated
                and "_flashes" not in session
            )
            if not usable:
                return view(*args, **kwargs)
            key = viewer_key(
                request.endpoint,
                current_user.get_id(),
                request.full_path,
                str(get_locale()),
                # The header's unread notices are part of the page (app/notifications/personal.py).
                (signature(db.session, utcnow()), unread_notice_count()),
            )
            parts = cache.get(key)
            if parts is None:
                response = _render_with_placeholder(view, args, kwargs)
                if response.status_code != 200 or response.mimetype != "text/html":
                    return response
                body = response.get_data()
                parts = tuple(body.split(_PLACEHOLDER))  # the token goes between the parts
                cache.put(key, parts, len(body) + 256)
            else:
                response = make_response(b"")
            response.set_data(generate_csrf().encode().join(parts))
            return response

        return wrapped

    return decorator


def _render_with_placeholder(view: Callable, args: tuple, kwargs: dict) -> Any:
    # generate_csrf() hands out what it finds in g, so every form gets the placeholder.
    setattr(g, CSRF_FIELD, PLACEHOLDER)
    try:
        return make_response(view(*args, **kwargs))
    finally:
        g.pop(CSRF_FIELD, None)
