"""Whole pages for readers without a session, answered before Flask is even entered.

A reader who carries no session cookie sees exactly what every other such reader sees on
the home page and on an article page (in their language), so those answers are kept in the
page cache (app/services/page_cache.py) under a key of the versions read from the database
for this request. Anything else — a session or remember-me cookie, another method, another
path or query — goes to the application untouched, as does every answer that is not a
plain 200 page without cookies. If the database cannot be asked, the request goes to the
application too, which then answers as it would without the cache.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from flask import Flask
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from app.config import SUPPORTED_LOCALES
from app.models import utcnow
from app.services import page_cache

log = logging.getLogger(__name__)

_ARTICLE = re.compile(r"/articles/([a-z0-9-]{1,200})")
_PAGE = re.compile(r"page=([1-9][0-9]{0,5})")
QUEUE_PATH = "/moderation/"


@lru_cache(maxsize=512)
def reader_locale(accept_language: str, default: str) -> str:
    """The language a reader without an account gets: as app.i18n.select_locale decides."""
    accepted = parse_accept_header(accept_language, LanguageAccept)
    return accepted.best_match(SUPPORTED_LOCALES) or default


def _plan_once(dbapi_connection: Any, record: Any) -> None:
    """PostgreSQL: plan the (prepared) version statements once, not on every request.

    They are index lookups whatever the parameters, so the generic plan is the right one;
    planning them afresh each time costs more than running them.
    """
    try:
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET plan_cache_mode = force_generic_plan")
        if not dbapi_connection.autocommit:
            dbapi_connection.commit()  # a session setting: it outlives the transaction
    except Exception:  # an older server without the setting plans as before
        log.info("page cache: plan_cache_mode not available", exc_info=True)
        dbapi_connection.rollback()


class FrontCache:
    """WSGI middleware in front of the Flask application."""

    def __init__(self, wsgi_app: Callable, app: Flask) -> None:
        self.wsgi_app = wsgi_app
        self.app = app
        self.cache = page_cache.cache_for(app)
        names = (app.config["SESSION_COOKIE_NAME"], app.config.get("REMEMBER_COOKIE_NAME"))
        self.cookie_marks = tuple(f"{name}=" for name in names if name)
        self.per_page = int(app.config["ARTICLES_PER_PAGE"])
        self.default_locale = app.config["DEFAULT_LOCALE"]
        self._engine: Engine | None = None
        self.members: Any = None  # app.front_member.MemberFront, set by init_members
        self._engine_lock = threading.Lock()

    def engine(self) -> Engine:
        """An engine of its own: no transaction, no ping, nothing to reset after a read."""
        if self._engine is None:
            with self._engine_lock:
                if self._engine is None:
                    engine = create_engine(
                        self.app.config["SQLALCHEMY_DATABASE_URI"],
                        isolation_level="AUTOCOMMIT",
                        pool_reset_on_return=None,
                    )
                    if engine.dialect.name == "postgresql":
                        event.listen(engine, "connect", _plan_once)
                    self._engine = engine
        return self._engine

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()

    def _route(self, environ: dict[str, Any]) -> tuple | None:
        if environ.get("REQUEST_METHOD") != "GET" or not self.cache.enabled:
            return None
        query = environ.get("QUERY_STRING", "")
        page = 1
        if query:
            found = _PAGE.fullmatch(query)
            if found is None:
                return None
            page = int(found.group(1))
        path = environ.get("PATH_INFO", "")
        if path == "/":
            return ("home", page)
        if path == QUEUE_PATH:
            return ("queue", page)
        found = _ARTICLE.fullmatch(path)
        return ("article", found.group(1), page) if found else None

    def _state(self, route: tuple) -> tuple | None:
        now = utcnow()
        if route[0] == "queue":
            return None  # only for staff, who carry a session
        with self.engine().connect() as connection:
            if route[0] == "home":
                return page_cache.home_state(connection, now, route[1], self.per_page)
            state = page_cache.article_state(connection, route[1], now)
            return state.shown if state is not None else None

    def _has_session(self, environ: dict[str, Any]) -> bool:
        cookies = environ.get("HTTP_COOKIE", "")
        return bool(cookies) and any(mark in cookies for mark in self.cookie_marks)

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        route = self._route(environ)
        if route is None:
            return self.wsgi_app(environ, start_response)
        if self._has_session(environ):
            return self._for_member(route, environ, start_response)
        try:
            state = self._state(route)
        except SQLAlchemyError:
            log.warning("page cache: versions unreadable, answering without it", exc_info=True)
            return self.wsgi_app(environ, start_response)
        if state is None:
            return self.wsgi_app(environ, start_response)
        locale = reader_locale(environ.get("HTTP_ACCEPT_LANGUAGE", ""), self.default_locale)
        where = (environ.get("wsgi.url_scheme"), environ.get("HTTP_HOST"))
        key = ("front", route, locale, where, state)
        entry = self.cache.get(key)
        if entry is not None:
            status, headers, body = entry
            start_response(status, list(headers))
            return [body]
        return self._answer_and_keep(key, environ, start_response)

    def _for_member(self, route: tuple, environ: dict, start_response: Callable) -> Iterable:
        """A member's article page, when it is all kept; else the application answers."""
        answer = None
        if route[0] != "home" and self.members is not None:
            reader = reader_locale(environ.get("HTTP_ACCEPT_LANGUAGE", ""), self.default_locale)
            try:
                with self.engine().connect() as connection:
                    if route[0] == "queue":
                        answer = self.members.answer_queue(environ, connection, reader)
                    else:
                        answer = self.members.answer(
                            environ, connection, route[1], route[2], reader
                        )
            except SQLAlchemyError:
                log.warning("page cache: versions unreadable, answering without it", exc_info=True)
        if answer is None:
            return self.wsgi_app(environ, start_response)
        status, headers, body = answer
        start_response(status, headers)
        return [body]

    def _answer_and_keep(self, key: tuple, environ: dict, start_response: Callable) -> list:
        seen: dict[str, Any] = {}

        def remember(status: str, headers: list, exc_info: Any = None) -> Callable:
            seen.update(status=status, headers=headers, failed=exc_info is not None)
            return start_response(status, headers, exc_info)

        answer = self.wsgi_app(environ, remember)
        try:
            body = b"".join(answer)
        finally:
            close = getattr(answer, "close", None)
            if close is not None:
                close()
        if self._keepable(seen):
            self.cache.put(key, (seen["status"], tuple(seen["headers"]), body), len(body) + 1024)
        return [body]

    @staticmethod
    def _keepable(seen: dict[str, Any]) -> bool:
        if seen.get("failed") or not seen.get("status", "").startswith("200 "):
            return False
        names = {name.lower(): value for name, value in seen["headers"]}
        return "set-cookie" not in names and names.get("content-type", "").startswith("text/html")


def init_app(app: Flask) -> None:
    """Put the front cache in front of the application (inside any proxy fix)."""
    front = FrontCache(app.wsgi_app, app)
    app.wsgi_app = front
    app.extensions["front_cache"] = front


def init_members(app: Flask) -> None:
    """Members' pages too; after the session and login settings are in place."""
    from app.front_member import MemberFront

    app.extensions["front_cache"].members = MemberFront(app)
