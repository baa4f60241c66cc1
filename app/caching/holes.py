"""Parts of pages kept with *holes*: places where a value of the request goes (the member's
name, their CSRF token, a form's submission key) or another part (app/caching/shell.py).

A part is rendered once with a mark in each hole, cut at the marks and kept as its text
(encoded) and the names of its holes, alternately. The marks are new in every process, so
nobody can type one into a page on purpose, and never kept: a part kept in Redis by one
worker is filled in by any other.
"""

from __future__ import annotations

import re
import secrets

NONCE = secrets.token_hex(12)
VALUES = ("name", "token", "submission")
# Letters and digits only: escaping leaves them as they are wherever a template puts them.
VALUE_MARKS = {name: f"hole{NONCE}{name}" for name in VALUES}

Parts = tuple[bytes | str, ...]  # text (UTF-8), name, text, name, …, text


def cut(html: str, marks: dict[str, str]) -> Parts:
    """*html* as encoded text and the names of the marks in it, alternately (kept encoded:
    encoding a whole page again on every request costs more than filling it in)."""
    by_mark = {mark: name for name, mark in marks.items()}
    pattern = "|".join(re.escape(mark) for mark in marks.values())
    pieces = re.split(f"({pattern})", html)
    return tuple(
        by_mark[piece] if index % 2 else piece.encode() for index, piece in enumerate(pieces)
    )


def fill(parts: Parts, values: dict[str, bytes]) -> bytes:
    """The part with each hole filled by its value."""
    return b"".join(
        values[part] if index % 2 else part  # type: ignore[misc]
        for index, part in enumerate(parts)
    )


def with_token_marked(html: str, token: str) -> str:
    """*html* with the request's CSRF token replaced by its mark (a random string that shows
    nowhere else)."""
    return html.replace(token, VALUE_MARKS["token"])
