"""Importing a WordPress export: records from the reader become rows, in one transaction.

Everything is written in a single transaction, committed only when the whole file has been
read: a file that fails in the middle leaves the database as it was, and a dry run is the
same import rolled back, so its counts are exactly what a real run would do. Rows keep
their WordPress ids, so importing the same file again updates them and adds nothing.
Objects are flushed and let go of every few hundred records: memory stays bounded by the
id maps (a few integers per row), not by the size of the file.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import IO

from sqlalchemy.orm import Session

from app.services.wordpress.people import upsert_author
from app.services.wordpress.posts import take_post, take_term
from app.services.wordpress.reader import (
    Author,
    CommentRecord,
    PostRecord,
    SiteRecord,
    Term,
    read_wxr,
)
from app.services.wordpress.report import ImportReport
from app.services.wordpress.state import ImportState
from app.services.wordpress.threads import finish, take_comment

BATCH = 500


class ImportFailed(Exception):
    """The import stopped; nothing of it was written. The message says why."""


def import_wxr(
    session: Session,
    stream: IO[bytes],
    *,
    now: datetime,
    zone: tzinfo,
    dry_run: bool = False,
    on_read: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import the export in *stream*; commit, or roll back on a dry run or any failure."""
    state = ImportState(zone=zone, now=now, report=ImportReport(dry_run=dry_run))
    try:
        for record in read_wxr(stream, on_read):
            _take(session, state, record)
            state.pending += 1
            if state.pending >= BATCH:
                session.flush()
                session.expunge_all()
                state.pending = 0
        finish(session, state)
        if dry_run:
            session.rollback()
        else:
            session.commit()
    except Exception as error:
        session.rollback()
        if isinstance(error, ImportFailed):
            raise
        raise ImportFailed(str(error).splitlines()[0] if str(error) else repr(error)) from error
    return state.report


def _take(session: Session, state: ImportState, record: object) -> None:
    if isinstance(record, SiteRecord):
        state.base = record.base_url or record.link
    elif isinstance(record, Author):
        user_id = upsert_author(session, record, state.report, state.now)
        state.authors[record.login] = user_id
        state.author_names[record.login] = html.unescape(record.display_name or record.login)
        if record.wp_id is not None:
            state.author_ids[record.wp_id] = user_id
    elif isinstance(record, Term):
        take_term(session, state, record)
    elif isinstance(record, PostRecord):
        take_post(session, state, record)
    elif isinstance(record, CommentRecord):
        take_comment(session, state, record)
