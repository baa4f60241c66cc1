"""Readers' pages as HTTP answers: who gets a shared page, validators, Cache-Control.

A page is *shared* only when Flask-Login, after its own loading (remember cookie included),
finds nobody logged in and the session holds nothing (no flashed message, no token). Such a
page is the same for every reader in the same language, so:

- the view reads its versions (app/caching/versions.py, one statement; for readers at
  most once a second per worker, app/caching/recent.py) and answers
  ``304 Not Modified`` through ``make_conditional`` when the browser's or proxy's
  ``If-None-Match`` names them, without rendering anything;
- otherwise it answers the page kept under those versions, or renders and keeps it (only
  under the address as the site writes it: :func:`canonical_address`);
- the answer says ``Cache-Control: public, max-age=READER_MAX_AGE,
  stale-while-revalidate=READER_STALE_SECONDS``, ``ETag``, ``Last-Modified`` and
  ``Vary: Cookie, Accept-Language``, and never sets a cookie (a page that touched the
  session while rendering is neither kept nor shared).

Every other answer of the application (members, staff, flashed messages, POSTs) that says
nothing itself says ``Cache-Control: private, no-store``.

No rate limit is looked for on the way: only the views that write or search count their
requests (app/rate_limits.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from datetime import datetime
from functools import lru_cache
from typing import Any

from flask import Flask, Response, current_app, g, make_response, request, session
from flask_babel import get_locale
from flask_login import current_user
from werkzeug.http import http_date, quote_etag

from app.caching.store import store_of

PRIVATE = "private, no-store"
SHARED_VARY = ("Cookie", "Accept-Language")
# The request headers make_conditional answers (If-Range only with a range, never offered),
# as WSGI names them: looking up a missing header in request.headers raises and catches an
# exception inside Werkzeug, which costs more than the rest of answering a kept page.
VALIDATORS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")
# A page's last change is the same moment for many requests in a row.
_http_date = lru_cache(maxsize=256)(http_date)


# The query strings pages are kept under: none, or a page number as the site writes it.
_KEPT_QUERY = re.compile(rb"(?:page=[1-9][0-9]{0,5})?")


def canonical_address() -> bool:
    """Whether this address is one a page (or a member's part of one) is kept under.

    Every other spelling of the same page (another parameter, a page number with leading
    zeros, an encoded letter) is answered but not kept: otherwise anybody could fill the
    store with copies of a page under addresses of their own making.
    """
    return _KEPT_QUERY.fullmatch(request.query_string) is not None


def shared_request() -> bool:
    """Whether this request may get the page every reader gets."""
    if request.method not in ("GET", "HEAD"):
        return False
    if current_user.is_authenticated:  # Flask-Login's own decision, remember cookie included
        return False
    return not session


def _shared_headers(response: Response, etag: str, last_modified: datetime) -> None:
    # Written as plain header values: the parsed header objects cost more than the page
    # lookup on a kept page.
    config = current_app.config
    headers = response.headers
    headers["ETag"] = quote_etag(etag)
    headers["Last-Modified"] = _http_date(last_modified)
    headers["Cache-Control"] = (
        f"public, max-age={int(config['READER_MAX_AGE'])}, "
        f"stale-while-revalidate={int(config['READER_STALE_SECONDS'])}"
    )
    if any(name.lower() == "vary" for name in headers.keys()):  # noqa: SIM118 - as above
        response.vary.update(SHARED_VARY)
    else:
        headers["Vary"] = ", ".join(SHARED_VARY)
    g.shared_page = True


def reader_page(
    read_versions: Callable[[bool], tuple[Hashable, datetime] | None],
    render: Callable[[], Any],
) -> Response:
    """The page for this request: shared (conditional, kept) for a reader, else rendered.

    *read_versions* gives the versions the page depends on (besides its address and
    language) and when it last changed, or None when the page is not one readers share; it
    is told whether the page is the shared one (which may use versions read a moment ago);
    *render* makes the page as the view would without a cache.
    """
    if request.method not in ("GET", "HEAD"):
        return make_response(render())
    shared = shared_request()
    found = read_versions(shared)  # for members too: what the page shows is kept by them
    if found is None or not shared or not canonical_address():
        return make_response(render())
    parts, last_modified = found
    store = store_of()
    key = ("page", request.full_path, str(get_locale()), parts)
    etag = store.key(key)
    answer = current_app.response_class()
    _shared_headers(answer, etag, last_modified)
    # Without a validator in the request there is nothing to decide (and no range is offered).
    if any(name in request.environ for name in VALIDATORS):
        answer.make_conditional(request)
        if answer.status_code == 304:
            return answer
    kept = store.get_by_key(etag)
    if kept is not None:
        body, mimetype = kept
        answer.set_data(body)
        answer.mimetype = mimetype
        return answer
    response = make_response(render())
    personal = session.modified or bool(session) or "Set-Cookie" in response.headers
    if response.status_code != 200 or personal:
        g.shared_page = False  # something personal happened while rendering: not shared
        return response
    store.put_by_key(etag, (response.get_data(), response.mimetype))
    _shared_headers(response, etag, last_modified)
    return response


def _private_unless_said(response: Response) -> Response:
    """Anything not shared says it must not be kept, unless the view said otherwise."""
    if request.endpoint == "static":
        return response
    shared = g.get("shared_page", False)
    if shared and (session.modified or "Set-Cookie" in response.headers):
        shared = False  # a hook touched the session after the view: never share that
        response.headers.pop("ETag", None)
        response.headers["Cache-Control"] = PRIVATE
    if not shared and "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = PRIVATE
    return response


def init_app(app: Flask) -> None:
    app.after_request(_private_unless_said)
