"""Whole numbers typed into addresses and forms: ids, page numbers, revisions.

Every integer column is at most a 32-bit signed integer on PostgreSQL (and SQLite refuses
numbers beyond 64 bits), so a number past that range cannot name anything stored. Such a
number is "not found" here, before it reaches a query that would fail on it. Routes get
this through the ``int`` converter, which :func:`init_app` replaces for the whole site, so
``<int:comment_id>`` in any route is bounded without further thought.
"""

from __future__ import annotations

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter, Map

DB_INT_MAX = 2**31 - 1


class DatabaseIntegerConverter(IntegerConverter):
    """``<int:...>`` that matches only numbers a database integer column can hold."""

    def __init__(self, url_map: Map, fixed_digits: int = 0, min: int | None = None, **kwargs):  # noqa: A002, ANN003
        kwargs.setdefault("max", DB_INT_MAX)
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, **kwargs)


def parse_id(raw: object) -> int | None:
    """A positive number within the database's range from typed text, or None."""
    text = str(raw).strip() if raw is not None else ""
    # isdigit alone lets "²" through, which int() then refuses.
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(DB_INT_MAX)):
        return None
    value = int(text)
    return value if 0 < value <= DB_INT_MAX else None


def id_arg(name: str) -> int | None:
    """A positive id from the query string, or None for anything else."""
    return parse_id(request.args.get(name))


def page_arg(name: str = "page") -> int:
    """The page number asked for: 1 when none (or no number) is given, 404 past any page."""
    raw = request.args.get(name, "").strip()
    if raw.startswith("-") or not (raw.isascii() and raw.isdigit()):
        return 1
    # Checked by length first: int() refuses very long digit strings with an error.
    if len(raw) > len(str(DB_INT_MAX)) or int(raw) > DB_INT_MAX:
        abort(404)
    return max(int(raw), 1)


def init_app(app: Flask) -> None:
    """Before any blueprint adds a route: every ``<int:...>`` is bounded from now on."""
    app.url_map.converters["int"] = DatabaseIntegerConverter
