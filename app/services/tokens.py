"""Signed links: confirming an email address and resetting a password.

A token names the account and what it was issued for, so it stops working once that has
changed: a confirmation link only confirms the address it was sent to, and a reset link
carries a fingerprint of the password hash, so it works once (the reset changes the hash).
Times are explicit arguments, so expiry can be tested without waiting.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from app.models import User

PURPOSE_CONFIRM = "confirm-email"
PURPOSE_RESET = "reset-password"


class TokenExpired(Exception):
    """The link was genuine but is too old."""


class TokenInvalid(Exception):
    """The link was tampered with, was meant for something else, or was used already."""


def _serializer(secret: str, purpose: str, now: datetime) -> URLSafeTimedSerializer:
    stamp = int(now.timestamp())

    class Signer(TimestampSigner):
        def get_timestamp(self) -> int:
            return stamp

    return URLSafeTimedSerializer(secret, salt=f"diskurs-{purpose}", signer=Signer)


def _password_fingerprint(user: User) -> str:
    source = f"{user.password_hash}:{user.session_version}"
    return hashlib.sha256(source.encode()).hexdigest()[:24]


def _load(secret: str, purpose: str, token: str, now: datetime, max_age: int) -> dict[str, Any]:
    try:
        data = _serializer(secret, purpose, now).loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise TokenExpired from error
    except (BadSignature, UnicodeError, ValueError) as error:
        raise TokenInvalid from error
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise TokenInvalid
    return data


def confirmation_token(secret: str, user: User, now: datetime) -> str:
    return _serializer(secret, PURPOSE_CONFIRM, now).dumps({"u": user.id, "e": user.email_key})


def user_for_confirmation(
    session: Session, secret: str, token: str, now: datetime, max_age: int
) -> User:
    """The account whose current address the link confirms; raises TokenExpired/TokenInvalid."""
    data = _load(secret, PURPOSE_CONFIRM, token, now, max_age)
    user = session.get(User, data["u"])
    if user is None or user.is_deleted or user.email_key is None or user.email_key != data["e"]:
        raise TokenInvalid
    return user


def reset_token(secret: str, user: User, now: datetime) -> str:
    payload = {"u": user.id, "p": _password_fingerprint(user)}
    return _serializer(secret, PURPOSE_RESET, now).dumps(payload)


def user_for_reset(session: Session, secret: str, token: str, now: datetime, max_age: int) -> User:
    """The account a reset link is for, while it has not been used."""
    data = _load(secret, PURPOSE_RESET, token, now, max_age)
    user = session.get(User, data["u"])
    if user is None or user.is_deleted or data.get("p") != _password_fingerprint(user):
        raise TokenInvalid
    return user
