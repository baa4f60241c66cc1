"""Migration 0004: reasons stored by earlier versions as English text become codes with
parameters (and go back to text on the way down), on SQLite and on PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, select, text

from app.extensions import db
from app.models import Comment, ModerationEvent, ReasonCode
from app.services.reasons import Audience, render_reason
from tests.conftest import make_app
from tests.support import PG_ADMIN_URL, drop_pg_database, postgres_available, require

OLD_REASONS = [
    "links: 3 > 2; hold list: krypto, bitcoin; policy: first comment of this member",
    "3 flags (threshold 3)",
    "Spam [until 2026-12-05 11:00 UTC]",
    "Nette Leute",
    None,
]


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, tmp_path: Path) -> Iterator[str]:  # noqa: ANN001
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.sqlite3'}"
        return
    require(postgres_available(), "PostgreSQL is not reachable at 127.0.0.1:5432")
    name = f"diskurs_migration_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    drop_pg_database(name)


def _fill_the_old_schema() -> None:
    session = db.session
    session.execute(
        text(
            "INSERT INTO users (id, username, username_key, role, state, session_version, "
            "created_at) VALUES (1, 'alt', 'alt', 'member', 'active', 1, '2026-01-01 00:00:00')"
        )
    )
    session.execute(
        text(
            "INSERT INTO articles (id, title, slug, body, body_html, excerpt, author_name, "
            "comments_open, discussion_version, visible_comment_count, revision, created_at, "
            "updated_at) VALUES (1, 'T', 't', 'b', 'b', '', 'R', true, 1, 0, 1, "
            "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"
        )
    )
    session.execute(
        text(
            "INSERT INTO comments (id, article_id, author_id, depth, body, body_html, status, "
            "status_reason, flag_count, created_at) VALUES (1, 1, 1, 1, 'b', 'b', 'pending', "
            "'links: 3 > 2; hold list: krypto', 0, '2026-01-01 00:00:00')"
        )
    )
    for reason in OLD_REASONS:
        session.execute(
            text(
                "INSERT INTO moderation_events (action, comment_id, reason, created_at) "
                "VALUES ('post', 1, :reason, '2026-01-01 00:00:00')"
            ),
            {"reason": reason},
        )
    session.commit()


def test_old_reasons_become_codes_and_come_back_as_text(empty_url, tmp_path):
    app = make_app(empty_url, tmp_path)
    try:
        with app.app_context():
            upgrade(revision="0001")
            _fill_the_old_schema()
            upgrade()
            comment = db.session.get(Comment, 1)
            assert comment.status_reason.code is ReasonCode.HELD
            assert comment.status_reason.params == {
                "links": 3,
                "link_limit": 2,
                "words": ["krypto"],
            }
            events = db.session.scalars(select(ModerationEvent).order_by(ModerationEvent.id))
            reasons = [event.reason for event in events]
            assert [reason.code if reason else None for reason in reasons] == [
                ReasonCode.HELD,
                ReasonCode.FLAG_THRESHOLD,
                ReasonCode.BAN,
                ReasonCode.MODERATOR_NOTE,
                None,
            ]
            words = [
                render_reason(r.code, r.params, audience=Audience.MODERATOR, locale="de")
                for r in reasons[:4]
            ]
            assert words[0] == (
                "3 Links (Grenze 2); Halteliste: krypto, bitcoin; erster Kommentar dieses Mitglieds"
            )
            assert words[1] == "3 Meldungen (Schwelle 3)"
            assert words[2].startswith("Spam (bis 05.12.2026, 12:00")
            assert words[3] == "Nette Leute"
            db.session.commit()

            downgrade(revision="0001")
            old = db.session.execute(text("SELECT reason FROM moderation_events ORDER BY id"))
            assert [row[0] for row in old] == OLD_REASONS
            kept = db.session.execute(text("SELECT status_reason FROM comments")).scalar()
            assert kept == "links: 3 > 2; hold list: krypto"
            db.session.commit()
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
