"""What every page needs from moderation: the number of waiting comments for the header."""

from __future__ import annotations

from typing import Any

from flask import g
from flask_login import current_user

from app.extensions import db
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


@bp.app_context_processor
def inject_waiting_count() -> dict[str, Any]:
    return {"moderation_waiting_count": waiting_count}
