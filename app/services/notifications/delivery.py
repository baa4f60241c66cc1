"""Sending the outbox: claim due notices, check them again, mail them, record the outcome.

Several workers may run at once, on several machines. A worker claims rows before it
sends: one statement marks a batch of due rows as its own until a lease runs out
(``claimed_until``), and only rows nobody holds are taken. On PostgreSQL the batch is
chosen with ``FOR UPDATE SKIP LOCKED``, so workers never wait for each other; SQLite
runs one writer at a time, so its conditional UPDATE is a claim on its own. A worker that
dies holding a claim lets go when its lease runs out, and another sends the mail.

Digests are claimed per recipient and key, at most one per interval (digest_claims.py).
What a notice points to is checked again right before sending; a mail server that fails
means another try later, after a growing delay, and at last the state ``failed``, which
admins see with a button to try again.
"""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.orm import Session

from app.mail import MailError, build_message, deliver
from app.models import (
    Article,
    Comment,
    MailState,
    ModerationEvent,
    Notice,
    User,
)
from app.services.notifications import compose, digest_claims, preferences
from app.services.notifications.digest_claims import LEASE
from app.services.notifications.outbox import params_of
from app.services.notifications.rules import recipient_may_hear, still_true, wants_mail

BATCH = 50
LONGEST_DELAY = timedelta(hours=6)


@dataclass
class Report:
    sent: int = 0  # mails, a digest counting once
    skipped: int = 0  # notices
    retrying: int = 0  # notices
    failed: int = 0  # notices

    def __bool__(self) -> bool:
        return bool(self.sent or self.skipped or self.retrying or self.failed)


def new_worker_id() -> str:
    return f"{socket.gethostname()[:20]}:{os.getpid()}:{secrets.token_hex(4)}"


def _due(now: datetime) -> ColumnElement[bool]:
    return and_(
        Notice.mail_state == MailState.PENDING,
        Notice.next_attempt_at <= now,
        or_(Notice.claimed_until.is_(None), Notice.claimed_until < now),
    )


def retry_delay(attempts: int, first: timedelta) -> timedelta:
    """1, 2, 4, 8 ... times the first delay, never more than six hours."""
    return min(first * 2 ** max(attempts - 1, 0), LONGEST_DELAY)


def send_due(session: Session, now: datetime, worker: str | None = None) -> Report:
    """One round: every notice due at *now* that this worker can claim."""
    worker = worker or new_worker_id()
    report = Report()
    while True:
        claimed = claim_singles(session, worker, now)
        for notice_id in claimed:
            _send_single(session, notice_id, worker, now, report)
        if len(claimed) < BATCH:
            break
    groups = session.execute(
        select(Notice.recipient_id, Notice.digest_key)
        .where(_due(now), Notice.digest_key.is_not(None))
        .group_by(Notice.recipient_id, Notice.digest_key)
        .order_by(func.min(Notice.id))
    ).all()
    session.commit()
    for recipient_id, key in groups:
        _send_digest(session, recipient_id, key, worker, now, report)
    return report


