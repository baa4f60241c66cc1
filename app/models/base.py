"""Shared column types and helpers for the models."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, DateTime, Enum, literal_column
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """The current moment as an aware UTC datetime."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC and always hands back aware UTC datetimes, on SQLite as on PostgreSQL.

    SQLite keeps no offset, so a naive value read back is UTC by construction; an aware
    value is converted to UTC before it is written.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):  # noqa: ANN001
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect):  # noqa: ANN001
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def str_enum(enum_class: type[enum.Enum]) -> Enum:
    """Store an enum by its value in a plain VARCHAR, the same on every database."""
    return Enum(
        enum_class,
        native_enum=False,
        length=20,
        validate_strings=True,
        values_callable=lambda members: [member.value for member in members],
    )


def fixed(value: enum.Enum | int) -> ColumnElement[Any]:
    """One of the application's constants (an enum member, a number) written into the SQL
    instead of bound to it.

    SQLite prepares a statement anew on every execution when bound values meet the columns
    its partial indexes are conditioned on (the plan might depend on them): the header's
    unread count took 0.1 ms in SQLite with its constants bound and 0.01 ms with them written
    in, and SQLAlchemy has fewer parameters to process. Never for anything from outside.
    """
    raw = value.value if isinstance(value, enum.Enum) else value
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise TypeError(f"not a constant of ours: {value!r}")
    if isinstance(raw, int):
        return literal_column(str(int(raw)))
    if not raw.replace("_", "").isalnum():
        raise ValueError(f"not a constant of ours: {value!r}")
    return literal_column(f"'{raw}'")
