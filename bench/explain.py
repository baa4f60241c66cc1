"""The PostgreSQL query plans of the benchmark's pages, for the README and for checking indexes.

    DISKURS_DATABASE_URL=postgresql+psycopg://... python bench/explain.py

Requests each page of the benchmark once through the application (as a reader, a member,
a moderator), records every statement it sends, and prints EXPLAIN ANALYZE of each distinct
one with the parameters it was sent with. Run it on a database the benchmark built.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, event

from bench import prepare
from bench.login import USER_AGENT, minted

PAGES = (
    ("home", "/", None),
    ("article-reader", "/articles/bench-200", None),
    ("article-member", "/articles/bench-200", "bench-member"),
    ("queue", "/moderation/", "bench-moderator"),
)


def record_statements(app: Any, path: str, account: str | None, url: str) -> list[tuple]:
    client = app.test_client()
    if account:
        name, _, value = minted(url, app.config["SECRET_KEY"], account).partition("=")
        client.set_cookie(name, value)
    seen: list[tuple] = []

    def remember(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        if not executemany and statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    headers = {"User-Agent": USER_AGENT}
    environ = {"REMOTE_ADDR": "127.0.0.1"}
    client.get(path, headers=headers, environ_base=environ)  # fill the caches
    client.get(path, headers=headers, environ_base=environ)  # fill the caches
    from app.caching.store import store_of

    store_of(app).clear()  # and then measure what a miss costs
    event.listen(Engine, "before_cursor_execute", remember)
    try:
        client.get(path, headers=headers, environ_base=environ)
    finally:
        event.remove(Engine, "before_cursor_execute", remember)
    return seen


def main() -> int:
    from app import create_app
    from app.extensions import db

    url = prepare.default_database_url()
    if not url.startswith("postgresql"):
        print("the plans are PostgreSQL's: set DISKURS_DATABASE_URL to a PostgreSQL database")
        return 2
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-explain"})
    done: set[str] = set()
    for name, path, account in PAGES:
        print(f"\n## {name}: GET {path}" + (f" as {account}" if account else ""))
        for statement, parameters in record_statements(app, path, account, url):
            if statement in done:
                continue
            done.add(statement)
            with app.app_context():
                cursor = db.session.connection().connection.dbapi_connection.cursor()
                cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + statement, parameters)
                plan = [row[0] for row in cursor.fetchall()]
                db.session.rollback()
            print("\n    " + " ".join(statement.split())[:300])
            for line in plan:
                print("      " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
