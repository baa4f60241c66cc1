"""Caching, all in one place.

- versions.py: the one statement that reads the versions a reader's page depends on;
- recent.py: those versions reused for readers' pages for up to a second in each worker;
- bumps.py: the one place versions rise (a listener on every flush and commit);
- http.py: shared readers' pages with ETag/Last-Modified, 304s and Cache-Control;
- store.py: where pages and pieces are kept (Redis when configured, else in each worker),
  every entry with a lifetime;
- pages.py: which versions each reader's page depends on, and parts of pages kept under
  the site's versions;
- fragments.py and nesting.py: the thread of an article page put together from kept
  pieces that are the same for every viewer, with the viewer's own threads rendered live;
- shell.py: a member's article page from a kept shell, only their personal parts rendered.

There is no middleware: every page is answered by its Flask view, with the real
``current_user``, the real session and every request hook.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from app.caching import bumps, http, recent
from app.caching.store import Store


def init_app(app: Flask, root: Path) -> None:
    app.extensions["diskurs_store"] = Store(app, root)
    recent.init_app(app)
    bumps.install()
    http.init_app(app)
