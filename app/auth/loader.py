"""How a login session finds its user again, and what templates know about accounts."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select

from app.auth.next_url import return_path
from app.extensions import db, login_manager
from app.models import User
from app.services.accounts import write_block

# Built once: Session.get builds and hashes its statement anew on every request.
BY_ID = select(User).where(User.id == bindparam("id"))


def load_user(session_id: str) -> User | None:
    """Session ids are ``"<id>:<session_version>"``; an old version no longer logs in."""
    user_id, _, version = session_id.partition(":")
    if not (user_id.isascii() and user_id.isdigit() and version.isascii() and version.isdigit()):
        return None
    user = db.session.execute(BY_ID, {"id": int(user_id)}).scalar_one_or_none()
    if user is None or user.session_version != int(version) or user.is_deleted:
        return None
    return user


def init_login(app: Flask) -> None:
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to continue.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.jinja_env.globals.update(return_path=return_path, write_block=write_block)
