"""Helpers for the caching tests: an app with the cache on, counting statements, logging in."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from app.caching import recent
from app.extensions import db
from tests.accounts_support import login
from tests.conftest import make_app
from tests.support import PASSWORD

ENGLISH = {"Accept-Language": "en"}


class ReaderClock:
    """Stops the clock app/caching/recent.py reads and moves it on only when told.

    It stands still between moves: a slow machine that takes half a second between two
    requests must not let what a worker read expire behind the test's back.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.offset = 0.0
        start = recent.monotonic()
        monkeypatch.setattr(recent, "monotonic", lambda: start + self.offset)

    def advance(self, seconds: float = 1.0) -> None:
        """Let *seconds* pass (by default the lifetime of what a worker read)."""
        self.offset += seconds


def cached_app(database_url: str, tmp_path: Path, **settings: object) -> Iterator[Flask]:
    """For a fixture: the application with its cache on, whatever --page-cache says."""
    application = make_app(database_url, tmp_path, **settings, PAGE_CACHE=True)
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@contextmanager
def statements(app: Flask) -> Iterator[list[str]]:
    """The statements the application's engine runs in the block."""
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(args[2])

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def logged_in(app: Flask, username: str) -> FlaskClient:
    """A client logged in through the form, as a browser would be."""
    client = app.test_client()
    response = login(client, username, PASSWORD)
    assert response.status_code in (302, 303), response.status_code
    client.get("/")  # shows (and so removes) the greeting
    return client
