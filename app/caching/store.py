"""Where rendered pages and pieces are kept: Flask-Caching, shared or per process.

With ``CACHE_REDIS_URL`` set, entries live in Redis, so every worker of every instance finds
what any of them rendered. Without it each worker keeps its own in memory (SimpleCache).
Every entry has a lifetime (``CACHE_TTL_SECONDS``): keys are built from versions and never
invalidated, so the lifetime is what finally removes entries nobody asks for any more.

Keys are prefixed with a fingerprint of the templates, the catalogues and this package's
code, so instances running another release of the site never hand each other pages rendered
by other templates, or kept objects of another shape.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from flask_caching import Cache

log = logging.getLogger(__name__)

# A worker's own store holds at most this many entries (pages, threads, comments).
LOCAL_ENTRIES = 20_000


def release_fingerprint(root: Path) -> str:
    """A short digest of what rendering depends on besides the database: the templates, the
    translations and the code that keeps things."""
    digest = hashlib.sha256()
    for folder in ("templates", "translations", "app/caching"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and path.suffix in {".html", ".xml", ".txt", ".json", ".po", ".py"}:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


class Store:
    """The app's store, with keys built from tuples of versions."""

    def __init__(self, app: Flask, root: Path) -> None:
        self.enabled = bool(app.config["PAGE_CACHE"])
        self.ttl = int(app.config["CACHE_TTL_SECONDS"])
        redis_url = app.config.get("CACHE_REDIS_URL") or ""
        settings: dict[str, Any] = {
            "CACHE_DEFAULT_TIMEOUT": self.ttl,
            "CACHE_KEY_PREFIX": f"diskurs:{release_fingerprint(root)}:",
        }
        if redis_url:
            settings.update(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=redis_url)
        else:
            settings.update(CACHE_TYPE="SimpleCache", CACHE_THRESHOLD=LOCAL_ENTRIES)
        self.shared = bool(redis_url)
        self.cache = Cache(config=settings)
        self.cache.init_app(app, config=settings)

    @staticmethod
    def key(parts: Hashable) -> str:
        return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()

    def get(self, parts: Hashable) -> Any | None:
        return self.get_by_key(self.key(parts))

    def get_by_key(self, key: str) -> Any | None:
        """What is kept under *key*, a key made by :meth:`key` (readers' pages use it as
        their ETag and so have it already)."""
        if not self.enabled:
            return None
        try:
            return self.cache.get(key)
        except Exception:  # an unreachable store costs speed, never the page
            log.warning("cache: reading failed", exc_info=True)
            return None

    def get_many(self, parts: Iterable[Hashable]) -> list[Any | None]:
        wanted = list(parts)
        if not self.enabled or not wanted:
            return [None] * len(wanted)
        try:
            return list(self.cache.get_many(*(self.key(item) for item in wanted)))
        except Exception:
            log.warning("cache: reading failed", exc_info=True)
            return [None] * len(wanted)

    def put(self, parts: Hashable, value: Any, size: int = 0) -> None:
        """Keep *value* under *parts*; *size* is accepted for callers that know it."""
        self.put_by_key(self.key(parts), value)

    def put_by_key(self, key: str, value: Any) -> None:
        if not self.enabled:
            return
        try:
            self.cache.set(key, value, timeout=self.ttl)
        except Exception:
            log.warning("cache: writing failed", exc_info=True)

    def kept(self, parts: Hashable, compute: Callable[[], Any], size: int = 0) -> Any:
        """What is kept under *parts*, or what *compute* gives, then kept."""
        value = self.get(parts)
        if value is None:
            value = compute()
            self.put(parts, value, size)
        return value

    def clear(self) -> None:
        self.cache.clear()


def store_of(app: Flask | None = None) -> Store:
    return (app or current_app).extensions["diskurs_store"]
