"""Comment text kept on the server while its writer logs in again.

A member whose session ended while writing would otherwise lose the text: the comment
view stores it under a random token, the token travels in the login redirect's ``next``
address, and the article page puts the text back into the form. No JavaScript and no
surviving session are needed.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.models import CommentDraft

LIFETIME = timedelta(days=1)
# Far above any sensible comment (the length rule still applies when it is posted); stops
# anonymous requests from filling the table with huge rows.
MAX_DRAFT_LENGTH = 100_000
TOKEN_BYTES = 32
# What token_urlsafe makes; anything else (from a hand-edited address) is not looked up.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def _valid(token: str | None) -> bool:
    return bool(token) and _TOKEN.fullmatch(token) is not None


def save_draft(
    session: Session, *, article_id: int, parent_id: int | None, body: str, now: datetime
) -> str:
    """Keep *body* and return the token to find it again; expired drafts are dropped."""
    session.execute(delete(CommentDraft).where(CommentDraft.created_at < now - LIFETIME))
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(
        CommentDraft(
            token=token,
            article_id=article_id,
            parent_id=parent_id,
            body=body.replace("\r\n", "\n").replace("\x00", "")[:MAX_DRAFT_LENGTH],
            created_at=now,
        )
    )
    return token


def load_draft(
    session: Session, token: str | None, article_id: int, now: datetime
) -> CommentDraft | None:
    """The unexpired draft for this article with *token*, if there is one."""
    if not _valid(token):
        return None
    return session.scalar(
        select(CommentDraft).where(
            CommentDraft.token == token,
            CommentDraft.article_id == article_id,
            CommentDraft.created_at >= now - LIFETIME,
        )
    )


def consume_draft(session: Session, token: str | None) -> None:
    """Forget the draft once its comment has been posted."""
    if _valid(token):
        session.execute(delete(CommentDraft).where(CommentDraft.token == token))
