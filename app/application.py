"""The Flask class of the site: Flask's own, with two of its per-request costs paid once.

Answering a kept page takes about a third of a millisecond; two things Flask does on every
request were a good part of that, although their result never changes while the app runs:

- the session interface builds a new signing serializer for every request (and itsdangerous
  serialises an empty dict while building it, to learn the serializer's kind). The one kept
  here is built by Flask's own ``get_signing_serializer`` and used again only while the
  secret key and its fallbacks are the ones it was built with; what a session cookie is and
  whether it is valid stays Flask's and itsdangerous' decision.
- ``ensure_sync`` asks ``inspect`` whether each hook and view is a coroutine function, about
  a dozen times per request. Flask documents the method as the one to override; the answer
  is kept for a bounded number of functions (hooks registered for one request come and go).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

# More than the hooks and views of the site, so that they stay while passing ones churn.
SYNC_FUNCTIONS_KEPT = 1024


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed cookie sessions, with the serializer built once per secret."""

    def __init__(self) -> None:
        super().__init__()
        self._serializer: tuple[tuple[Any, ...], URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        secrets = (app.secret_key, *(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        kept = self._serializer
        if kept is not None and kept[0] == secrets:
            return kept[1]
        serializer = super().get_signing_serializer(app)
        self._serializer = (secrets, serializer)
        return serializer


class Diskurs(Flask):
    """The application class; see the module's docstring for what differs from Flask."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session_interface = SessionCookies()
        self._ensure_sync = lru_cache(maxsize=SYNC_FUNCTIONS_KEPT)(super().ensure_sync)

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        try:
            return self._ensure_sync(func)
        except TypeError:  # an unhashable callable: asked anew, as Flask would
            return super().ensure_sync(func)
