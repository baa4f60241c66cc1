"""Mails the server refused every time, for admins: the list and trying them again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.models import MailState, Notice, User


@dataclass(frozen=True)
class FailedPage:
    items: list[tuple[Notice, User]]
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


def outbox_counts(session: Session) -> dict[MailState, int]:
    rows = session.execute(select(Notice.mail_state, func.count()).group_by(Notice.mail_state))
    counts = dict.fromkeys(MailState, 0)
    counts.update({state: int(count) for state, count in rows})
    return counts


def failed_page(session: Session, page: int, per_page: int) -> FailedPage:
    where = Notice.mail_state == MailState.FAILED
    total = int(session.scalar(select(func.count(Notice.id)).where(where)) or 0)
    rows = session.execute(
        select(Notice, User)
        .join(User, User.id == Notice.recipient_id)
        .where(where)
        .order_by(Notice.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return FailedPage([(notice, user) for notice, user in rows], page, per_page, total)


def _again(session: Session, condition, now: datetime) -> int:  # noqa: ANN001
    result = session.execute(
        update(Notice)
        .where(Notice.mail_state == MailState.FAILED, condition)
        .values(mail_state=MailState.PENDING, attempts=0, next_attempt_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def retry(session: Session, notice_id: int, now: datetime) -> int:
    """Send a failed notice again (with the rest of its digest); how many notices that is."""
    notice = session.get(Notice, notice_id)
    if notice is None or notice.mail_state is not MailState.FAILED:
        return 0
    if notice.digest_key is None:
        return _again(session, Notice.id == notice.id, now)
    same_digest = (Notice.recipient_id == notice.recipient_id) & (
        Notice.digest_key == notice.digest_key
    )
    return _again(session, same_digest, now)


def retry_all(session: Session, now: datetime) -> int:
    return _again(session, Notice.id.is_not(None), now)
