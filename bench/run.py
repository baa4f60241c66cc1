"""The benchmark behind ``make bench``; the README's "Speed" section explains the figures.

    python bench/run.py [--size small|large] [--rounds N] [--duration S] [--pages a,b]

Builds the benchmark site (bench/prepare.py) in DISKURS_DATABASE_URL (default: a fresh
SQLite file in bench/results/), serves it with gunicorn on 127.0.0.1:5077 and the ceiling
app (bench/ceiling.py) with the same settings on 127.0.0.1:5078, and measures every page
with wrk, each followed by the ceiling for a body of that page's size. Prints the figures
as ratios to their ceilings and writes everything to a JSON file in bench/results/.

``--size large`` measures the small site and then the large one (100,000 comments on 5,000
articles) in the same database, and compares their times per request.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import secrets
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import figures, prepare
from bench.login import USER_AGENT, session_cookie
from bench.paths import BENCH, RESULTS
from bench.servers import HOST, WORKERS, Server

SITE_PORT, CEILING_PORT = 5077, 5078


@dataclass(frozen=True)
class PageSpec:
    name: str
    path: str  # {small} and {big} are the bench articles' slugs
    who: str | None  # None: a reader; else the account it is requested as
    target: float | None  # least share of the ceiling's requests per second; None: for reference
    cached: bool = True  # False: measured on a second server with the page cache switched off


PAGES = (
    PageSpec("home", "/", None, 0.5),
    PageSpec("article-reader", "/articles/{small}", None, 0.5),
    PageSpec("article-member", "/articles/{small}", "member", 0.3),
    # A member with a reply of their own waiting there: only that thread is rendered for them.
    PageSpec("article-writer", "/articles/{small}", "writer", 0.3),
    PageSpec("big-reader", "/articles/{big}", None, 0.2),
    # Large site only: the first page of a 5,000-comment thread (growth: against bench-200).
    PageSpec("huge-reader", "/articles/{huge}", None, None),
    PageSpec("queue", "/moderation/", "moderator", 0.2),
    # What the same pages cost without the page cache, for reference (no target).
    PageSpec("home-uncached", "/", None, None, cached=False),
    PageSpec("article-reader-uncached", "/articles/{small}", None, None, cached=False),
)


def wrk(url: str, cookie: str | None, seconds: int, connections: int) -> dict[str, Any]:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    command += ["-s", str(BENCH / "report.lua"), "-H", f"User-Agent: {USER_AGENT}"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    line = next(row for row in output.splitlines() if row.startswith("BENCH_JSON "))
    data = json.loads(line.removeprefix("BENCH_JSON "))
    data["rps"] = round(data["requests"] / (data["duration_us"] / 1e6), 1)
    data["errors"] = sum(data[k] for k in data if k.endswith("errors") or k == "timeouts")
    return data


def fetch(port: int, path: str, cookie: str | None) -> tuple[int, bytes, bool]:
    """(status, body, whether the answer sets a cookie), without following redirects."""
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    headers = {"User-Agent": USER_AGENT, **({"Cookie": cookie} if cookie else {})}
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body, sets_cookie = response.read(), response.getheader("Set-Cookie") is not None
    connection.close()
    return response.status, body, sets_cookie


def summarise(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """The median of each figure over the rounds (robust against one disturbed round)."""
    keys = ("rps", "p50_us", "p90_us", "p99_us", "mean_us")
    summary: dict[str, Any] = {key: statistics.median(r[key] for r in rounds) for key in keys}
    summary["requests"] = sum(r["requests"] for r in rounds)
    summary["errors"] = sum(r["errors"] for r in rounds)
    summary["rounds"] = rounds
    return summary


def measure_pair(
    site_url: str, cookie: str | None, ceiling_url: str, options: argparse.Namespace
) -> tuple[dict, dict]:
    """Site and ceiling measured in alternating rounds, so both meet the same disturbances."""
    wrk(site_url, cookie, options.warmup, options.connections)  # both workers warm
    wrk(ceiling_url, None, options.warmup, options.connections)
    site, ceiling = [], []
    for _ in range(options.rounds):
        site.append(wrk(site_url, cookie, options.duration, options.connections))
        ceiling.append(wrk(ceiling_url, None, options.duration, options.connections))
    return summarise(site), summarise(ceiling)


def run_page(spec: PageSpec, manifest: prepare.Manifest, cookies: dict, options) -> dict:  # noqa: ANN001
    path = spec.path.format(
        small=manifest.small_slug, big=manifest.big_slug, huge=manifest.huge_slug
    )
    cookie, how = cookies.get(spec.who, (None, None))
    result: dict[str, Any] = {**asdict(spec), "path": path, "login": how}
    status, body, sets_cookie = fetch(SITE_PORT, path, cookie)
    account = getattr(manifest, spec.who) if spec.who else None
    if status != 200 or (account and account.encode() not in body):
        why = f"status {status}" if status != 200 else f"not logged in as {account}"
        return {**result, "why": why, "ratio": None, "ok": False}
    result.update(bytes=len(body), sets_cookie=sets_cookie)
    print(f"  {spec.name}: {len(body):,} bytes …", flush=True)
    result["app"], result["ceiling"] = measure_pair(
        f"http://{HOST}:{SITE_PORT}{path}",
        cookie,
        f"http://{HOST}:{CEILING_PORT}/{len(body)}",
        options,
    )
    figures.judge_page(result)
    return result


def log_in(site: Server, pages: list, manifest, database_url: str, secret: str) -> dict:  # noqa: ANN001
    """A session cookie for each account the pages are requested as."""
    cookies: dict[str | None, tuple[str, str]] = {}
    check_path = f"/articles/{manifest.small_slug}"
    for who in sorted({p.who for p in pages if p.who}):
        account = getattr(manifest, who)
        cookies[who] = session_cookie(
            site.base_url, account, manifest.password, check_path, database_url, secret
        )
        print(f"  logged in as {account} ({cookies[who][1]})", flush=True)
    return cookies


def run_suite(size: str, database_url: str, options: argparse.Namespace) -> dict[str, Any]:
    secret = secrets.token_hex(16)
    print(f"building the {size} site …", flush=True)
    started = time.monotonic()
    manifest = prepare.build(database_url, prepare.SIZES[size], secret)
    built_in = time.monotonic() - started
    env = dict(os.environ, DISKURS_DATABASE_URL=database_url, DISKURS_SECRET_KEY=secret)
    pages = [p for p in PAGES if not options.pages or p.name in options.pages]
    if not manifest.huge_slug:
        pages = [p for p in pages if "{huge}" not in p.path]
    results: list[dict[str, Any]] = []
    memory: dict[str, Any] = {}
    for cached in (True, False):
        chosen = [p for p in pages if p.cached is cached]
        if not chosen:
            continue
        site_env = env if cached else dict(env, DISKURS_PAGE_CACHE="0")
        with Server("site", "wsgi:app", SITE_PORT, site_env, "/healthz") as site:
            cookies = log_in(site, chosen, manifest, database_url, secret)
            for spec in chosen:
                results.append(run_page(spec, manifest, cookies, options))
                if spec.name == "big-reader":
                    results[-1]["workers_after"] = site.worker_memory()
            if cached:
                memory = figures.judge_memory(site.worker_memory())
    return {
        "size": size,
        "database": database_url.split(":", 1)[0].split("+")[0],
        "spec": asdict(prepare.SIZES[size]),
        "counts": manifest.counts,
        "built_in_s": round(built_in, 1),
        "pages": results,
        "memory": memory,
    }


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=("small", "large"), default="small")
    parser.add_argument("--rounds", type=int, default=3, help="measurements of each page")
    parser.add_argument("--duration", type=int, default=2, help="seconds per measurement")
    parser.add_argument("--warmup", type=int, default=1, help="seconds before the first")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--pages", type=lambda s: set(s.split(",")), default=None)
    parser.add_argument("--out", type=Path, default=None, help="the JSON file to write")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    options = parse(argv)
    database_url = prepare.default_database_url()
    run: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "settings": {
            "gunicorn_workers": WORKERS,
            "wrk": {
                k: getattr(options, k) for k in ("rounds", "duration", "warmup", "connections")
            },
        },
        "suites": [],
    }
    env = dict(os.environ)
    with Server("ceiling", "bench.ceiling:app", CEILING_PORT, env, "/0"):
        sizes = ["small", "large"] if options.size == "large" else ["small"]
        for size in sizes:
            run["suites"].append(run_suite(size, database_url, options))
            figures.print_suite(run["suites"][-1])
    verdicts = [p["ok"] for s in run["suites"] for p in s["pages"]]
    verdicts += [s["memory"]["ok"] for s in run["suites"]]
    if options.size == "large":
        run["growth"] = figures.judge_growth(*run["suites"])
        figures.print_growth(run["growth"])
        verdicts.append(run["growth"]["ok"])
    run["ok"] = all(verdicts)
    kind = run["suites"][0]["database"]
    out = (
        options.out
        or RESULTS / f"bench-{options.size}-{kind}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(run, indent=2) + "\n")
    print(f"\nresults: {out}\n{'all targets met' if run['ok'] else 'some targets missed'}")
    return 0 if run["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
