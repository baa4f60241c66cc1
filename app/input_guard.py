"""Requests refused before any view reads them: bodies over the limit, NUL characters.

PostgreSQL refuses a NUL (0x00) in any text it is sent, while SQLite stores it; no address,
search or form field of this site ever means one. Refusing it here, once for every route and
every field, keeps the two databases alike and no view has to think of it.
"""

from __future__ import annotations

from flask import Flask, abort, current_app, request
from werkzeug.datastructures import MultiDict

NUL = "\x00"


def _holds_nul(values: MultiDict) -> bool:
    return any(NUL in key or NUL in value for key, value in values.items(multi=True))


def refuse_bad_input() -> None:
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    # Werkzeug refuses an oversized form only when a view reads it; this refuses any body.
    if limit is not None and (request.content_length or 0) > limit:
        abort(413)
    if NUL in request.path or _holds_nul(request.args):
        abort(400)
    # Only a request that says it sends a form has one (Werkzeug's own test): most requests
    # are reads without a body, and parsing nothing costs time on every one of them.
    if request.want_form_data_parsed and _holds_nul(request.form):
        abort(400)


def init_app(app: Flask) -> None:
    """Register first, so that no other hook (CSRF, rate limits, login) sees such a request."""
    app.before_request(refuse_bad_input)
