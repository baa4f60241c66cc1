"""The suite's SMTP server for browser journeys (tests/mail_server.py)."""

from tests.mail_server import Mailbox, body_of, links_in

__all__ = ["Mailbox", "body_of", "links_in"]
