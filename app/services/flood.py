"""The flood rules: how soon after their last comment, and how many in an hour, a member
may write. Moderators are not held to them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Comment, User
from app.permissions import is_moderator
from app.services.errors import InvalidInput


def check_flood(session: Session, author: User, now: datetime, settings: Mapping) -> None:
    """Refuse comments written too quickly after each other or too many in an hour."""
    if is_moderator(author):
        return
    interval = int(settings["COMMENT_MIN_INTERVAL_SECONDS"])
    if interval > 0:
        last = session.scalar(
            select(Comment.created_at)
            .where(Comment.author_id == author.id)
            .order_by(Comment.created_at.desc())
            .limit(1)
        )
        if last is not None and now - last < timedelta(seconds=interval):
            wait = interval - int((now - last).total_seconds())
            raise InvalidInput(
                _l(
                    "Please wait %(num)d seconds before writing your next comment.",
                    num=max(wait, 1),
                ),
                field="body",
            )
    per_hour = int(settings["COMMENTS_PER_HOUR"])
    written = session.scalar(
        select(func.count(Comment.id)).where(
            Comment.author_id == author.id, Comment.created_at > now - timedelta(hours=1)
        )
    )
    if written >= per_hour:
        raise InvalidInput(
            _l(
                "You have written %(num)d comments in the last hour, as many as allowed. "
                "Please try again later.",
                num=per_hour,
            ),
            field="body",
        )
