"""The worker: looks at the outbox every few seconds and sends what is due.

``flask --app wsgi notifications work`` runs it until it is stopped (SIGTERM or Ctrl-C end
it after the round in progress); ``--once`` sends what is due and stops, for cron and tests.
A database that cannot be reached is logged and asked again in the next round.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.models import utcnow
from app.services.notifications.delivery import Report, new_worker_id, send_due

log = logging.getLogger(__name__)


def describe(report: Report) -> str:
    return (
        f"mails sent: {report.sent}; notices skipped: {report.skipped}, "
        f"to try again: {report.retrying}, failed: {report.failed}"
    )


def work(
    app: Flask,
    *,
    once: bool = False,
    poll_seconds: float | None = None,
    stop: threading.Event | None = None,
    echo: Callable[[str], None] | None = None,
) -> Report:
    """Send due notices in rounds until *stop* is set (or once); the sum of the rounds."""
    stop = stop or threading.Event()
    poll = float(poll_seconds or app.config["NOTIFICATION_POLL_SECONDS"])
    worker = new_worker_id()
    total = Report()
    while True:
        with app.app_context():
            try:
                report = send_due(db.session, utcnow(), worker)
            except SQLAlchemyError:
                log.exception("notifications: the database could not be asked; trying again")
                db.session.rollback()
                report = Report()
            finally:
                db.session.remove()
        for name in ("sent", "skipped", "retrying", "failed"):
            setattr(total, name, getattr(total, name) + getattr(report, name))
        if report and echo is not None:
            echo(describe(report))
        if once or stop.wait(poll):
            return total
