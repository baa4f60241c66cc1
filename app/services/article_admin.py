"""The admins' view of articles: every state, searching, deleting softly and restoring."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Article, Comment, CommentStatus, ModerationAction, User
from app.services.errors import InvalidInput
from app.services.publishing import set_deleted
from app.services.transitions import log_event


class ArticleState(enum.StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    DELETED = "deleted"


def state_of(article: Article, now: datetime) -> ArticleState:
    if article.deleted_at is not None:
        return ArticleState.DELETED
    if article.published_at is None:
        return ArticleState.DRAFT
    if article.published_at > now:
        return ArticleState.SCHEDULED
    return ArticleState.PUBLISHED


def _state_condition(state: ArticleState, now: datetime):  # noqa: ANN202
    live = Article.deleted_at.is_(None)
    return {
        ArticleState.DELETED: Article.deleted_at.is_not(None),
        ArticleState.DRAFT: live & Article.published_at.is_(None),
        ArticleState.SCHEDULED: live & (Article.published_at > now),
        ArticleState.PUBLISHED: live & (Article.published_at <= now),
    }[state]


@dataclass(frozen=True)
class AdminRow:
    article: Article
    state: ArticleState
    comments: int  # every stored comment that is not deleted
    waiting: int  # of which pending review


@dataclass(frozen=True)
class AdminListing:
    rows: list[AdminRow]
    page: int
    has_previous: bool
    has_next: bool


def list_articles(
    session: Session,
    now: datetime,
    *,
    query: str = "",
    state: ArticleState | None = None,
    page: int = 1,
    per_page: int = 25,
) -> AdminListing:
    """Articles in every state, newest first, optionally searched by title.

    Two queries whatever the page size: the articles, then their comments counted by state.
    """
    page = max(page, 1)
    stmt = select(Article)
    query = " ".join(query.split())
    if query:
        stmt = stmt.where(Article.title.icontains(query, autoescape=True))
    if state is not None:
        stmt = stmt.where(_state_condition(state, now))
    newest = func.coalesce(Article.published_at, Article.created_at)
    found = list(
        session.scalars(
            stmt.order_by(newest.desc(), Article.id.desc())
            .limit(per_page + 1)
            .offset((page - 1) * per_page)
        )
    )
    articles = found[:per_page]
    counts: dict[tuple[int, CommentStatus], int] = {}
    if articles:
        grouped = session.execute(
            select(Comment.article_id, Comment.status, func.count(Comment.id))
            .where(Comment.article_id.in_([a.id for a in articles]))
            .group_by(Comment.article_id, Comment.status)
        )
        counts = {(article_id, status): number for article_id, status, number in grouped}
    rows = [
        AdminRow(
            article=a,
            state=state_of(a, now),
            comments=sum(
                counts.get((a.id, s), 0)
                for s in (CommentStatus.VISIBLE, CommentStatus.PENDING, CommentStatus.HIDDEN)
            ),
            waiting=counts.get((a.id, CommentStatus.PENDING), 0),
        )
        for a in articles
    ]
    return AdminListing(rows, page, has_previous=page > 1, has_next=len(found) > per_page)


def delete_article(
    session: Session, article: Article, *, actor: User, now: datetime, reason: str | None = None
) -> None:
    """Delete softly: the row and its comments stay, readers get 410, the log records it."""
    if article.deleted_at is not None:
        raise InvalidInput(_l("This article is deleted already."))
    before = state_of(article, now)
    set_deleted(session, article, now, now)
    log_event(
        session,
        action=ModerationAction.DELETE_ARTICLE,
        actor=actor,
        now=now,
        article_id=article.id,
        from_state=before.value,
        to_state=ArticleState.DELETED.value,
        reason=reason,
    )


def restore_article(
    session: Session, article: Article, *, actor: User, now: datetime, reason: str | None = None
) -> ArticleState:
    """Undo a deletion; the article returns to the state its dates give it."""
    if article.deleted_at is None:
        raise InvalidInput(_l("This article is not deleted."))
    set_deleted(session, article, None, now)
    after = state_of(article, now)
    log_event(
        session,
        action=ModerationAction.RESTORE_ARTICLE,
        actor=actor,
        now=now,
        article_id=article.id,
        from_state=ArticleState.DELETED.value,
        to_state=after.value,
        reason=reason,
    )
    return after
