"""What moderators read: the queue, the members' records, the log, a comment's history.

Every listing loads in a fixed number of queries, however many entries a page holds: the
related rows (parents, authors' records, flags, article titles) are fetched in bulk.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, distinct, func, or_, select
from sqlalchemy.orm import Session, noload

from app.models import (
    Article,
    Comment,
    CommentRevision,
    CommentStatus,
    Flag,
    ModerationAction,
    ModerationEvent,
    User,
    username_key,
)
from app.services.flags import all_flags, open_flags


class QueueKind(enum.StrEnum):
    ALL = "all"
    PENDING = "pending"
    FLAGGED = "flagged"


class QueueOrder(enum.StrEnum):
    OLDEST = "oldest"  # the default: whoever waited longest comes first
    NEWEST = "newest"


def waiting_condition(kind: QueueKind = QueueKind.ALL) -> ColumnElement[bool]:
    """Comments that wait for a moderator: held ones, and visible ones with open flags.

    "Flagged" means open flags, whether the comment is still visible or went back to review
    because of them; both are within the condition of the index ``ix_comments_waiting``.
    """
    pending = Comment.status == CommentStatus.PENDING
    flagged = and_(Comment.status == CommentStatus.VISIBLE, Comment.flag_count > 0)
    if kind is QueueKind.PENDING:
        return pending
    if kind is QueueKind.FLAGGED:
        return and_(or_(pending, flagged), Comment.flag_count > 0)
    return or_(pending, flagged)


def queue_count(session: Session) -> int:
    """How many comments wait (the header's badge): one query on an indexed column."""
    return int(session.scalar(select(func.count(Comment.id)).where(waiting_condition())) or 0)


@dataclass(frozen=True)
class AuthorRecord:
    user: User
    approved: int = 0
    hidden: int = 0
    pending: int = 0
    flagged: int = 0  # comments of theirs that anyone ever flagged

    @property
    def member_since(self) -> datetime:
        return self.user.created_at


def author_records(session: Session, users: list[User]) -> dict[int, AuthorRecord]:
    """The record of each of *users*, in one query."""
    ids = sorted({user.id for user in users})
    if not ids:
        return {}

    def per_status(status: CommentStatus) -> ColumnElement[int]:
        return func.count(distinct(case((Comment.status == status, Comment.id))))

    query = (
        select(
            Comment.author_id,
            per_status(CommentStatus.VISIBLE),
            per_status(CommentStatus.HIDDEN),
            per_status(CommentStatus.PENDING),
            func.count(distinct(Flag.comment_id)),
        )
        .outerjoin(Flag, Flag.comment_id == Comment.id)
        .where(Comment.author_id.in_(ids))
        .group_by(Comment.author_id)
    )
    counts = {row[0]: row[1:] for row in session.execute(query)}
    records = {}
    for user in users:
        approved, hidden, pending, flagged = counts.get(user.id, (0, 0, 0, 0))
        records[user.id] = AuthorRecord(user, approved, hidden, pending, flagged)
    return records


@dataclass
class QueueEntry:
    comment: Comment
    article: Article
    parent: Comment | None
    record: AuthorRecord
    flags: list[Flag] = field(default_factory=list)


@dataclass
class Listing:
    """One page of a listing."""

    items: list
    page: int
    per_page: int
    total: int
    following: int | None = None  # the id of the first item after this page, if any

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page * self.per_page < self.total

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def find_author(session: Session, name: str) -> User | None:
    name = name.strip()
    if not name:
        return None
    return session.scalar(select(User).where(User.username_key == username_key(name)))


def queue_page(
    session: Session,
    *,
    page: int = 1,
    per_page: int = 25,
    kind: QueueKind = QueueKind.ALL,
    order: QueueOrder = QueueOrder.OLDEST,
    article_id: int | None = None,
    author_id: int | None = None,
) -> Listing:
    """Waiting comments of all articles, oldest first unless *order* says otherwise; the
    same six queries for any page. The listing also knows the first comment after the
    page, where a decision on the page's last comment goes on."""
    page = max(page, 1)
    conditions = [waiting_condition(kind)]
    if article_id is not None:
        conditions.append(Comment.article_id == article_id)
    if author_id is not None:
        conditions.append(Comment.author_id == author_id)
    total = int(session.scalar(select(func.count(Comment.id)).where(*conditions)) or 0)
    if order is QueueOrder.NEWEST:
        ordering = (Comment.created_at.desc(), Comment.id.desc())
    else:
        ordering = (Comment.created_at.asc(), Comment.id.asc())
    rows = session.execute(
        select(Comment, Article)
        .join(Article, Article.id == Comment.article_id)
        .where(*conditions)
        .options(noload(Article.topics))  # the queue names articles, never their topics
        .order_by(*ordering)
        .limit(per_page + 1)
        .offset((page - 1) * per_page)
    ).all()
    following = rows[per_page][0].id if len(rows) > per_page else None
    rows = rows[:per_page]
    comments = [row[0] for row in rows]
    parent_ids = {c.parent_id for c in comments if c.parent_id is not None}
    parents = (
        {p.id: p for p in session.scalars(select(Comment).where(Comment.id.in_(parent_ids)))}
        if parent_ids
        else {}
    )
    records = author_records(session, [c.author for c in comments])
    flags = open_flags(session, [c.id for c in comments if c.flag_count > 0])
    entries = [
        QueueEntry(
            comment=comment,
            article=article,
            parent=parents.get(comment.parent_id) if comment.parent_id else None,
            record=records[comment.author_id],
            flags=flags.get(comment.id, []),
        )
        for comment, article in rows
    ]
    return Listing(entries, page, per_page, total, following)


def queued_articles(session: Session) -> list[tuple[int, str]]:
    """(id, title) of the articles that have waiting comments, for the queue's filter."""
    query = (
        select(Article.id, Article.title)
        .where(Article.id.in_(select(Comment.article_id).where(waiting_condition())))
        .order_by(Article.title)
    )
    return [(row.id, row.title) for row in session.execute(query)]


def log_page(
    session: Session,
    *,
    page: int = 1,
    per_page: int = 50,
    action: ModerationAction | None = None,
    actor_id: int | None = None,
    comment_id: int | None = None,
    article_id: int | None = None,
    target_user_id: int | None = None,
) -> tuple[Listing, dict[int, Article]]:
    """Events newest first, with the articles they concern (loaded in one more query)."""
    page = max(page, 1)
    conditions = []
    if action is not None:
        conditions.append(ModerationEvent.action == action)
    if actor_id is not None:
        conditions.append(ModerationEvent.actor_id == actor_id)
    if comment_id is not None:
        conditions.append(ModerationEvent.comment_id == comment_id)
    if article_id is not None:
        conditions.append(ModerationEvent.article_id == article_id)
    if target_user_id is not None:
        conditions.append(ModerationEvent.target_user_id == target_user_id)
    total = int(session.scalar(select(func.count(ModerationEvent.id)).where(*conditions)) or 0)
    events = list(
        session.scalars(
            select(ModerationEvent)
            .where(*conditions)
            .order_by(ModerationEvent.created_at.desc(), ModerationEvent.id.desc())
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    )
    return Listing(events, page, per_page, total), articles_by_id(
        session, {e.article_id for e in events if e.article_id is not None}
    )


def articles_by_id(session: Session, ids: set[int]) -> dict[int, Article]:
    if not ids:
        return {}
    return {a.id: a for a in session.scalars(select(Article).where(Article.id.in_(ids)))}


def moderators(session: Session) -> list[User]:
    """Everyone who has made a decision in the log (writing a comment is none), for its filter."""
    actor_ids = select(ModerationEvent.actor_id).where(
        ModerationEvent.actor_id.is_not(None),
        ModerationEvent.action.not_in((ModerationAction.POST, ModerationAction.EDIT)),
    )
    return list(
        session.scalars(select(User).where(User.id.in_(actor_ids)).order_by(User.username_key))
    )


@dataclass
class CommentHistory:
    comment: Comment
    article: Article | None
    parent: Comment | None
    record: AuthorRecord
    revisions: list[CommentRevision]
    flags: list[Flag]
    events: list[ModerationEvent]


def comment_history(session: Session, comment: Comment) -> CommentHistory:
    revisions = session.scalars(
        select(CommentRevision)
        .where(CommentRevision.comment_id == comment.id)
        .order_by(CommentRevision.created_at, CommentRevision.id)
    )
    events = session.scalars(
        select(ModerationEvent)
        .where(ModerationEvent.comment_id == comment.id)
        .order_by(ModerationEvent.created_at, ModerationEvent.id)
    )
    return CommentHistory(
        comment=comment,
        article=session.get(Article, comment.article_id),
        parent=session.get(Comment, comment.parent_id) if comment.parent_id else None,
        record=author_records(session, [comment.author])[comment.author_id],
        revisions=list(revisions),
        flags=all_flags(session, comment),
        events=list(events),
    )


def recent_comments(session: Session, user: User, limit: int = 20) -> list[tuple[Comment, str]]:
    """A member's latest comments with the titles of their articles."""
    rows = session.execute(
        select(Comment, Article.title)
        .join(Article, Article.id == Comment.article_id)
        .where(Comment.author_id == user.id)
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(limit)
    )
    return [(row[0], row[1]) for row in rows]
