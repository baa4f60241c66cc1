"""Starting and ending login sessions.

A login starts from an empty session (nothing from before the login survives, the CSRF
secret included), and a logout empties it again. The "remember me" cookie carries the
same ``id:session_version`` as the session, so raising the version ends both.
"""

from __future__ import annotations

from flask import current_app, request, session
from flask_login import login_user, logout_user

from app.models import User

REMEMBER_COOKIE_DEFAULT = "remember_token"


def _has_remember_cookie() -> bool:
    name = current_app.config.get("REMEMBER_COOKIE_NAME", REMEMBER_COOKIE_DEFAULT)
    return name in request.cookies


def start_session(user: User, remember: bool) -> bool:
    session.clear()
    if not login_user(user, remember=remember, fresh=True):
        return False
    if not remember and _has_remember_cookie():
        # A cookie left by an earlier "remember me" must not outlive this login.
        session["_remember"] = "clear"
    return True


def renew_session(user: User) -> None:
    """Log the current session in again after ``session_version`` was raised."""
    remember = _has_remember_cookie()
    session.clear()
    login_user(user, remember=remember, fresh=True)


def end_session() -> None:
    session.clear()
    logout_user()  # after clear(): it leaves the note that removes the remember cookie
