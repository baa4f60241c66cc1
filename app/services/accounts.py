"""Accounts: the rules for names, emails and passwords, creating an account, logging in."""

from __future__ import annotations

import enum
import functools
import re
import unicodedata
from datetime import datetime
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from app.models import AccountState, User, UserRole, email_key, username_key
from app.services.errors import Conflict, InvalidInput

USERNAME_PATTERN = re.compile(r"^[A-Za-zÄÖÜäöüß0-9_-]{3,30}$")
MAX_EMAIL_LENGTH = 254
MIN_PASSWORD_LENGTH = 10
# Long enough for any password manager, short enough that hashing stays cheap.
MAX_PASSWORD_LENGTH = 1000


class Taken(Conflict):
    """The name or address belongs to another account; ``field`` says which."""

    def __init__(self, message: Any, field: str) -> None:
        super().__init__(message)
        self.field = field


def clean_username(name: str) -> str:
    """As stored: trimmed and composed, so "u" + combining diaeresis counts as "ü"."""
    return unicodedata.normalize("NFC", name.strip())


def check_username(name: str) -> str:
    name = clean_username(name)
    if not USERNAME_PATTERN.fullmatch(name):
        raise InvalidInput(
            _l("3 to 30 letters (umlauts and ß too), digits, - and _."), field="username"
        )
    return name


def check_email(address: str) -> str:
    """The address in its normalised form; raises InvalidInput when it cannot be one."""
    address = address.strip()
    if not address or len(address) > MAX_EMAIL_LENGTH or "\x00" in address:
        raise InvalidInput(_l("Please enter a valid email address."), field="email")
    try:
        checked = validate_email(address, check_deliverability=False)
    except (EmailNotValidError, UnicodeError, ValueError) as error:
        raise InvalidInput(_l("Please enter a valid email address."), field="email") from error
    if len(checked.normalized) > MAX_EMAIL_LENGTH:
        raise InvalidInput(_l("Please enter a valid email address."), field="email")
    return checked.normalized


def check_password(
    password: str, username: str | None, email: str | None, field: str = "password"
) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            _l("At least %(num)d characters, please.", num=MIN_PASSWORD_LENGTH), field=field
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(
            _l("At most %(num)d characters, please.", num=MAX_PASSWORD_LENGTH), field=field
        )
    lowered = password.strip().casefold()
    if (username and lowered == username.strip().casefold()) or (
        email and lowered == email.strip().casefold()
    ):
        raise InvalidInput(
            _l("The password must not be your username or email address."), field=field
        )


# werkzeug's scrypt with its default cost; the test suite lowers the cost to stay quick.
PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 (a method name, not a password)


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=PASSWORD_HASH_METHOD)


@functools.cache
def _decoy_hash() -> str:
    return hash_password("a password nobody has")


def password_matches(user: User | None, password: str) -> bool:
    """Check *password* with exactly one hash, whatever the account and the length.

    Without an account, or with a password longer than any stored one, a decoy hash is
    checked instead, so that the time of the answer does not tell which case it was.
    """
    if user is None or not user.password_hash or user.is_deleted:
        check_password_hash(_decoy_hash(), password[:MAX_PASSWORD_LENGTH])
        return False
    if len(password) > MAX_PASSWORD_LENGTH:
        check_password_hash(_decoy_hash(), password[:MAX_PASSWORD_LENGTH])
        return False
    return check_password_hash(user.password_hash, password)


def username_taken(session: Session, name: str, except_id: int | None = None) -> bool:
    query = select(User.id).where(User.username_key == username_key(name))
    if except_id is not None:
        query = query.where(User.id != except_id)
    return session.scalar(query) is not None


def email_taken(session: Session, address: str, except_id: int | None = None) -> bool:
    query = select(User.id).where(User.email_key == email_key(address))
    if except_id is not None:
        query = query.where(User.id != except_id)
    return session.scalar(query) is not None


def find_by_email(session: Session, address: str) -> User | None:
    """The account (not a deleted one: its address is erased) with this address."""
    return session.scalar(select(User).where(User.email_key == email_key(address)))


def find_by_login(session: Session, login: str) -> User | None:
    """The account with this username or email address (usernames cannot contain "@")."""
    login = login.strip()
    # PostgreSQL refuses NUL in text, and no stored name or address can hold one.
    if not login or "\x00" in login or len(login) > MAX_EMAIL_LENGTH:
        return None
    if "@" in login:
        return session.scalar(select(User).where(User.email_key == email_key(login)))
    return session.scalar(select(User).where(User.username_key == username_key(login)))


def authenticate(session: Session, login: str, password: str) -> User | None:
    """The account if *login* and *password* fit an account that may log in, else None."""
    user = find_by_login(session, login)
    if not password_matches(user, password):
        return None
    return user


def create_user(
    session: Session,
    *,
    username: str,
    email: str,
    password: str,
    now: datetime,
    role: UserRole = UserRole.MEMBER,
    confirmed: bool = False,
) -> User:
    """Add an account after checking every rule; raises InvalidInput or Taken."""
    username = check_username(username)
    email = check_email(email)
    check_password(password, username, email)
    if username_taken(session, username):
        raise Taken(_l("This username is already taken."), field="username")
    if email_taken(session, email):
        raise Taken(_l("An account with this email address exists already."), field="email")
    user = User(
        username=username,
        username_key=username_key(username),
        email=email,
        email_key=email_key(email),
        password_hash=hash_password(password),
        role=role,
        created_at=now,
        email_confirmed_at=now if confirmed else None,
    )
    session.add(user)
    session.flush()
    return user


class WriteBlock(enum.StrEnum):
    """Why a logged-in member may not write; :func:`app.permissions.can_write` in words."""

    UNCONFIRMED = "unconfirmed"
    BANNED = "banned"
    DELETED = "deleted"


def write_block(user: Any, now: datetime) -> WriteBlock | None:
    """None for a reader (they are asked to log in instead) and for a member who may write."""
    # Not is_authenticated: Flask-Login counts a deleted account as not authenticated.
    if user is None or getattr(user, "is_anonymous", True):
        return None
    if user.state is AccountState.DELETED:
        return WriteBlock.DELETED
    if user.is_banned_at(now):
        return WriteBlock.BANNED
    if not user.is_confirmed:
        return WriteBlock.UNCONFIRMED
    return None
