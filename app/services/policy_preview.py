"""What a change of the moderation policy would have done: replayed over recent comments.

Before saving new lists, a new link limit or a new mode, an admin can see which of the last
comments the proposed policy would have held or refused that the policy in force lets
through, and the reverse. Both policies are replayed over the same comments with the same
knowledge of their authors, so the difference is the change alone. Nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Article, Comment, CommentStatus
from app.permissions import is_moderator
from app.services.policy import Decision, Verdict, judge

RECENT = 500
# The settings the policy reads; the others on the settings page do not change verdicts.
POLICY_KEYS = (
    "COMMENT_MODERATION",
    "COMMENT_MAX_LINKS",
    "COMMENT_HOLD_WORDS",
    "COMMENT_BLOCK_WORDS",
)


@dataclass(frozen=True)
class Change:
    """One comment the proposed policy treats differently."""

    comment: Comment
    article_title: str
    now: Decision  # under the policy in force
    proposed: Decision


@dataclass
class PolicyPreview:
    examined: int = 0
    oldest: datetime | None = None
    held: list[Change] = field(default_factory=list)  # would wait, goes live now
    refused: list[Change] = field(default_factory=list)  # would be refused, is not now
    released: list[Change] = field(default_factory=list)  # waits now, would go live
    allowed: list[Change] = field(default_factory=list)  # refused now, would be accepted

    @property
    def changes(self) -> int:
        return len(self.held) + len(self.refused) + len(self.released) + len(self.allowed)


def preview_policy(
    session: Session,
    in_force: Mapping[str, Any],
    proposed: Mapping[str, Any],
    *,
    limit: int = RECENT,
) -> PolicyPreview:
    """Replay the policy in force and the proposed one over the last *limit* comments."""
    rows = session.execute(
        select(Comment, Article.title)
        .join(Article, Article.id == Comment.article_id)
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(limit)
    ).all()
    preview = PolicyPreview(examined=len(rows), oldest=rows[-1][0].created_at if rows else None)
    first_approved = _first_approved(session, {comment.author_id for comment, _ in rows})
    for comment, title in rows:
        approved_since = first_approved.get(comment.author_id)
        author = {
            "by_moderator": is_moderator(comment.author),
            # Its author had no approved comment before it: "first" would have held it.
            "first_comment": approved_since is None or approved_since >= comment.created_at,
        }
        now = judge(comment.body, comment.body_html, in_force, **author)
        then = judge(comment.body, comment.body_html, proposed, **author)
        _sort(preview, Change(comment, title, now, then))
    return preview


def _first_approved(session: Session, author_ids: set[int]) -> dict[int, datetime]:
    """When each author's first approved comment was written (one query)."""
    if not author_ids:
        return {}
    rows = session.execute(
        select(Comment.author_id, func.min(Comment.created_at))
        .where(Comment.author_id.in_(author_ids), Comment.status == CommentStatus.VISIBLE)
        .group_by(Comment.author_id)
    )
    return {author_id: first for author_id, first in rows}


def _sort(preview: PolicyPreview, change: Change) -> None:
    before, after = change.now.verdict, change.proposed.verdict
    if before == after:
        return
    if after is Verdict.REFUSE:
        preview.refused.append(change)
    elif before is Verdict.REFUSE:
        preview.allowed.append(change)
    elif after is Verdict.HOLD:
        preview.held.append(change)
    else:
        preview.released.append(change)