def claim_singles(session: Session, worker: str, now: datetime) -> list[int]:
    """Make up to BATCH due notices (not digests) this worker's; their ids."""
    # A CTE, so that PostgreSQL chooses (and locks) the batch once: as a plain subquery it
    # may run again for each row the UPDATE looks at. SQLite ignores FOR UPDATE and runs one
    # writer at a time, so the conditional UPDATE alone is its claim.
    batch = (
        select(Notice.id)
        .where(_due(now), Notice.digest_key.is_(None))
        .order_by(Notice.next_attempt_at, Notice.id)
        .limit(BATCH)
        .with_for_update(skip_locked=True)
        .cte("batch")
    )
    session.execute(
        update(Notice)
        .where(Notice.id.in_(select(batch.c.id)), _due(now))
        .values(claimed_by=worker, claimed_until=now + LEASE)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    mine = select(Notice.id).where(
        Notice.claimed_by == worker,
        Notice.mail_state == MailState.PENDING,
        Notice.digest_key.is_(None),
    )
    return list(session.scalars(mine.order_by(Notice.id)))


def _subjects(session: Session, notices: Sequence[Notice]) -> list[compose.Subject]:
    """The notices with their comments, articles and decisions, in three queries."""
    comment_ids = {n.comment_id for n in notices if n.comment_id}
    article_ids = {n.article_id for n in notices if n.article_id}
    event_ids = {n.event_id for n in notices if n.event_id}
    comments = {
        c.id: c for c in session.scalars(select(Comment).where(Comment.id.in_(comment_ids)))
    }
    articles = {
        a.id: a for a in session.scalars(select(Article).where(Article.id.in_(article_ids)))
    }
    events = {
        e.id: e
        for e in session.scalars(select(ModerationEvent).where(ModerationEvent.id.in_(event_ids)))
    }
    return [
        compose.Subject(
            notice=n,
            comment=comments.get(n.comment_id),
            article=articles.get(n.article_id),
            event=events.get(n.event_id),
            params=params_of(n),
        )
        for n in notices
    ]


def _holding(session: Session, ids: Sequence[int], now: datetime) -> set[int]:
    if not ids:
        return set()
    query = select(Notice.id).where(Notice.id.in_(ids), still_true(now))
    return set(session.scalars(query))


def _may_mail(session: Session, recipient: User | None, notice: Notice, now: datetime) -> bool:
    if recipient is None or not recipient_may_hear(notice.kind, recipient, now):
        return False
    return wants_mail(preferences.settings_of(session, recipient.id), notice.kind)


def _send_single(
    session: Session, notice_id: int, worker: str, now: datetime, report: Report
) -> None:
    notice = session.get(Notice, notice_id)
    if notice is None or notice.claimed_by != worker or notice.mail_state is not MailState.PENDING:
        return
    recipient = session.get(User, notice.recipient_id)
    holds = bool(_holding(session, [notice.id], now))
    if not holds or not _may_mail(session, recipient, notice, now):
        _settle(session, [notice.id], worker, now, MailState.SKIPPED)
        report.skipped += 1
        return

    def write() -> compose.Mail:
        return compose.single_mail(recipient, _subjects(session, [notice])[0])

    _send(session, write, [notice.id], worker, now, report)


def _send_digest(
    session: Session, recipient_id: int, key: str, worker: str, now: datetime, report: Report
) -> None:
    recipient = session.get(User, recipient_id)
    settings = preferences.settings_of(session, recipient_id)
    interval = timedelta(minutes=preferences.digest_minutes(settings, current_app.config))
    if not digest_claims.claim(session, recipient_id, key, worker, now, interval):
        return
    notices = list(
        session.scalars(
            select(Notice)
            .where(
                Notice.recipient_id == recipient_id,
                Notice.digest_key == key,
                Notice.mail_state == MailState.PENDING,
            )
            .order_by(Notice.id)
        )
    )
    holding = _holding(session, [n.id for n in notices], now)
    wanted = bool(notices) and _may_mail(session, recipient, notices[0], now)
    chosen = [n for n in notices if n.id in holding] if wanted else []
    stale = [n.id for n in notices if n not in chosen]
    if stale:
        _settle(session, stale, worker, now, MailState.SKIPPED, release=False)
        report.skipped += len(stale)
    if not chosen:
        digest_claims.release(session, recipient_id, key, worker, sent_at=None)
        session.commit()
        return

    def write() -> compose.Mail:
        return compose.digest_mail(recipient, _subjects(session, chosen))

    ids = [n.id for n in chosen]
    _send(session, write, ids, worker, now, report, digest=(recipient_id, key))


def _send(
    session: Session,
    write: Callable[[], compose.Mail],
    ids: list[int],
    worker: str,
    now: datetime,
    report: Report,
    digest: tuple[int, str] | None = None,
) -> None:
    """Write the mail and hand it to the server; record the outcome for the notices *ids*."""
    try:
        mail = write()
        message = build_message(
            mail.to,
            mail.subject,
            mail.text,
            html=mail.html,
            headers=mail.headers,
            message_id=mail.message_id,
        )
        session.commit()  # no transaction stays open while the mail server is asked
        deliver(message)
    except Exception as error:  # a mail that cannot be written counts as not sent, too
        session.rollback()
        if not isinstance(error, MailError):
            current_app.logger.exception("notification mail could not be written")
        reason = str(error) if isinstance(error, MailError) else f"{type(error).__name__}: {error}"
        _failed_attempt(session, ids, worker, now, reason, report)
        if digest is not None:
            digest_claims.release(session, *digest, worker, sent_at=None)
        session.commit()
        return
    _settle(session, ids, worker, now, MailState.SENT)
    if digest is not None:
        digest_claims.release(session, *digest, worker, sent_at=now)
    session.commit()
    report.sent += 1


def _settle(
    session: Session,
    ids: Sequence[int],
    worker: str,
    now: datetime,
    state: MailState,
    release: bool = True,
) -> None:
    values: dict[str, Any] = {"mail_state": state, "claimed_by": None, "claimed_until": None}
    if state is MailState.SENT:
        values["sent_at"] = now
    session.execute(
        update(Notice)
        .where(Notice.id.in_(ids), or_(Notice.claimed_by == worker, Notice.claimed_by.is_(None)))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if release:
        session.commit()


def _failed_attempt(
    session: Session, ids: Sequence[int], worker: str, now: datetime, error: str, report: Report
) -> None:
    config = current_app.config
    first = timedelta(seconds=int(config["NOTIFICATION_RETRY_SECONDS"]))
    most = int(config["NOTIFICATION_MAX_ATTEMPTS"])
    current_app.logger.warning("notification mail not sent (%s); notices %s", error, list(ids))
    for notice in session.scalars(select(Notice).where(Notice.id.in_(ids))):
        notice.attempts += 1
        notice.last_error = error[:500]
        notice.claimed_by, notice.claimed_until = None, None
        if notice.attempts >= most:
            notice.mail_state = MailState.FAILED
            report.failed += 1
        else:
            notice.next_attempt_at = now + retry_delay(notice.attempts, first)
            report.retrying += 1
