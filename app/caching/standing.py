"""A member's standing on an article page, in one statement: whether the thread holds
anything of theirs (a comment they wrote that is not deleted, or one they flagged), whether
they follow the discussion, their unread notices and their digest interval.

What a member's page shows of the discussion depends on nothing else about them, so a
member who owns nothing there gets the thread every such member gets (app/caching/shell.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import g
from sqlalchemy import bindparam, exists, or_, select

from app.extensions import db
from app.models import Comment, CommentStatus, Flag, fixed
from app.services.notifications import onsite


@dataclass(frozen=True)
class Standing:
    article_id: int
    owns_here: bool  # their own comments or flags are in the thread
    follows: bool
    unread: int
    digest_minutes: int | None  # None: the configured interval


def standing_columns(article: Any) -> list[Any]:
    """The standing of the member :recipient on *article* (an id or a column), at :now, as
    columns of one statement (app/caching/versions.py reads them with the versions)."""
    viewer = bindparam("recipient")
    written = exists().where(
        Comment.article_id == article,
        Comment.author_id == viewer,
        Comment.status != fixed(CommentStatus.DELETED),
    )
    flagged = exists().where(
        Flag.user_id == viewer, Flag.comment_id == Comment.id, Comment.article_id == article
    )
    return [or_(written, flagged), *onsite.follows_and_unread_columns(article)]


STANDING = select(*standing_columns(bindparam("article")))


def standing_of(article_id: int, row: Sequence[Any]) -> Standing:
    """The standing from the values of :func:`standing_columns`."""
    owns, follows, unread, digest = row
    return Standing(article_id, bool(owns), bool(follows), int(unread or 0), digest)


def read_standing(viewer_id: int, article_id: int, now: datetime) -> Standing:
    """The member's standing, read once per request and remembered for the personal parts
    (app/notifications/personal.py reads the follow state and unread count from it)."""
    params = {"recipient": viewer_id, "article": article_id, "now": now}
    found = standing_of(article_id, db.session.execute(STANDING, params).one())
    personal_known(found)
    return found


def personal_known(found: Standing) -> None:
    """Remember the standing for this request (for the header and the follow button)."""
    g.member_standing = found
    g.unread_notices, g.digest_minutes = found.unread, found.digest_minutes
    g.setdefault("article_follows", {})[found.article_id] = found.follows


def owns_nothing_in(article_id: int) -> bool:
    """Whether this request already knows the member owns nothing in *article_id*'s thread."""
    found = g.get("member_standing")
    return found is not None and found.article_id == article_id and not found.owns_here
