"""Requests for a host the site does not serve are refused before anything answers them.

Flask checks ``TRUSTED_HOSTS`` itself, but only once a request has reached the application.
This applies werkzeug's own check (the one Flask calls) to the same list, in front of
everything but the proxy fix, which must first have put the host the client asked for in
place, so that not even a request hook runs for an unknown host.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.exceptions import SecurityError
from werkzeug.wrappers import Response
from werkzeug.wsgi import get_host


class TrustedHosts:
    def __init__(self, wsgi_app: Callable, hosts: list[str]) -> None:
        self.wsgi_app = wsgi_app
        self.hosts = hosts

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        try:
            get_host(environ, self.hosts)
        except SecurityError:
            refused = Response("Unknown host.\n", 400, mimetype="text/plain")
            refused.headers["Cache-Control"] = "no-store"
            return refused(environ, start_response)
        return self.wsgi_app(environ, start_response)
