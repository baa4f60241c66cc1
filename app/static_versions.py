"""Addresses of stylesheets and scripts carry a digest of their content (``?v=...``).

nginx serves ``/static/`` itself and lets browsers keep a versioned file for a year
(deploy/nginx/diskurs.conf); a changed file gets a new address, so a deploy is seen at once.
Only CSS and JavaScript are versioned: icons and images keep plain addresses, which other
sites and link previews copy.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Flask

VERSIONED = (".css", ".js")


@lru_cache(maxsize=256)
def _digest(path: str, mtime_ns: int, size: int) -> str:  # a changed file is read again
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def content_version(folder: str, filename: str) -> str | None:
    """The digest of a static file's content, or None for a missing file."""
    path = Path(folder) / filename
    try:
        found = path.stat()
    except OSError:
        return None
    return _digest(str(path), found.st_mtime_ns, found.st_size)


def init_app(app: Flask) -> None:
    @app.url_defaults
    def version_static(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint != "static" or "v" in values:
            return
        filename = str(values.get("filename", ""))
        if filename.endswith(VERSIONED) and app.static_folder:
            version = content_version(app.static_folder, filename)
            if version:
                values["v"] = version
