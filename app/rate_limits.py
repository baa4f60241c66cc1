"""Requests per address to the views that write or search, refused beyond their rule.

The counts are the throttle's (app/services/throttle.py: the ``limits`` library's moving
window, in Redis when several workers run), per app. Only the views that name a rule pay for
counting; every other request, readers' pages above all, meets no rate-limit code at all.
A refusal is ``429 Too Many Requests`` with ``Retry-After``; a view that holds something the
person typed (a comment) asks :func:`wait_for` itself and shows the form again instead.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app
from werkzeug.exceptions import TooManyRequests

from app.network import client_address
from app.services import throttle
from app.services.throttle import Rule


def wait_for(rule: Rule) -> int | None:
    """Count this request under *rule* for its address: None if allowed, else the seconds
    until the address may send again (a refused request is not counted)."""
    return throttle.for_app(current_app).take(rule, client_address())


def per_address(rule: Rule) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A view decorator: the view answers only requests its address may still send; the
    others get ``429`` with ``Retry-After``."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def limited(*args: Any, **kwargs: Any) -> Any:
            wait = wait_for(rule)
            if wait is not None:
                raise TooManyRequests(retry_after=wait)
            return view(*args, **kwargs)

        return limited

    return decorate
