"""Error pages: in the site's layout, or a page of their own while the database is away.

Every handler first rolls the session back. After a failed statement PostgreSQL refuses all
further ones in the same transaction, and the error page itself reads the footer pages and
the logged-in account; without the rollback a harmless 404 would turn into a 500.

When the database cannot be reached, the answer is a 503 with ``Retry-After`` from a
template that needs nothing from the database: no layout, no account, no footer pages, the
language taken from the browser alone. Anything typed into a form that was lost this way
can be handed to :func:`unavailable` to be offered back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Flask, Response, current_app, render_template, request
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from app.config import SUPPORTED_LOCALES
from app.extensions import db

RETRY_AFTER_SECONDS = 30
# What the database raises when it cannot be reached (down, restarting, pool exhausted,
# busy); the handlers look closer, as SQLite raises the same class for a missing table.
UNREACHABLE = (sa.OperationalError, sa.InterfaceError, sa.TimeoutError)
# SQLite's primary result codes that pass: BUSY, LOCKED, NOMEM, IOERR, FULL, CANTOPEN, PROTOCOL.
_SQLITE_PASSING = {5, 6, 7, 10, 13, 14, 15}


@dataclass
class KeptForm:
    """A form whose text could not be saved, to be sent again from the 503 page."""

    action: str
    text_name: str
    text: str
    text_label: Any
    button: Any
    hidden: dict[str, str] = field(default_factory=dict)


def database_unreachable(error: BaseException | None) -> bool:
    """True for a database that cannot answer now; False for a fault in what was asked."""
    if isinstance(error, sa.InterfaceError | sa.TimeoutError):
        return True
    if isinstance(error, sa.DBAPIError) and error.connection_invalidated:
        return True
    if isinstance(error, sa.OperationalError):
        code = getattr(error.orig, "sqlite_errorcode", None)
        return code is None or code & 0xFF in _SQLITE_PASSING
    return False


def forget_failed_work() -> None:
    try:
        db.session.rollback()
    except sa.SQLAlchemyError:  # the connection is gone; the session starts afresh anyway
        current_app.logger.warning("rollback after an error failed", exc_info=True)


def _browser_locale() -> str:
    best = request.accept_languages.best_match(SUPPORTED_LOCALES)
    return best or current_app.config["DEFAULT_LOCALE"]


def standalone_page(code: int, title: Any, message: Any, kept: KeptForm | None = None) -> Response:
    """A page of its own, rendered without context processors (they would load the account)."""
    locale = _browser_locale()
    with force_locale(locale):
        template = current_app.jinja_env.get_template("errors/standalone.html")
        body = template.render(
            lang=locale,
            site_name=current_app.config["SITE_NAME"],
            title=str(title),
            message=str(message),
            kept=kept,
        )
    return current_app.response_class(body, code, mimetype="text/html")


def unavailable(kept: KeptForm | None = None) -> Response:
    """The 503 page while the database cannot be reached, with *kept* text offered back."""
    forget_failed_work()
    response = standalone_page(
        503,
        _l("The site is briefly unavailable"),
        _l("It cannot reach its database at the moment. Please try again in a minute."),
        kept,
    )
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def _on_unreachable(error: Exception) -> Response:
    if not database_unreachable(error):
        raise error
    current_app.logger.error("database unreachable: %s", error)
    return unavailable()


def _page(code: int, title: Any, message: Any = None):  # noqa: ANN202
    """The error page in the site's layout, unless drawing it fails on the database too."""
    forget_failed_work()
    try:
        return render_template("errors/error.html", code=code, title=title, message=message), code
    except sa.SQLAlchemyError as failure:
        if not database_unreachable(failure):
            raise
        current_app.logger.error("database unreachable: %s", failure)
        return unavailable()


def _render_error(error: HTTPException):  # noqa: ANN202
    code = error.code or 500
    if isinstance(error, InternalServerError) and database_unreachable(error.original_exception):
        current_app.logger.error("database unreachable: %s", error.original_exception)
        return unavailable()
    titles = {
        400: _l("Bad request"),
        403: _l("Not allowed"),
        404: _l("Page not found"),
        405: _l("Method not allowed"),
        410: _l("This page has been removed"),
        413: _l("Too much data"),
        429: _l("Too many requests"),
        500: _l("Something went wrong"),
    }
    if code == 413:  # the form cannot be read, and the layout reads it (return links)
        forget_failed_work()
        message = _l("What was sent is larger than anything this site accepts.")
        return standalone_page(413, titles[413], message)
    response = current_app.make_response(_page(code, titles.get(code, error.name)))
    # A refusal for coming too often says when to try again (Retry-After).
    if code == 429 and response.status_code == 429:
        response.headers.extend(
            (name, value) for name, value in error.get_headers() if name != "Content-Type"
        )
    return response


def _render_csrf_error(error: CSRFError):  # noqa: ANN202
    message = _l("The form had expired or was not sent by this site. Please try again.")
    return _page(400, _l("Bad request"), message)


def _render_unknown_host(error: SecurityError):  # noqa: ANN202
    # Without a trusted host Flask builds no addresses, so the layout cannot be drawn.
    return current_app.response_class(
        "Unknown host.\n", 400, mimetype="text/plain", headers={"Cache-Control": "no-store"}
    )


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _render_csrf_error)
    app.register_error_handler(SecurityError, _render_unknown_host)
    for code in (400, 403, 404, 405, 410, 413, 429, 500):
        app.register_error_handler(code, _render_error)
    for error_class in UNREACHABLE:
        app.register_error_handler(error_class, _on_unreachable)
