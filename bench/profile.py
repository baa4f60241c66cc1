"""Profile one page of the benchmark site with pyinstrument, in this process.

    python bench/profile.py /articles/bench-200 [--as bench-member] [--requests 200]

Uses the database the benchmark built (DISKURS_DATABASE_URL, default the SQLite file in
bench/results/); run ``python -m bench.prepare`` or ``make bench`` first. Writes an HTML
profile to bench/results/ and prints the text one, with the SQL statements of one request.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event

from bench import prepare
from bench.login import USER_AGENT, minted
from bench.paths import RESULTS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--as", dest="account", default=None, help="log in as this account")
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args(argv)

    from pyinstrument import Profiler

    from app import create_app
    from app.extensions import db

    database_url, secret = prepare.default_database_url(), "bench-profile"
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": secret})
    client = app.test_client()
    headers = {"User-Agent": USER_AGENT}
    if args.account:
        name, _, value = minted(database_url, secret, args.account).partition("=")
        client.set_cookie(name, value)
    environ = {"REMOTE_ADDR": "127.0.0.1"}
    first = client.get(args.path, headers=headers, environ_base=environ)
    print(f"{args.path}: {first.status_code}, {len(first.data):,} bytes")

    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        statements.append(" ".join(statement.split())[:160])

    event.listen(engine, "before_cursor_execute", record)
    client.get(args.path, headers=headers, environ_base=environ)
    event.remove(engine, "before_cursor_execute", record)
    print(f"{len(statements)} SQL statements in one request:")
    for statement in statements:
        print("  ", statement)

    profiler = Profiler(interval=0.0005)
    started = time.perf_counter()
    with profiler:
        for _ in range(args.requests):
            client.get(args.path, headers=headers, environ_base=environ)
    per_request = (time.perf_counter() - started) / args.requests * 1000
    print(f"{per_request:.2f} ms per request in process (profiler on)")
    name = args.path.strip("/").replace("/", "-") or "home"
    out = RESULTS / f"profile-{name}{'-' + args.account if args.account else ''}.html"
    out.write_text(profiler.output_html())
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    print(f"HTML profile: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
