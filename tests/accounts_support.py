"""Helpers for the account tests: a real SMTP server, logging in through the form, apps."""

from __future__ import annotations

import email
import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from app.models import User
from tests.conftest import make_app
from tests.support import csrf_token

LINK = re.compile(r"https?://[^\s]+")


class Mailbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.port = 0

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001, N802
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address.lower() in m["X-Envelope-To"].lower()]

    @staticmethod
    def body(message: EmailMessage) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()

    def link(self, message: EmailMessage) -> str:
        """The path of the first link in *message*, ready for the test client."""
        match = LINK.search(self.body(message))
        assert match, self.body(message)
        return re.sub(r"^https?://[^/]+", "", match.group(0))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server() -> Iterator[Mailbox]:
    box = Mailbox()
    box.port = _free_port()
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


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
