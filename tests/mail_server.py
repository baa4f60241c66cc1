"""The suite's real SMTP server (aiosmtpd in a thread): the app sends, the test reads.

Used by the request tests (``smtp_server()``) and the browser journeys (``Mailbox``). The
server can be stopped and started again on the same port, to test a mail server that is
down for a while.
"""

from __future__ import annotations

import email
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email import policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

LINK = re.compile(r"https?://[^\s<>\"]+")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """Keeps every message its SMTP server receives, with the envelope's recipients."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.raw: list[bytes] = []
        self.port = _free_port()
        self._arrived = threading.Condition()
        self.controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001, N802
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        with self._arrived:
            self.raw.append(raw)
            self.messages.append(message)
            self._arrived.notify_all()
        return "250 OK"

    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def __enter__(self) -> Mailbox:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def settings(self) -> dict[str, object]:
        """The app settings that send mail here."""
        return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": self.port}

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address.lower() in m["X-Envelope-To"].lower()]

    def wait_for(self, to: str, timeout: float = 10) -> EmailMessage:
        """The newest message to *to*, waiting for it to arrive."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while True:
                found = self.to(to)
                if found:
                    return found[-1]
                remaining = deadline - time.monotonic()
                assert remaining > 0, f"no mail to {to} arrived; got {len(self.messages)} others"
                self._arrived.wait(remaining)

    @staticmethod
    def body(message: EmailMessage) -> str:
        return body_of(message)

    @staticmethod
    def html(message: EmailMessage) -> str:
        part = message.get_body(preferencelist=("html",))
        assert part is not None, "the mail has no HTML part"
        return part.get_content()

    def link(self, message: EmailMessage) -> str:
        """The path of the first link in *message*, ready for the test client."""
        match = LINK.search(self.body(message))
        assert match, self.body(message)
        return re.sub(r"^https?://[^/]+", "", match.group(0))


@contextmanager
def smtp_server() -> Iterator[Mailbox]:
    with Mailbox() as box:
        yield box


def body_of(message: EmailMessage) -> str:
    return (message.get_body(preferencelist=("plain",)) or message).get_content()


def links_in(text: str) -> list[str]:
    return LINK.findall(text)
