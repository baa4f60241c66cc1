"""A real SMTP server for browser journeys: the app sends, the test reads the mail."""

from __future__ import annotations

import email
import email.policy
import re
import socket
import threading
import time
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class Mailbox:
    """Collects every message sent to the SMTP server it runs (aiosmtpd, in a thread)."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self._arrived = threading.Condition()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001, N802
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        with self._arrived:
            self.messages.append(message)
            self._arrived.notify_all()
        return "250 OK"

    def __enter__(self) -> Mailbox:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()

    def wait_for(self, to: str, timeout: float = 10) -> EmailMessage:
        """The newest message to *to*, waiting for it to arrive."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while True:
                found = [m for m in self.messages if to.lower() in str(m["To"]).lower()]
                if found:
                    return found[-1]
                remaining = deadline - time.monotonic()
                assert remaining > 0, f"no mail to {to} arrived; got {len(self.messages)} others"
                self._arrived.wait(remaining)


def body_of(message: EmailMessage) -> str:
    return (message.get_body(("plain",)) or message).get_content()


def links_in(text: str) -> list[str]:
    return re.findall(r"https?://\S+", text)
