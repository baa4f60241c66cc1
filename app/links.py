"""Absolute addresses of the site's pages, built from ``BASE_URL`` and never from a request.

Mails, feeds and anything a proxy may keep carry absolute links. Building them from the
request's ``Host`` (or ``X-Forwarded-Host``) would let whoever sends the request choose
where a password-reset link points; so they always come from the configured address,
inside a request as in a worker that has none.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, request


def base_url(app: Flask | None = None) -> str:
    """The site's public address without a trailing slash, e.g. ``https://example.org``."""
    return str((app or current_app).config["BASE_URL"]).rstrip("/")


def absolute_url(endpoint: str, *, app: Flask | None = None, **values: Any) -> str:
    """The absolute address of *endpoint* with *values*, as ``url_for`` would build it."""
    app = app or current_app
    parts = urlsplit(base_url(app))
    adapter = app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "https"
    )
    anchor = values.pop("_anchor", None)
    url = adapter.build(endpoint, values, force_external=True)
    return f"{url}#{anchor}" if anchor else url


def canonical_url(**query: Any) -> str | None:
    """The one address of this page for search engines: the route without its query
    (``?page=``, ``?reply_to=`` and the like are the same page), plus *query* when the
    page is defined by it (a search). None when the request matched no route."""
    if request.url_rule is None or request.endpoint is None:
        return None
    values = dict(request.view_args or {})
    values.update({key: value for key, value in query.items() if value})
    return absolute_url(request.endpoint, **values)


def init_app(app: Flask) -> None:
    app.jinja_env.globals["absolute_url"] = absolute_url
    app.jinja_env.globals["canonical_url"] = canonical_url
