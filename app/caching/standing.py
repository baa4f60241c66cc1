"""A member's standing on an article page, in one statement: whether the thread holds
anything of theirs (a comment they wrote that is not deleted, or one they flagged), whether
they follow the discussion, their unread notices and their digest interval.

What a member's page shows of the discussion depends on nothing else about them, so a
member who owns nothing there gets the thread every such member gets (app/caching/shell.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask import g
from sqlalchemy import bindparam, exists, or_

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
    """The standing of the member :recipient on *article* (the article's id column), at
    :now, as columns of the statement that reads its versions (app/caching/versions.py)."""
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


def standing_of(article_id: int, row: Sequence[Any]) -> Standing:
    """The standing from the values of :func:`standing_columns`."""
    owns, follows, unread, digest = row
    return Standing(article_id, bool(owns), bool(follows), int(unread or 0), digest)


def personal_known(found: Standing) -> None:
    """Remember the standing for this request: the header and the follow button read it
    (app/notifications/personal.py), and the discussion whether the member owns anything."""
    g.member_standing = found
    g.unread_notices, g.digest_minutes = found.unread, found.digest_minutes
    g.setdefault("article_follows", {})[found.article_id] = found.follows


def owns_nothing_in(article_id: int) -> bool:
    """Whether this request already knows the member owns nothing in *article_id*'s thread."""
    found = g.get("member_standing")
    return found is not None and found.article_id == article_id and not found.owns_here
