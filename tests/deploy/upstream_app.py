"""A stand-in for the application behind nginx, answering with the headers a test asks for.

``?cc=public`` answers ``Cache-Control: public, max-age=10, stale-while-revalidate=60`` (as
the application marks readers' pages), ``?cc=max-age`` only ``max-age=10``, ``?cc=private``
``private, no-store``; ``&cookie=1`` adds a Set-Cookie. Every answer says which request of
this process it was and which language it was asked for, so a test can tell nginx's copy
from a fresh answer; ``?echo=1`` answers the forwarded headers it was sent instead. Run by
gunicorn in tests/deploy/test_cache_rules.py.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

_counter = itertools.count(1)
CONTROLS = {
    "public": "public, max-age=10, stale-while-revalidate=60",
    "max-age": "max-age=10",
    "private": "private, no-store",
}


def app(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
    query = parse_qs(environ.get("QUERY_STRING", ""))
    language = environ.get("HTTP_ACCEPT_LANGUAGE", "")
    body = f"answer {next(_counter)} for {language}\n".encode()
    if query.get("echo"):  # the forwarded headers as they arrived
        names = ("HOST", "X_FORWARDED_FOR", "X_FORWARDED_PROTO", "X_FORWARDED_HOST",
                 "X_FORWARDED_PORT", "X_FORWARDED_PREFIX")  # fmt: skip
        body = "".join(f"{n}={environ.get('HTTP_' + n, '')}\n" for n in names).encode()
    headers = [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))]
    headers.append(("Vary", "Cookie, Accept-Language"))
    control = CONTROLS.get(query.get("cc", [""])[0])
    if control:
        headers.append(("Cache-Control", control))
    if query.get("cookie"):
        headers.append(("Set-Cookie", "session=fresh; Path=/; HttpOnly"))
    start_response("200 OK", headers)
    return [body]
