"""Where to go after logging in: ``?next=`` is followed only to a path of this site."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import request

MAX_LENGTH = 2000
# Browsers drop tabs and newlines and read "\" as "/", so "/\t/evil" and "/\evil" would
# leave the site; anything of the kind is refused rather than cleaned.
_UNSAFE = re.compile(r"[\x00-\x20\x7f\\]")


def safe_next(target: str | None) -> str | None:
    """*target* when it is a path on this site (with query and fragment), else None."""
    if not target or len(target) > MAX_LENGTH or _UNSAFE.search(target):
        return None
    if "#" not in target and "%23" in target.lower():
        # The fragment arrived encoded once more than needed: "/articles/x%23comment-form".
        index = target.lower().index("%23")
        target = f"{target[:index]}#{target[index + 3 :]}"
    if not target.startswith("/") or target.startswith("//"):
        return None
    try:
        parts = urlsplit(target)
    except ValueError:
        return None
    if parts.scheme or parts.netloc:
        return None
    return target


def requested_next() -> str | None:
    """The safe ``next`` of this request, from the query string or the posted form."""
    return safe_next(request.args.get("next")) or safe_next(request.form.get("next"))


def return_path() -> str | None:
    """For login and register links: come back to this page afterwards."""
    if request.blueprint == "auth":
        return requested_next()
    if request.method != "GET":
        return None
    path = request.full_path.rstrip("?")
    return safe_next(path) if path != "/" else None
