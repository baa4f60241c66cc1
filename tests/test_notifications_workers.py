"""Several workers on one outbox: every mail goes out exactly once.

On PostgreSQL (the production database) workers claim rows with FOR UPDATE SKIP LOCKED and
never wait for each other; these tests run there in both CI passes (in the SQLite pass on
a database of their own), and the suite's own database is tested as well.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, select, text

from app.extensions import db
from app.models import MailState, Notice, utcnow
from app.services.notifications import delivery, preferences
from tests.accounts_support import app_with
from tests.conftest import make_app, migrate_to_head
from tests.notification_support import (
    Site,
    mails_to,
    notices,
    notification_site,
    replies_to_many,
)
from tests.support import PG_ADMIN_URL, drop_pg_database, empty_tables, postgres_available, require

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_url(database_kind: str, database_url: str, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty PostgreSQL database: the suite's, or one of its own."""
    if database_kind == "postgresql":
        yield database_url
        return
    require(postgres_available(), "PostgreSQL is not reachable at 127.0.0.1:5432")
    name = f"diskurs_workers_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    app = make_app(url, tmp_path / "migrate")
    migrate_to_head(app)
    with app.app_context():
        db.engine.dispose()
    yield url
    empty_tables(url)
    drop_pg_database(name)


@pytest.fixture(params=["postgresql", "suite"])
def site(request: pytest.FixtureRequest, tmp_path: Path, marked_settings: dict) -> Iterator[Site]:
    url = request.getfixturevalue("pg_url" if request.param == "postgresql" else "database_url")
    yield from notification_site(url, tmp_path / "site", **marked_settings)


def _two_workers(site: Site, tmp_path: Path) -> list[delivery.Report]:
    """Two workers, each an application with an engine of its own (as two processes would
    have), started at the same moment on one outbox."""
    barrier = threading.Barrier(2, timeout=60)
    reports: list[delivery.Report] = []
    url = site.app.config["SQLALCHEMY_DATABASE_URI"]

    def work(app: Flask) -> None:
        barrier.wait()
        with app.app_context():
            reports.append(delivery.send_due(db.session, utcnow()))
            db.session.remove()

    # The applications are made here, one after the other: building them is not the test.
    with (
        app_with(url, tmp_path / "one", **site.mail.settings) as one,
        app_with(url, tmp_path / "two", **site.mail.settings) as two,
    ):
        threads = [threading.Thread(target=work, args=(app,)) for app in (one, two)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    return reports


@pytest.mark.writes_in_a_row
def test_two_workers_on_one_outbox_send_each_mail_once(site, tmp_path, monkeypatch):
    members = replies_to_many(site, 30)
    monkeypatch.setattr(delivery, "BATCH", 3)  # small batches: the workers take turns
    reports = _two_workers(site, tmp_path)
    assert len(reports) == 2
    assert sum(report.sent for report in reports) == 30
    assert all(report.sent for report in reports), reports  # both did part of the work
    for member in members:
        assert len(mails_to(site, member)) == 1
    assert len(site.mail.messages) == 30
    assert {n.mail_state for n in notices(site.app)} == {MailState.SENT}


@pytest.mark.writes_in_a_row
def test_two_workers_send_one_digest(site, tmp_path):
    follower = site.make.user("folgerin")
    with site.app.app_context():
        preferences.follow(db.session, follower.id, site.article.id, utcnow())
        db.session.commit()
    replies_to_many(site, 6)
    reports = _two_workers(site, tmp_path)
    assert len(mails_to(site, follower)) == 1
    assert sum(report.sent for report in reports) == 7  # six replies and one digest


@pytest.mark.writes_in_a_row
def test_a_worker_skips_rows_another_holds_locked(pg_url, tmp_path, marked_settings):
    for site in notification_site(pg_url, tmp_path / "site", **marked_settings):
        replies_to_many(site, 4)
        engine = create_engine(pg_url)
        with engine.connect() as holder:
            first = holder.execute(
                select(Notice.id).order_by(Notice.id).limit(1).with_for_update()
            ).scalar_one()
            with site.app.app_context():
                db.session.execute(text("SET lock_timeout = '3s'"))  # waiting would fail
                claimed = delivery.claim_singles(db.session, "worker-b", utcnow())
                db.session.remove()
            holder.rollback()
        engine.dispose()
        assert len(claimed) == 3 and first not in claimed
