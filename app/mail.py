"""Sending mail: by SMTP when ``MAIL_SERVER`` is set, else printed to the console.

An account mail that cannot be sent is logged and reported as False; it never breaks the
request that wanted to send it (the member can ask for the link again). Notifications go
through :func:`deliver`, which raises instead, so their worker can try again later.
"""

from __future__ import annotations

import smtplib
import ssl
import sys
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from flask import current_app

from app.models import utcnow

SMTP_TIMEOUT_SECONDS = 15


def _ascii_address(address: str) -> str:
    """The address with an internationalised domain in its ASCII (punycode) form."""
    try:
        checked = validate_email(address, check_deliverability=False)
    except (EmailNotValidError, UnicodeError, ValueError):
        return address
    return checked.ascii_email or address


class MailError(Exception):
    """The mail server could not be reached or did not take the mail."""


def mail_domain() -> str:
    """The domain of the site's sender address, for Message-IDs that are ours."""
    config = current_app.config
    domain = str(config["MAIL_FROM"]).rpartition("@")[2]
    return domain or urlsplit(str(config["BASE_URL"])).hostname or "localhost"


def build_message(
    to: str,
    subject: str,
    body: str,
    *,
    html: str | None = None,
    headers: Mapping[str, str] | None = None,
    message_id: str | None = None,
) -> EmailMessage:
    """A mail to one address: plain text, and an HTML alternative when *html* is given."""
    config = current_app.config
    sender = config["MAIL_FROM"]
    message = EmailMessage()
    message["From"] = f"{config['SITE_NAME']} <{sender}>"
    message["To"] = _ascii_address(to)
    message["Subject"] = subject
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = message_id or make_msgid(domain=mail_domain())
    message["Auto-Submitted"] = "auto-generated"
    for name, value in (headers or {}).items():
        message[name] = value
    # Quoted-printable: 7-bit safe for any mail server, lines within 76 characters.
    message.set_content(body, cte="quoted-printable")
    if html is not None:
        message.add_alternative(html, subtype="html", cte="quoted-printable")
    # Header lines may be as long as RFC 5322 allows, so that a link in List-Unsubscribe is
    # never folded into encoded words (the body is encoded by now and stays as it is).
    message.policy = message.policy.clone(max_line_length=998)
    return message


def _send_smtp(message: EmailMessage) -> None:
    config = current_app.config
    with smtplib.SMTP(
        config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=SMTP_TIMEOUT_SECONDS
    ) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(message)


def _print(message: EmailMessage) -> None:
    # Readable rather than encoded, so a developer can follow the link.
    text = message.get_body(preferencelist=("plain",))
    body = text.get_content() if text is not None else ""
    print(
        f"--- mail (no MAIL_SERVER configured) ---\nTo: {message['To']}\n"
        f"Subject: {message['Subject']}\n\n{body}\n--- end of mail ---",
        file=sys.stdout,
        flush=True,
    )


def deliver(message: EmailMessage) -> None:
    """Hand *message* to the mail server (or print it); raises MailError when that fails."""
    if not current_app.config.get("MAIL_SERVER"):
        _print(message)
        return
    try:
        _send_smtp(message)
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(f"{type(error).__name__}: {error}") from error


def send_mail(to: str, subject: str, body: str) -> bool:
    """Send one plain-text mail; True when it went out (or was printed)."""
    message = build_message(to, subject, body)
    try:
        deliver(message)
    except MailError:
        current_app.logger.exception("could not send mail %r", subject)
        return False
    return True
