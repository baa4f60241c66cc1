"""How fast the search answers on the benchmark site, in this process.

    python bench/search.py [--size small|large] [--reuse] [--requests 30] [--explain]

Builds the benchmark site (bench/prepare.py) in DISKURS_DATABASE_URL (default: the SQLite
file in bench/results/), or with ``--reuse`` searches the one built before. Each query is
asked through the whole application (routing, the search statements, snippets, the page)
with Flask's test client: a few times to warm up, then ``--requests`` times, timed one by
one. In the same run the fixed page /pages/impressum is timed the same way, as the
baseline of what any page costs here; each query is reported in milliseconds and as a
multiple of that baseline. ``--explain`` prints the PostgreSQL plans of the statements.
Results go to bench/results/search-*.json.

The queries: a word in most comments (counted up to the cap), two and three common words,
a word with an umlaut and its transliteration, a word found nowhere, and a comments list.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import prepare
from bench.paths import RESULTS

QUERIES = (
    ("common word", {"q": "Zinsen"}),
    ("common word, comments", {"q": "Zinsen", "kind": "comments"}),
    ("two words", {"q": "Stresstest Bilanz"}),
    ("three words, comments", {"q": "Liquidität Kapital Rendite", "kind": "comments"}),
    ("umlaut", {"q": "Währung"}),
    ("transliterated", {"q": "Waehrung", "kind": "comments"}),
    ("nowhere", {"q": "Einlagensicherungsfonds"}),
    ("page 5", {"q": "Risiko", "kind": "comments", "page": 5}),
)
BASELINE = "/pages/impressum"
TARGET_MS = 50.0  # median, PostgreSQL, large site


def timed(client: Any, path: str, warmup: int, requests: int) -> dict[str, Any]:
    """Median and 90th percentile of *requests* timed requests for *path*, in ms."""
    for _ in range(warmup):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    times.sort()
    return {
        "path": path,
        "median_ms": round(statistics.median(times), 2),
        "p90_ms": round(times[int(len(times) * 0.9) - 1], 2),
        "bytes": len(response.data),
    }


def explain(app: Any, paths: list[str]) -> None:
    """EXPLAIN ANALYZE of every statement the search pages send (PostgreSQL)."""
    from sqlalchemy import event, text

    from app.extensions import db

    with app.app_context():
        engine = db.engine
    for path in paths:
        seen: list[tuple[str, Any]] = []

        def remember(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
            if "search_vector" in statement or "search_" in statement:
                seen.append((statement, parameters))  # noqa: B023

        event.listen(engine, "before_cursor_execute", remember)
        app.test_client().get(path)
        event.remove(engine, "before_cursor_execute", remember)
        print(f"\n== {path}")
        with engine.connect() as connection:
            raw = connection.connection.driver_connection
            for statement, parameters in seen:
                with raw.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + statement, parameters)
                    print("\n".join(row[0] for row in cursor.fetchall()), "\n")
            connection.execute(text("SELECT 1"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(prepare.SIZES), default="small")
    parser.add_argument("--reuse", action="store_true", help="search the site built before")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--explain", action="store_true", help="print the PostgreSQL plans")
    args = parser.parse_args(argv)

    from app import create_app

    database_url = prepare.default_database_url()
    if not args.reuse:
        print(f"building the {args.size} site …", flush=True)
        prepare.build(database_url, prepare.SIZES[args.size])
    # Searches are not kept in the page cache; the limit would stop a benchmark.
    app = create_app(
        {"DATABASE_URL": database_url, "SECRET_KEY": "bench-search", "RATELIMIT_ENABLED": False}
    )
    client = app.test_client()
    database = database_url.split(":", 1)[0].split("+")[0]
    baseline = timed(client, BASELINE, args.warmup, args.requests)
    print(f"{database}, {args.size} site; baseline {BASELINE}: {baseline['median_ms']} ms")
    results = []
    for name, params in QUERIES:
        measured = timed(client, "/search?" + urlencode(params), args.warmup, args.requests)
        measured.update(name=name, ratio=round(measured["median_ms"] / baseline["median_ms"], 1))
        results.append(measured)
        print(
            f"  {name:<24} median {measured['median_ms']:>7.2f} ms  p90 {measured['p90_ms']:>7.2f}"
            f" ms  ({measured['ratio']}× the baseline)",
            flush=True,
        )
    medians = [r["median_ms"] for r in results]
    overall = statistics.median(medians)
    print(f"median of the queries: {overall:.2f} ms; slowest median {max(medians):.2f} ms")
    if database == "postgresql" and args.size == "large":
        verdict = "within" if max(medians) < TARGET_MS else "OVER"
        print(f"target: every query's median under {TARGET_MS:.0f} ms on PostgreSQL: {verdict}")
    if args.explain and database == "postgresql":
        explain(app, [r["path"] for r in results])
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"search-{database}-{args.size}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(
        json.dumps(
            {"database": database, "size": args.size, "baseline": baseline, "queries": results},
            indent=2,
        )
    )
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
