"""Writing comments: posting and replying, editing, deleting one's own, previewing.

Each comment form carries a random submission key. A comment is stored with a digest of
that key, its reply target and its text, unique per author, so a form sent twice (a double
click, a resend after a timeout) stores one comment, and the second send is answered with
the first one. The text is part of the digest because a kept copy of a page (the member page
cache) may hand the same key out again: then only the very same comment counts as a repeat,
as the most careful comment systems refuse an identical comment by the same author anyway.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import (
    Article,
    Comment,
    CommentRevision,
    CommentStatus,
    ModerationAction,
    User,
)
from app.permissions import can_edit_comment, is_banned, is_moderator
from app.services import notifications, transitions
from app.services.errors import InvalidInput, NotAllowed, NotFound
from app.services.flood import check_flood
from app.services.policy import Verdict, judge_comment
from app.services.site_settings import effective_settings
from app.text import render_comment

# Settings only the configuration sets (admins cannot change them in the browser).
CONFIGURED = (
    "COMMENT_MAX_DEPTH",
    "COMMENTS_PER_PAGE",
    "COMMENT_MIN_INTERVAL_SECONDS",
    "COMMENTS_PER_HOUR",
)


def comment_settings(session: Session, config: Mapping[str, Any]) -> dict[str, Any]:
    """Everything the comment rules read: configured values plus the admins' saved ones."""
    return {**{key: config[key] for key in CONFIGURED}, **effective_settings(session, config)}


def writing_refusal(user: Any, article: Article, now: datetime) -> Any | None:
    """Why *user* may not comment on *article* now, or None when they may."""
    if not getattr(user, "is_authenticated", False) or user.is_deleted:
        return _l("You must be logged in to write a comment.")
    if not article.comments_open and not is_moderator(user):
        return _l("Comments are closed.")
    if is_banned(user, now):
        return _l("Your account may not write comments at the moment.")
    if not user.is_confirmed:
        return _l("Please confirm your email address first: follow the link in the email we sent.")
    return None


def clean_body(body: str | None, max_length: int) -> str:
    """The text as typed, with line ends unified; refuses blank and too long text."""
    # Browsers send CRLF; NUL cannot be stored by PostgreSQL and is never meant.
    body = (body or "").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if not body.strip():
        raise InvalidInput(_l("Please write a comment first."), field="body")
    if len(body) > max_length:
        raise InvalidInput(
            _l(
                "A comment may have at most %(max)d characters; this one has %(num)d.",
                max=max_length,
                num=len(body),
            ),
            field="body",
        )
    return body


def parse_parent_id(raw: Any) -> int | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = int(str(raw).strip())
    except ValueError:
        value = 0
    if value <= 0 or value > 2**31 - 1:
        raise InvalidInput(_l("The comment you are replying to does not exist."), field="parent_id")
    return value


def find_parent(session: Session, article: Article, raw_parent_id: Any) -> Comment | None:
    """The comment a reply answers: it must exist, belong to *article* and be visible."""
    parent_id = parse_parent_id(raw_parent_id)
    if parent_id is None:
        return None
    parent = session.get(Comment, parent_id)
    if parent is None:
        raise InvalidInput(_l("The comment you are replying to does not exist."), field="parent_id")
    if parent.article_id != article.id:
        raise InvalidInput(
            _l("The comment you are replying to belongs to another article."), field="parent_id"
        )
    if parent.status is not CommentStatus.VISIBLE:
        raise InvalidInput(
            _l("The comment you are replying to is not visible, so it cannot be answered."),
            field="parent_id",
        )
    return parent


SUBMISSION_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")


def new_submission_key() -> str:
    """The key a freshly drawn comment form carries."""
    return secrets.token_urlsafe(16)


def submission_digest(key: Any, article_id: int, parent_id: Any, body: str) -> str | None:
    """What identifies one sent form; None when it came without a usable key."""
    key = str(key or "").strip()
    if not SUBMISSION_KEY.fullmatch(key):
        return None
    parent = str(parent_id or "").strip()
    return hashlib.sha256(f"{key}\n{article_id}\n{parent}\n{body}".encode()).hexdigest()


def _submitted(session: Session, author_id: int, digest: str | None) -> Comment | None:
    if digest is None:
        return None
    return session.scalar(
        select(Comment).where(Comment.author_id == author_id, Comment.submission_key == digest)
    )


def find_submitted(
    session: Session,
    *,
    author_id: int,
    article_id: int,
    submission: Any,
    parent_id: Any,
    body: Any,
    max_length: int,
) -> Comment | None:
    """The comment this sent form stored already, if it did."""
    try:
        body = clean_body(body, max_length)
    except InvalidInput:
        return None
    digest = submission_digest(submission, article_id, parent_id, body)
    return _submitted(session, author_id, digest)


