"""The member's notices on the site: the list, newest first, and the header's unread count.

Both show only notices whose subject still holds (rules.still_true): a reply that has been
hidden since disappears from the list and the count, and comes back if it is shown again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, exists, func, select, update
from sqlalchemy.orm import Session, contains_eager

from app.models import (
    Article,
    ArticleFollow,
    Comment,
    ModerationEvent,
    Notice,
    NotificationSettings,
    UTCDateTime,
    fixed,
)
from app.services.notifications.outbox import params_of
from app.services.notifications.rules import ON_SITE_KINDS, still_true


@dataclass(frozen=True)
class Entry:
    notice: Notice
    comment: Comment | None
    article: Article | None
    event: ModerationEvent | None
    params: dict[str, Any]
    unread: bool


@dataclass(frozen=True)
class NoticesPage:
    entries: list[Entry]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max((self.total + self.per_page - 1) // self.per_page, 1)

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _listed(recipient_id: Any, now: Any) -> tuple:
    return (
        Notice.recipient_id == recipient_id,
        Notice.kind.in_([fixed(kind) for kind in ON_SITE_KINDS]),
        Notice.cleared_at.is_(None),
        still_true(now),
    )


def _unread_statement() -> Any:
    now = bindparam("now", type_=UTCDateTime())
    return select(func.count(Notice.id)).where(
        *_listed(bindparam("recipient"), now), Notice.read_at.is_(None)
    )


UNREAD = _unread_statement()


def unread_count(executor: Session | Connection, recipient_id: int, now: datetime) -> int:
    """How many listed notices *recipient_id* has not seen (one query, on a partial index)."""
    return int(executor.execute(UNREAD, {"recipient": recipient_id, "now": now}).scalar() or 0)


def follows_and_unread_columns(article: Any = None) -> tuple[Any, Any, Any]:
    """Whether :recipient follows *article* (an id or a column; by default :article), their
    unread count (at :now) and their digest interval, as columns of one statement."""
    follows = exists().where(
        ArticleFollow.user_id == bindparam("recipient"),
        ArticleFollow.article_id == (bindparam("article") if article is None else article),
    )
    digest = select(NotificationSettings.digest_minutes).where(
        NotificationSettings.user_id == bindparam("recipient")
    )
    return follows, UNREAD.scalar_subquery(), digest.scalar_subquery()


FOLLOWS_AND_UNREAD = select(*follows_and_unread_columns())


def follows_and_unread(
    executor: Session | Connection, recipient_id: int, article_id: int, now: datetime
) -> tuple[bool, int, int | None]:
    """Whether the member follows the article, their unread count and their chosen digest
    interval (None: the configured one), in one query (for an article page's personal
    parts)."""
    params = {"recipient": recipient_id, "article": article_id, "now": now}
    follows, unread, digest = executor.execute(FOLLOWS_AND_UNREAD, params).one()
    return bool(follows), int(unread or 0), digest


def notices_page(
    session: Session, recipient_id: int, now: datetime, page: int, per_page: int
) -> NoticesPage:
    """One page of the member's notices, newest first, with what they point to (2 queries)."""
    where = _listed(recipient_id, now)
    total = int(session.scalar(select(func.count(Notice.id)).where(*where)) or 0)
    rows = session.execute(
        select(Notice, Comment, Article, ModerationEvent)
        .outerjoin(Comment, Comment.id == Notice.comment_id)
        .outerjoin(Comment.author)
        .options(contains_eager(Comment.author))
        .outerjoin(Article, Article.id == Notice.article_id)
        .outerjoin(ModerationEvent, ModerationEvent.id == Notice.event_id)
        .where(*where)
        .order_by(Notice.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    entries = [
        Entry(notice, comment, article, event, params_of(notice), notice.read_at is None)
        for notice, comment, article, event in rows
    ]
    return NoticesPage(entries, page, per_page, total)


def mark_all_read(session: Session, recipient_id: int, now: datetime) -> int:
    """What the list shows the member now counts as seen (a notice about a reply hidden
    meanwhile stays unread, in case it is shown again)."""
    result = session.execute(
        update(Notice)
        .where(*_listed(recipient_id, now), Notice.read_at.is_(None))
        .values(read_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def clear_read(session: Session, recipient_id: int, now: datetime) -> int:
    """Take the notices the member has seen off their list (the rows stay: told once)."""
    result = session.execute(
        update(Notice)
        .where(
            Notice.recipient_id == recipient_id,
            Notice.read_at.is_not(None),
            Notice.cleared_at.is_(None),
        )
        .values(cleared_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
