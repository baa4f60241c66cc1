"""Article pages for members, answered in front of Flask when everything is already kept.

A member who owns no comment under an article and may write there sees the page every such
member sees, but for their name and their session's CSRF token (app/articles/member_page.py
keeps that page and its thread). When both are kept, this answers before Flask is entered:
it checks the session cookie exactly as the application would (signature, the account and
its session version, the session's tie to this browser), reads the versions, and fills in
the name and the token. Whatever it is not sure about — a message waiting in the session, a
comment of their own there, a moderator, anything not kept yet — goes to the application.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import Connection, bindparam, select
from werkzeug.http import parse_cookie

from app.articles import member_page
from app.comments.discussion import POSTED_KEY
from app.config import SUPPORTED_LOCALES
from app.models import AccountState, User, UserRole, utcnow
from app.notifications import personal
from app.security import add_security_headers
from app.services import page_cache
from app.services.notifications.onsite import unread_count
from app.viewer_cache import moderation_signature, viewer_key

_STAFF = select(User.session_version, User.state, User.role, User.locale).where(
    User.id == bindparam("id")
)
_STAFF_ROLES = (UserRole.MODERATOR, UserRole.ADMIN)
QUEUE_ENDPOINT = "moderation.queue"
# Session keys that make the application change the session or the page.
_NOT_HERE = ("_flashes", POSTED_KEY, "_permanent", "_remember")


def browser_identifier(environ: dict[str, Any]) -> str:
    """What Flask-Login ties a session to (its _create_identifier), from the WSGI environ."""
    address = environ.get("HTTP_X_FORWARDED_FOR", environ.get("REMOTE_ADDR"))
    if address is not None:
        address = address.encode("utf-8").split(b",")[0].strip()
    agent = environ.get("HTTP_USER_AGENT")
    if agent is not None:
        agent = agent.encode("utf-8")
    return hashlib.sha512(f"{address}|{agent}".encode()).hexdigest()


def may_write(user: dict[str, Any], now: datetime) -> bool:
    """permissions.can_write for a plain member, on the row read here."""
    state, until = user["state"], user["banned_until"]
    banned = state is AccountState.BANNED and (until is None or until > now)
    confirmed = user["email_confirmed_at"] is not None
    return state is not AccountState.DELETED and confirmed and not banned


class MemberFront:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self.cache = page_cache.cache_for(app)
        interface = app.session_interface
        self.sessions = (
            interface.get_signing_serializer(app)
            if isinstance(interface, SecureCookieSessionInterface)
            else None
        )
        self.session_cookie = app.config["SESSION_COOKIE_NAME"]
        self.max_age = int(app.permanent_session_lifetime.total_seconds())
        field = app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
        secret = app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key
        self.csrf_field = field
        self.csrf = URLSafeTimedSerializer(secret, salt="wtf-csrf-token")
        self.default_locale = app.config["DEFAULT_LOCALE"]
        self.shape = (app.config["COMMENT_MAX_DEPTH"], app.config["COMMENTS_PER_PAGE"])
        self._headers: dict[str, list[tuple[str, str]]] = {}

    def session(self, environ: dict[str, Any]) -> dict | None:
        if self.sessions is None:
            return None
        raw = parse_cookie(environ).get(self.session_cookie)
        if not raw:
            return None
        try:
            data = self.sessions.loads(raw, max_age=self.max_age)
        except BadSignature:
            return None
        if any(key in data for key in _NOT_HERE):
            return None
        if data.get("_id") != browser_identifier(environ):
            return None  # the application marks such a session as not fresh
        return data

    def answer(
        self, environ: dict[str, Any], connection: Connection, slug: str, page: int, reader: str
    ) -> tuple[str, list, bytes] | None:
        """(status, headers, body) of the page, or None to let the application answer."""
        data = self.session(environ)
        if data is None or not data.get(self.csrf_field):
            return None
        user_id, _, version = str(data.get("_user_id", "")).partition(":")
        if not (user_id.isascii() and user_id.isdigit() and version.isdigit()):
            return None
        now = utcnow()
        state, user = page_cache.article_and_viewer(connection, slug, now, int(user_id))
        if state is None or user is None or not state.comments_open or state.own_comments:
            return None
        if user["session_version"] != int(version) or user["role"] is not UserRole.MEMBER:
            return None
        if not may_write(user, now):
            return None
        if personal.differs_from_kept_page(connection, int(user_id), state.id):
            return None  # they follow the article or have unread notices
        locale = user["locale"] if user["locale"] in SUPPORTED_LOCALES else reader
        full_path = f"{environ.get('PATH_INFO', '')}?{environ.get('QUERY_STRING', '')}"
        parts = self.cache.get(member_page.shell_key(slug, state, locale, full_path))
        thread_key = member_page.thread_key(state, locale, full_path, page, *self.shape)
        thread = self.cache.get(thread_key)
        if parts is None or thread is None:
            return None
        token = self.csrf.dumps(data[self.csrf_field])
        body = member_page.fill(parts, thread, user["username"] or "", token)
        headers = [*self.headers(environ), ("Content-Length", str(len(body)))]
        return "200 OK", headers, body

    def answer_queue(
        self, environ: dict[str, Any], connection: Connection, reader: str
    ) -> tuple[str, list, bytes] | None:
        """The moderation queue of a moderator, when app/viewer_cache.py keeps it for them."""
        data = self.session(environ)
        if data is None or not data.get(self.csrf_field):
            return None
        session_id = str(data.get("_user_id", ""))
        user_id, _, version = session_id.partition(":")
        if not (user_id.isascii() and user_id.isdigit() and version.isdigit()):
            return None
        user = connection.execute(_STAFF, {"id": int(user_id)}).first()
        if user is None or user.session_version != int(version):
            return None
        if user.state is AccountState.DELETED or user.role not in _STAFF_ROLES:
            return None
        locale = user.locale if user.locale in SUPPORTED_LOCALES else reader
        full_path = f"{environ.get('PATH_INFO', '')}?{environ.get('QUERY_STRING', '')}"
        now = utcnow()
        unread = unread_count(connection, int(user_id), now)  # the header shows it
        signature = (moderation_signature(connection, now), unread)
        key = viewer_key(QUEUE_ENDPOINT, session_id, full_path, locale, signature)
        parts = self.cache.get(key)
        if parts is None:
            return None
        body = self.csrf.dumps(data[self.csrf_field]).encode().join(parts)
        return "200 OK", [*self.headers(environ), ("Content-Length", str(len(body)))], body

    def headers(self, environ: dict[str, Any]) -> list[tuple[str, str]]:
        """The headers the application sends with a page (security headers included)."""
        scheme = environ.get("wsgi.url_scheme", "http")
        if scheme not in self._headers:
            response = self.app.response_class(mimetype="text/html")
            response.vary.add("Cookie")
            with self.app.test_request_context(base_url=f"{scheme}://localhost"):
                add_security_headers(response)
            kept = [(k, v) for k, v in response.headers.items() if k != "Content-Length"]
            self._headers[scheme] = kept
        return self._headers[scheme]
