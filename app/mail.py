"""Sending mail: by SMTP when ``MAIL_SERVER`` is set, else printed to the console.

A mail that cannot be sent is logged and reported as False; it never breaks the request
that wanted to send it (the member can ask for the link again).
"""

from __future__ import annotations

import smtplib
import ssl
import sys
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

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


def build_message(to: str, subject: str, body: str) -> EmailMessage:
    config = current_app.config
    sender = config["MAIL_FROM"]
    message = EmailMessage()
    message["From"] = f"{config['SITE_NAME']} <{sender}>"
    message["To"] = _ascii_address(to)
    message["Subject"] = subject
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
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


def send_mail(to: str, subject: str, body: str) -> bool:
    """Send one plain-text mail; True when it went out (or was printed)."""
    message = build_message(to, subject, body)
    if not current_app.config.get("MAIL_SERVER"):
        # Readable rather than encoded, so a developer can follow the link.
        print(
            f"--- mail (no MAIL_SERVER configured) ---\nTo: {message['To']}\n"
            f"Subject: {subject}\n\n{body}\n--- end of mail ---",
            file=sys.stdout,
            flush=True,
        )
        return True
    try:
        _send_smtp(message)
    except (OSError, smtplib.SMTPException):
        current_app.logger.exception("could not send mail %r", subject)
        return False
    return True
