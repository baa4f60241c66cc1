"""What every page needs from moderation: the number of waiting comments for the header,
and whether the viewer has flagged a comment (its flag link then says so)."""

from __future__ import annotations

from typing import Any

from flask import g
from flask_login import current_user
from sqlalchemy import select

from app.extensions import db
from app.models import Flag
from app.moderation import bp
from app.permissions import is_moderator
from app.services.queue import queue_count

QUEUE_PER_PAGE = 25
LOG_PER_PAGE = 50


def waiting_count() -> int:
    """Pending and flagged comments, counted once per request and only for moderators."""
    if not is_moderator(current_user):
        return 0
    if "moderation_waiting" not in g:
        g.moderation_waiting = queue_count(db.session)
    return g.moderation_waiting


@bp.app_template_global()
def has_flagged_comment(viewer: Any, comment: Any) -> bool:
    """*viewer* has flagged *comment* (the comments they flagged are read once a request).

    Takes the viewer the template renders for, never the session's: a comment rendered
    for a stand-in member (kept pieces, app/caching/fragments.py) must not carry anybody's
    own flags.
    """
    viewer_id = getattr(viewer, "id", None)
    if not viewer_id or not getattr(viewer, "is_authenticated", False):
        return False
    flagged = g.setdefault("flagged_by_viewer", {})
    if viewer_id not in flagged:
        flagged[viewer_id] = set(
            db.session.scalars(select(Flag.comment_id).where(Flag.user_id == viewer_id))
        )
    return comment.id in flagged[viewer_id]


@bp.app_context_processor
def inject_waiting_count() -> dict[str, Any]:
    return {"moderation_waiting_count": waiting_count}
