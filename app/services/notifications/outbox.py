"""Writing notices: one row per recipient, in the transaction of the event that causes it.

Rows are written with INSERT ... SELECT, so telling every follower of an article is one
statement however many there are; a row that exists already for the same recipient and
cause is left alone (the unique key), which makes every hook safe to run twice.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Select, literal, select, update
from sqlalchemy.orm import Session

from app.models import MailState, Notice, NoticeKind, User
from app.services.notifications.preferences import insert_ignoring_duplicates

_COLUMNS = (
    "recipient_id",
    "kind",
    "comment_id",
    "article_id",
    "event_id",
    "params",
    "dedupe_key",
    "digest_key",
    "created_at",
    "next_attempt_at",
    "mail_state",
    "attempts",
)


def _value(column: str, value: Any) -> Any:
    return literal(value, Notice.__table__.c[column].type)


def write_notices(
    session: Session,
    recipients: Select,
    kind: NoticeKind,
    *,
    dedupe_key: str,
    now: datetime,
    comment_id: int | None = None,
    article_id: int | None = None,
    event_id: int | None = None,
    params: dict[str, Any] | None = None,
    digest_key: str | None = None,
    again_if_skipped: bool = False,
) -> None:
    """A notice of *kind* for every user id *recipients* selects (it must have a WHERE).

    With *again_if_skipped*, a notice that exists already but whose mail was skipped (what
    it pointed to had been hidden when a worker came to it) is due again: it was never
    sent, and now it is true.
    """
    recipient = recipients.selected_columns[0]
    rows = recipients.with_only_columns(
        recipient,
        _value("kind", kind),
        _value("comment_id", comment_id),
        _value("article_id", article_id),
        _value("event_id", event_id),
        _value("params", json.dumps(params, sort_keys=True) if params else None),
        _value("dedupe_key", dedupe_key),
        _value("digest_key", digest_key),
        _value("created_at", now),
        _value("next_attempt_at", now),
        _value("mail_state", MailState.PENDING),
        _value("attempts", 0),
        maintain_column_froms=True,
    )
    statement = insert_ignoring_duplicates(session, Notice).from_select(_COLUMNS, rows)
    session.execute(statement.on_conflict_do_nothing(index_elements=["recipient_id", "dedupe_key"]))
    if again_if_skipped:
        session.execute(
            update(Notice)
            .where(
                Notice.dedupe_key == dedupe_key,
                Notice.mail_state == MailState.SKIPPED,
                Notice.recipient_id.in_(recipients),
            )
            .values(mail_state=MailState.PENDING, next_attempt_at=now, attempts=0)
            .execution_options(synchronize_session=False)
        )


def one(user_id: int) -> Select:
    """*user_id* as the recipients of write_notices."""
    return select(User.id).where(User.id == user_id)


def params_of(notice: Notice) -> dict[str, Any]:
    return json.loads(notice.params) if notice.params else {}
