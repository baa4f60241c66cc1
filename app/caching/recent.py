"""Versions a worker read a moment ago, reused for readers' pages for at most a second.

A reader's page already tells browsers and proxies they may keep it for ``READER_MAX_AGE``
seconds, and nginx does. Reading the versions afresh for every reader request of a popular
page therefore buys no freshness anybody is promised, and it is the largest part of
answering a kept page. So each worker reuses what it read for
``READER_VERSIONS_SECONDS`` (one second by default, never longer than
``READER_MAX_AGE``; 0 reads on every request).

Only readers' shared pages use this: members, staff and every write read the versions
anew, so nobody ever misses what they did. And a commit of this process that raised any
version forgets everything remembered here, so a worker never serves its own writes late;
what other workers and instances wrote shows within the second.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from time import monotonic
from typing import TypeVar

from flask import Flask, current_app

T = TypeVar("T")
# Articles of one worker remembered at most (a crawler walking the archive must not grow
# the worker): past this, everything is forgotten and read again.
LIMIT = 4096


class RecentVersions:
    """What the versions statement answered, by page, for a short while."""

    # Raised by every commit of this process that changed versions (see bumps.py); entries
    # read before it are not used any more. One count for every app of the process: an app
    # forgets a little more than it must, never less.
    changes = 0

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.entries: dict[Hashable, tuple[float, int, object]] = {}

    @classmethod
    def forget_everything(cls) -> None:
        cls.changes += 1

    def get(self, key: Hashable, read: Callable[[], T]) -> T:
        """What *read* answers, or what it answered for *key* less than the lifetime ago."""
        if self.seconds <= 0:
            return read()
        now = monotonic()
        entry = self.entries.get(key)
        if entry is not None and entry[0] > now and entry[1] == self.changes:
            return entry[2]  # type: ignore[return-value]
        changes = self.changes  # before reading: a commit meanwhile makes this entry stale
        value = read()
        if value is not None:
            if len(self.entries) >= LIMIT:
                self.entries.clear()
            self.entries[key] = (now + self.seconds, changes, value)
        return value


def recently_read(key: Hashable, read: Callable[[], T]) -> T:
    """*read*'s answer for a reader's shared page, reused for up to a second."""
    return current_app.extensions["diskurs_recent_versions"].get(key, read)


def init_app(app: Flask) -> None:
    seconds = float(app.config["READER_VERSIONS_SECONDS"])
    seconds = min(seconds, float(app.config["READER_MAX_AGE"]))
    app.extensions["diskurs_recent_versions"] = RecentVersions(
        seconds if app.config["PAGE_CACHE"] else 0
    )
