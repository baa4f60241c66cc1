"""Accounts: the rules for names, emails and passwords, and creating an account."""

from __future__ import annotations

import re
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from app.models import User, UserRole, email_key, username_key
from app.services.errors import Conflict, InvalidInput

USERNAME_PATTERN = re.compile(r"^[A-Za-zÄÖÜäöüß0-9_-]{3,30}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 10


def check_username(name: str) -> str:
    name = name.strip()
    if not USERNAME_PATTERN.fullmatch(name):
        raise InvalidInput(
            _l("3 to 30 letters (umlauts and ß too), digits, - and _."), field="username"
        )
    return name


def check_email(address: str) -> str:
    address = address.strip()
    if len(address) > 254 or not EMAIL_PATTERN.fullmatch(address):
        raise InvalidInput(_l("Please enter a valid email address."), field="email")
    return address


def check_password(password: str, username: str | None, email: str | None) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            _l("At least %(num)d characters, please.", num=MIN_PASSWORD_LENGTH), field="password"
        )
    lowered = password.casefold()
    if (username and lowered == username.casefold()) or (email and lowered == email.casefold()):
        raise InvalidInput(
            _l("The password must not be your username or email address."), field="password"
        )


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def find_by_login(session: Session, login: str) -> User | None:
    """The account with this username or email address."""
    login = login.strip()
    if "@" in login:
        return session.scalar(select(User).where(User.email_key == email_key(login)))
    return session.scalar(select(User).where(User.username_key == username_key(login)))


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
    """Add an account after checking every rule; raises InvalidInput or Conflict."""
    username = check_username(username)
    email = check_email(email)
    check_password(password, username, email)
    if session.scalar(select(User.id).where(User.username_key == username_key(username))):
        raise Conflict(_l("This username is already taken."))
    if session.scalar(select(User.id).where(User.email_key == email_key(email))):
        raise Conflict(_l("An account with this email address exists already."))
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
