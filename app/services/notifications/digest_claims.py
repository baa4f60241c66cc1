"""Digests are claimed per recipient and key (an article, or the moderation queue) on their
``notice_digests`` row, which also remembers when the last one went out: one worker sends
a digest at a time, and at most one per interval.

A claim is a lease (``claimed_until``): a worker that dies holding one lets go when it runs
out, and another sends the digest.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from app.models import MailState, Notice, NoticeDigest
from app.services.notifications import preferences

LEASE = timedelta(minutes=5)


def claim(
    session: Session,
    recipient_id: int,
    key: str,
    worker: str,
    now: datetime,
    interval: timedelta,
) -> bool:
    """Make the digest (recipient, key) this worker's, if nobody holds it and its interval
    is over; otherwise its notices wait until the interval is."""
    session.execute(
        preferences.insert_ignoring_duplicates(session, NoticeDigest)
        .values(recipient_id=recipient_id, digest_key=key)
        .on_conflict_do_nothing(index_elements=["recipient_id", "digest_key"])
    )
    where = (NoticeDigest.recipient_id == recipient_id, NoticeDigest.digest_key == key)
    claimed = session.execute(
        update(NoticeDigest)
        .where(
            *where,
            or_(NoticeDigest.claimed_until.is_(None), NoticeDigest.claimed_until < now),
            or_(NoticeDigest.last_sent_at.is_(None), NoticeDigest.last_sent_at <= now - interval),
        )
        .values(claimed_by=worker, claimed_until=now + LEASE)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        last_sent = session.scalar(select(NoticeDigest.last_sent_at).where(*where))
        if last_sent is not None and last_sent > now - interval:
            session.execute(
                update(Notice)
                .where(
                    Notice.recipient_id == recipient_id,
                    Notice.digest_key == key,
                    Notice.mail_state == MailState.PENDING,
                    Notice.next_attempt_at < last_sent + interval,
                )
                .values(next_attempt_at=last_sent + interval)
                .execution_options(synchronize_session=False)
            )
    session.commit()
    return bool(claimed)


def release(
    session: Session, recipient_id: int, key: str, worker: str, sent_at: datetime | None
) -> None:
    values: dict[str, Any] = {"claimed_by": None, "claimed_until": None}
    if sent_at is not None:
        values["last_sent_at"] = sent_at
    session.execute(
        update(NoticeDigest)
        .where(
            NoticeDigest.recipient_id == recipient_id,
            NoticeDigest.digest_key == key,
            NoticeDigest.claimed_by == worker,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
