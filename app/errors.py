"""Error pages in the site's layout."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


def _render_error(error: HTTPException):  # noqa: ANN202
    code = error.code or 500
    titles = {
        400: _("Bad request"),
        403: _("Not allowed"),
        404: _("Page not found"),
        405: _("Method not allowed"),
        410: _("This page has been removed"),
        429: _("Too many requests"),
        500: _("Something went wrong"),
    }
    return render_template("errors/error.html", code=code, title=titles.get(code, error.name)), code


def _render_csrf_error(error: CSRFError):  # noqa: ANN202
    message = _("The form had expired or was not sent by this site. Please try again.")
    return render_template(
        "errors/error.html", code=400, title=_("Bad request"), message=message
    ), 400


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _render_csrf_error)
    for code in (400, 403, 404, 405, 410, 429, 500):
        app.register_error_handler(code, _render_error)