def post_comment(
    session: Session,
    *,
    article: Article,
    author: User,
    body: str,
    parent_id: Any,
    now: datetime,
    settings: Mapping[str, Any],
    submission: str | None = None,
) -> Comment:
    """Add a comment or reply; it is visible or pending as the moderation policy decides.

    A form sent again (the same *submission* key, reply target and text) adds nothing: the
    comment it stored the first time is returned. Two sends at the same moment both insert,
    and the unique index refuses the second (IntegrityError, for the caller to answer with
    :func:`find_submitted`).
    """
    if not article.is_public_at(now):
        raise NotFound(_l("This article does not exist."))
    refusal = writing_refusal(author, article, now)
    if refusal is not None:
        raise NotAllowed(refusal)
    body = clean_body(body, settings["COMMENT_MAX_LENGTH"])
    digest = submission_digest(submission, article.id, parent_id, body)
    earlier = _submitted(session, author.id, digest)
    if earlier is not None:
        return earlier
    parent = find_parent(session, article, parent_id)
    try:
        check_flood(session, author, now, settings)
    except InvalidInput:
        # A double click: the first click's comment may have been committed between the
        # look for it above and the flood check, which must not count it as another one.
        earlier = _submitted(session, author.id, digest)
        if earlier is not None:
            return earlier
        raise
    body_html = render_comment(body)
    decision = judge_comment(session, author, body, body_html, settings)
    if decision.verdict is Verdict.REFUSE:
        raise InvalidInput(decision.refusal, field="body")
    status = CommentStatus.PENDING if decision.verdict is Verdict.HOLD else CommentStatus.VISIBLE
    comment = Comment(
        article_id=article.id,
        author_id=author.id,
        parent_id=parent.id if parent else None,
        depth=parent.depth + 1 if parent else 1,
        body=body,
        body_html=body_html,
        status=status,
        created_at=now,
        status_changed_at=now,
        submission_key=digest,
    )
    comment.status_reason = decision.held
    session.add(comment)
    session.flush()
    transitions.discussion_changed(session, article.id)
    event = transitions.log_event(
        session,
        action=ModerationAction.POST,
        actor=author,
        now=now,
        comment=comment,
        to_state=status.value,
        reason=decision.held,
    )
    notifications.comment_posted(session, comment, event)
    return comment


def may_edit(user: Any, comment: Comment, now: datetime, minutes: int) -> bool:
    """The author may still edit *comment* (the rule lives in :mod:`app.permissions`)."""
    return can_edit_comment(user, comment, now, minutes)


def edit_comment(
    session: Session,
    *,
    comment: Comment,
    editor: User,
    body: str,
    now: datetime,
    settings: Mapping[str, Any],
) -> Comment:
    """Replace the text, keeping the earlier version; the policy judges the new text."""
    if not getattr(editor, "is_authenticated", False) or comment.author_id != editor.id:
        raise NotAllowed(_l("You can only edit your own comments."))
    if not may_edit(editor, comment, now, settings["COMMENT_EDIT_MINUTES"]):
        raise NotAllowed(_l("This comment can no longer be edited."))
    body = clean_body(body, settings["COMMENT_MAX_LENGTH"])
    if body == comment.body:
        return comment
    body_html = render_comment(body)
    decision = judge_comment(session, editor, body, body_html, settings)
    if decision.verdict is Verdict.REFUSE:
        raise InvalidInput(decision.refusal, field="body")
    session.add(
        CommentRevision(
            comment_id=comment.id, body=comment.body, body_html=comment.body_html, created_at=now
        )
    )
    comment.body, comment.body_html, comment.edited_at = body, body_html, now
    if decision.verdict is Verdict.HOLD and comment.status is CommentStatus.VISIBLE:
        transitions.change_status(
            session,
            comment,
            CommentStatus.PENDING,
            action=ModerationAction.EDIT,
            actor=editor,
            now=now,
            reason=decision.held,
        )
    else:
        state = comment.status.value
        transitions.log_event(
            session,
            action=ModerationAction.EDIT,
            actor=editor,
            now=now,
            comment=comment,
            from_state=state,
            to_state=state,
            reason=decision.held,
        )
        transitions.discussion_changed(session, comment.article_id)
    return comment


def delete_own_comment(session: Session, *, comment: Comment, actor: User, now: datetime) -> None:
    """The author withdraws a comment (soft: the row stays, replies keep their place)."""
    if not getattr(actor, "is_authenticated", False) or comment.author_id != actor.id:
        raise NotAllowed(_l("You can only delete your own comments."))
    if comment.status is CommentStatus.DELETED:
        raise InvalidInput(_l("This comment has been deleted already."))
    transitions.change_status(
        session,
        comment,
        CommentStatus.DELETED,
        action=ModerationAction.DELETE,
        actor=actor,
        now=now,
    )


def preview(body: str | None, settings: Mapping[str, Any]) -> str:
    """The HTML a comment with *body* would show, under the same rules as posting."""
    return render_comment(clean_body(body, settings["COMMENT_MAX_LENGTH"]))
