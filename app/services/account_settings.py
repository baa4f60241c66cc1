"""Changes a member makes to their own account: password, email address, language.

Changing the password raises ``session_version``, which ends every other login session
and every "remember me" cookie; the view logs the current session in again. Logging out
raises it too, since a copy of a signed session cookie would otherwise still log in.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.config import SUPPORTED_LOCALES
from app.models import User, email_key
from app.services.accounts import (
    Taken,
    check_email,
    check_password,
    email_taken,
    hash_password,
    password_matches,
)
from app.services.errors import InvalidInput


class WrongPassword(InvalidInput):
    """The current password given to confirm a change was wrong."""

    def __init__(self, field: str = "current_password") -> None:
        super().__init__(_l("This is not your current password."), field=field)


def log_out_everywhere(user: User) -> None:
    """End every login session of *user*: the session id carries this version."""
    user.session_version += 1


def set_password(user: User, password: str) -> None:
    """Store a new password (already checked) and end every login session of the account."""
    user.password_hash = hash_password(password)
    log_out_everywhere(user)


def change_password(session: Session, user: User, *, current: str, new: str) -> None:
    if not password_matches(user, current):
        raise WrongPassword
    check_password(new, user.username, user.email)
    set_password(user, new)
    session.flush()


def reset_password(session: Session, user: User, *, new: str, now: datetime) -> None:
    """Set the password from a reset link; the link proved the address, so it counts as
    confirmed too."""
    check_password(new, user.username, user.email)
    set_password(user, new)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = now
    session.flush()


def change_email(session: Session, user: User, *, new: str, current_password: str) -> str | None:
    """Switch to address *new*, unconfirmed until its link is followed.

    Returns the previous address (to tell it of the change), or None when nothing changed.
    """
    if not password_matches(user, current_password):
        raise WrongPassword
    new = check_email(new)
    if email_key(new) == user.email_key:
        if new != user.email:
            user.email = new  # only its spelling changed; it is still the confirmed address
            session.flush()
        return None
    if email_taken(session, new, except_id=user.id):
        raise Taken(_l("An account with this email address exists already."), field="email")
    previous = user.email
    user.email = new
    user.email_key = email_key(new)
    user.email_confirmed_at = None
    session.flush()
    return previous


def confirm_email(user: User, now: datetime) -> bool:
    """Mark the address confirmed; False when it was already."""
    if user.email_confirmed_at is not None:
        return False
    user.email_confirmed_at = now
    return True


def set_locale(user: User, locale: str | None) -> None:
    """The member's interface language; None follows the browser."""
    if locale and locale not in SUPPORTED_LOCALES:
        raise InvalidInput(_l("Please choose one of the languages offered."), field="locale")
    user.locale = locale or None
