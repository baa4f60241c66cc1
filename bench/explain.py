"""The PostgreSQL query plans of the pages and jobs that matter, for the README and for indexes.

    DISKURS_DATABASE_URL=postgresql+psycopg://... python bench/explain.py [--only NAME,...]

Requests each page once through the application (as a reader, a member, the writer with a
held reply, a moderator; the article page, the home page, the moderation queue and search),
records a member's reply to someone (the flood rules, the policy, the notices written) and
one pass of the notification worker after it, with a ``before_cursor_execute`` listener
recording every statement sent. Prints the plan of each
distinct statement with the parameters it was sent with: ``EXPLAIN ANALYZE`` for reading
statements, plain ``EXPLAIN`` for writing ones (whose effect must not happen twice).

The page cache is on, as in production, and emptied before each recorded request, so the
plans are those of a page that has to be built (a miss); a kept page sends fewer. Run it on
a database the benchmark built (``make bench`` or ``make bench-deploy``; ``make bench
SIZE=large`` adds the 5,000-comment thread): it adds one reply under bench-200 there.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import sys
from collections.abc import Callable, Iterator
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
    ("article-writer", "/articles/bench-200", "bench-writer"),
    ("article-page-2", "/articles/bench-2000?page=2", None),
    ("article-moderator", "/articles/bench-200", "bench-moderator"),
    # The large site only: the first page of a 5,000-comment thread.
    ("huge-reader", "/articles/bench-5000", None),
    ("queue", "/moderation/", "bench-moderator"),
    ("search", "/search?q=Zinsen+Banken", None),
    ("search-comments", "/search?q=Sparer", None),
)
READING = ("SELECT", "WITH")
_FIELD = r'name="{0}"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="{0}"'


@contextlib.contextmanager
def recorded() -> Iterator[list[tuple[str, Any]]]:
    seen: list[tuple[str, Any]] = []

    def remember(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        if not executemany:
            seen.append((statement, parameters))

    event.listen(Engine, "before_cursor_execute", remember)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", remember)


def page_statements(app: Any, path: str, account: str | None, url: str) -> list[tuple]:
    from app.caching.store import store_of

    client = app.test_client()
    if account:
        name, _, value = minted(url, app.config["SECRET_KEY"], account).partition("=")
        client.set_cookie(name, value)
    headers = {"User-Agent": USER_AGENT, "Accept-Language": "de"}
    environ = {"REMOTE_ADDR": "127.0.0.1"}
    client.get(path, headers=headers, environ_base=environ)  # the first request loads more
    store_of(app).clear()  # a miss: everything the page shows is built
    with recorded() as seen:
        answer = client.get(path, headers=headers, environ_base=environ)
    if answer.status_code != 200:
        print(f"    (answered {answer.status_code}: not on this site)")
    return seen


def worker_statements(app: Any, url: str) -> list[tuple]:
    """A reply by bench-member to a comment under bench-200 (its statements too: the flood
    rules, the policy, the notices), then one pass of the worker."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Article, Comment, CommentStatus
    from app.services.notifications import worker

    with app.app_context():
        article = db.session.scalar(select(Article).where(Article.slug == "bench-200"))
        parent = db.session.scalar(
            select(Comment.id)
            .where(Comment.article_id == article.id, Comment.status == CommentStatus.VISIBLE)
            .order_by(Comment.id)
            .limit(1)
        )
    client = app.test_client()
    name, _, value = minted(url, app.config["SECRET_KEY"], "bench-member").partition("=")
    client.set_cookie(name, value)
    headers = {"User-Agent": USER_AGENT}
    page = client.get("/articles/bench-200", headers=headers).get_data(as_text=True)
    fields = {"body": "Eine Antwort für den Plan des Boten.", "parent_id": str(parent)}
    for field in ("csrf_token", "submission"):
        found = re.search(_FIELD.format(field), page)
        fields[field] = (found.group(1) or found.group(2) or "") if found else ""
    with recorded() as posting:
        answer = client.post("/articles/bench-200/comments", data=fields, headers=headers)
    if answer.status_code != 302:
        print(f"    (the reply was not stored: {answer.status_code})")
    with recorded() as seen, contextlib.redirect_stdout(io.StringIO()):
        worker.work(app, once=True)
    return posting + seen


def explain(app: Any, statement: str, parameters: Any) -> list[str]:
    from app.extensions import db

    reading = statement.lstrip().upper().startswith(READING)
    prefix = "EXPLAIN (ANALYZE, COSTS OFF) " if reading else "EXPLAIN (COSTS OFF) "
    with app.app_context():
        cursor = db.session.connection().connection.dbapi_connection.cursor()
        try:
            cursor.execute(prefix + statement, parameters)
            return [row[0] for row in cursor.fetchall()]
        except Exception as error:  # noqa: BLE001 - a plan that cannot be shown is said so
            return [f"(no plan: {type(error).__name__}: {str(error).splitlines()[0]})"]
        finally:
            db.session.rollback()


def show(app: Any, title: str, statements: list[tuple], done: set[str]) -> None:
    print(f"\n## {title}")
    for statement, parameters in statements:
        if statement in done or statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE")):
            continue
        done.add(statement)
        print("\n    " + " ".join(statement.split())[:300])
        for line in explain(app, statement, parameters):
            print("      " + line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", type=lambda s: set(s.split(",")), default=None)
    options = parser.parse_args(argv)
    from app import create_app

    url = prepare.default_database_url()
    if not url.startswith("postgresql"):
        print("the plans are PostgreSQL's: set DISKURS_DATABASE_URL to a PostgreSQL database")
        return 2
    app = create_app(
        {"DATABASE_URL": url, "SECRET_KEY": "bench-explain", "RATELIMIT_ENABLED": False,
         "COMMENT_MIN_INTERVAL_SECONDS": 0, "COMMENTS_PER_HOUR": 100_000,
         "COMMENT_MODERATION": "none"}
    )  # fmt: skip
    done: set[str] = set()
    jobs: list[tuple[str, Callable[[], list[tuple]]]] = [
        (
            f"{name}: GET {path}" + (f" as {account}" if account else ""),
            lambda path=path, account=account: page_statements(app, path, account, url),
        )
        for name, path, account in PAGES
        if not options.only or name in options.only
    ]
    if not options.only or "worker" in options.only:
        jobs.append(
            ("a reply sent, then one pass of the notification worker",
             lambda: worker_statements(app, url))
        )  # fmt: skip
    for title, job in jobs:
        show(app, title, job(), done)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
