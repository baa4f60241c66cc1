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
  pieces that are the same for every viewer; own_threads.py: the threads holding a member's
  own comments, put together and kept for them alone;
- standing.py: a member's standing on an article (do they own anything in its thread,
  follow it, have unread notices), read with the article's versions;
- holes.py and shell.py: a member's article page from kept parts, their name, token and
  submission key filled into holes.

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
