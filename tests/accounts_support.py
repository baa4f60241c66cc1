"""Helpers for the account tests: logging in through the form, apps (and the SMTP server)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from app.models import User
from tests.conftest import make_app
from tests.mail_server import Mailbox, smtp_server  # noqa: F401 - the account tests' server
from tests.support import csrf_token


@contextmanager
def app_with(database_url: str, tmp_path: Path, **settings: Any) -> Iterator[Flask]:
    application = make_app(database_url, tmp_path, **settings)
    try:
        yield application
    finally:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()


def fetch_user(app: Flask, user_id: int) -> User:
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        db.session.expunge(user)
        return user


def login(
    client: FlaskClient,
    username: str,
    password: str,
    *,
    remember: bool = False,
    next_path: str | None = None,
    headers: dict[str, str] | None = None,
) -> Any:
    """Log in through the form, as a browser would."""
    url = "/login" if next_path is None else f"/login?next={next_path}"
    page = client.get(url, headers=headers)
    data = {"csrf_token": csrf_token(page.data), "username": username, "password": password}
    if remember:
        data["remember"] = "y"
    return client.post(url, data=data, headers=headers)


def register(client: FlaskClient, url: str = "/register", **fields: str) -> Any:
    page = client.get(url)
    data = {"csrf_token": csrf_token(page.data)}
    data.update(fields)
    return client.post(url, data=data)


def logged_in_user_id(client: FlaskClient) -> str | None:
    with client.session_transaction() as session:
        return session.get("_user_id")


def field_error(html: str, field_id: str) -> str | None:
    """The error text shown beside the input *field_id*, or None."""
    match = re.search(rf'<p class="field__error" id="{re.escape(field_id)}-error">(.*?)</p>', html)
    return match.group(1) if match else None


def input_value(html: str, field_id: str) -> str | None:
    match = re.search(rf'<input[^>]*\bid="{re.escape(field_id)}"[^>]*>', html)
    if not match:
        return None
    value = re.search(r'\bvalue="([^"]*)"', match.group(0))
    return value.group(1) if value else None
