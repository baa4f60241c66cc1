"""The grown-up deployment measured: PostgreSQL, nginx in front, a stream of new comments.

    DISKURS_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/diskurs_bench \\
        python bench/deploy.py [--rounds N] [--duration S] [--posts 100]

Builds the small benchmark site on PostgreSQL, serves it with gunicorn as bench/run.py does
(2 workers, 127.0.0.1:5077) beside the ceiling app (5078), and puts nginx from
deploy/nginx/diskurs.conf in front of each (5079 for the site with its cache, 5080 for the
ceiling). Every figure is a ratio to the Flask ceiling for a body of the same size, measured
in the same run in alternating rounds:

(a) the ceiling through nginx (as it is, and marked public as readers' pages are, so kept by
    nginx), and bench-200 for a reader through nginx with its cache;
(b) the home page and bench-200 for a reader on PostgreSQL without nginx;
(d) the popular article: readers at full load on bench-200 while a member posts one comment
    a second; the ratio, and the readers' p99 against the quiet p99 of (b);
(e) posting a comment: the time of the POST, median and p99 over --posts posts.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import secrets
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import prepare
from bench.login import USER_AGENT, session_cookie
from bench.paths import RESULTS
from bench.run import fetch, measure_pair
from bench.servers import HOST, WORKERS, Server
from tests.deploy.stack import NGINX, Nginx

SITE_PORT, CEILING_PORT, NGINX_SITE_PORT, NGINX_CEILING_PORT = 5077, 5078, 5079, 5080
DEFAULT_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:5432/diskurs_bench"
TARGETS = {
    "nginx-reader": 2.0,  # (a) bench-200 through nginx, over the Flask ceiling
    "home": 0.75,  # (b)
    "article-reader": 0.75,  # (b)
    "mix-reader": 0.4,  # (d)
}
MIX_P99_LIMIT = 3.0  # (d) readers' p99 while comments arrive, over the quiet p99
_FIELD = r'name="{0}"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="{0}"'


class Poster:
    """A member writing comments under an article through the running site."""

    def __init__(self, port: int, cookie: str, slug: str) -> None:
        self.port, self.cookie, self.slug = port, cookie, slug
        self.posted = 0
        self.failed: list[int] = []

    def _request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
        headers = {"User-Agent": USER_AGENT, "Cookie": self.cookie}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        connection.close()
        return response.status, data

    def post(self, text: str) -> float:
        """Draw the form, then send it: the seconds the POST took."""
        _status, page = self._request("GET", f"/articles/{self.slug}")
        page_text = page.decode()
        fields = {"body": text, "parent_id": ""}
        for name in ("csrf_token", "submission"):
            found = re.search(_FIELD.format(name), page_text)
            fields[name] = (found.group(1) or found.group(2)) if found else ""
        body = urllib.parse.urlencode(fields).encode()
        started = time.perf_counter()
        status, _ = self._request("POST", f"/articles/{self.slug}/comments", body)
        took = time.perf_counter() - started
        if status == 302:
            self.posted += 1
        else:
            self.failed.append(status)
        return took


def _pair(name: str, site_url: str, cookie: str | None, ceiling_url: str, options) -> dict:  # noqa: ANN001
    site, ceiling = measure_pair(site_url, cookie, ceiling_url, options)
    ratio = round(site["rps"] / ceiling["rps"], 3) if ceiling["rps"] else None
    target = TARGETS.get(name)
    clean = site["errors"] == 0 and ceiling["errors"] == 0
    ok = clean and (target is None or (ratio is not None and ratio >= target))
    return {"name": name, "app": site, "ceiling": ceiling, "ratio": ratio, "target": target,
            "ok": ok}  # fmt: skip


def _size(port: int, path: str) -> int:
    status, body, _ = fetch(port, path, None)
    if status != 200:
        raise SystemExit(f"GET {path} answered {status}")
    return len(body)


def mix(name: str, poster: Poster, site_url: str, ceiling_url: str, quiet_p99: float,
        options) -> dict:  # noqa: ANN001  # fmt: skip
    """(d): bench-200 at full load while the poster writes one comment a second."""
    poster.posted, poster.failed = 0, []
    stop = threading.Event()

    def write() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            started = time.monotonic()
            poster.post(f"Ein neuer Kommentar während der Last, Nummer {n}.")
            stop.wait(max(0.0, 1.0 - (time.monotonic() - started)))

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    try:
        result = _pair(name, site_url, None, ceiling_url, options)
    finally:
        stop.set()
        thread.join(timeout=60)
    p99_factor = round(result["app"]["p99_us"] / quiet_p99, 2) if quiet_p99 else None
    result.update(
        comments_posted=poster.posted,
        posts_failed=poster.failed,
        quiet_p99_us=quiet_p99,
        p99_factor=p99_factor,
        p99_limit=MIX_P99_LIMIT,
    )
    if name in TARGETS:  # else for reference
        result["ok"] = bool(result["ok"] and p99_factor and p99_factor < MIX_P99_LIMIT)
    return result


def posting(poster: Poster, count: int) -> dict[str, Any]:
    """(e): the time of *count* POSTs of a new comment, one after the other."""
    times = [poster.post(f"Gemessener Kommentar Nummer {n}.") for n in range(1, count + 1)]
    times.sort()
    p99 = times[min(len(times) - 1, int(round(0.99 * len(times))) - 1)]
    return {
        "name": "post-comment",
        "posts": count,
        "failed": poster.failed,
        "median_ms": round(statistics.median(times) * 1000, 1),
        "p99_ms": round(p99 * 1000, 1),
        "ok": not poster.failed,
    }


def print_results(run: dict[str, Any]) -> None:
    print(f"\n{'measure':<22}{'req/s':>9}{'p50 ms':>8}{'p99 ms':>8}{'ceiling':>10}{'ratio':>7}"
          f"{'target':>8}")  # fmt: skip
    for page in run["pages"]:
        app, ceiling = page["app"], page["ceiling"]
        target = f"{page['target']:>8.2f}" if page["target"] is not None else f"{'–':>8}"
        line = f"{page['name']:<22}{app['rps']:>9.1f}{app['p50_us'] / 1000:>8.1f}"
        line += f"{app['p99_us'] / 1000:>8.1f}{ceiling['rps']:>10.1f}{page['ratio']:>7.2f}{target}"
        print(line + ("  ok" if page["ok"] else "  MISSED"))
    for m in (run["mix"], run["mix_nginx"]):
        print(f"{m['name']}: {m['comments_posted']} comments posted meanwhile; readers' p99 "
              f"{m['app']['p99_us'] / 1000:.1f} ms against {m['quiet_p99_us'] / 1000:.1f} ms "
              f"quiet: ×{m['p99_factor']} (limit ×{MIX_P99_LIMIT})")  # fmt: skip
    p = run["posting"]
    print(
        f"posting a comment: median {p['median_ms']} ms, p99 {p['p99_ms']} ms over "
        f"{p['posts']} posts" + (f" ({len(p['failed'])} failed)" if p["failed"] else "")
    )


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--posts", type=int, default=100)
    parser.add_argument("--out", type=Path, default=None)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    options = parse(argv)
    if NGINX is None:
        raise SystemExit("nginx is not installed (apt-get install nginx)")
    database_url = os.environ.get("DISKURS_DATABASE_URL") or DEFAULT_DATABASE
    if not database_url.startswith("postgresql"):
        raise SystemExit("bench/deploy.py measures PostgreSQL: set DISKURS_DATABASE_URL to one")
    secret = secrets.token_hex(16)
    print("building the small site on PostgreSQL …", flush=True)
    manifest = prepare.build(database_url, prepare.SIZES["small"], secret)
    env = dict(os.environ, DISKURS_DATABASE_URL=database_url, DISKURS_SECRET_KEY=secret)
    # Comments are published at once and never refused for coming quickly: the stream of
    # comments in (d) and (e) is what is measured, not the flood rules.
    env.update(
        DISKURS_COMMENT_MODERATION="none",
        DISKURS_COMMENT_MIN_INTERVAL_SECONDS="0",
        DISKURS_COMMENTS_PER_HOUR="100000",
        DISKURS_RATELIMIT_ENABLED="false",
    )
    article = f"/articles/{manifest.small_slug}"
    run: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_before": os.getloadavg(),
        },  # fmt: skip
        "settings": {
            "gunicorn_workers": WORKERS,
            "wrk": {
                k: getattr(options, k) for k in ("rounds", "duration", "warmup", "connections")
            },
        },  # fmt: skip
        "pages": [],
    }
    folder = Path(tempfile.mkdtemp(prefix="diskurs-bench-nginx-"))
    with (
        Server("ceiling", "bench.ceiling:app", CEILING_PORT, dict(os.environ), "/0"),
        Server("site", "wsgi:app", SITE_PORT, env, "/healthz") as site,
    ):
        proxies = [
            Nginx(NGINX_SITE_PORT, [SITE_PORT], folder / "site"),
            Nginx(NGINX_CEILING_PORT, [CEILING_PORT], folder / "ceiling", probe="/0"),
        ]
        for proxy in proxies:
            proxy.start()
        try:
            size = {"/": _size(SITE_PORT, "/"), article: _size(SITE_PORT, article)}
            ceiling = f"http://{HOST}:{CEILING_PORT}/{{}}"
            pages = run["pages"]
            print("(a) through nginx …", flush=True)
            pages.append(_pair("nginx-ceiling", f"http://{HOST}:{NGINX_CEILING_PORT}/"
                               f"{size[article]}", None, ceiling.format(size[article]),
                               options))  # fmt: skip
            pages.append(_pair("nginx-kept-ceiling", f"http://{HOST}:{NGINX_CEILING_PORT}"
                               f"/articles/{size[article]}?cache=public", None,
                               ceiling.format(size[article]), options))  # fmt: skip
            pages.append(_pair("nginx-reader", f"http://{HOST}:{NGINX_SITE_PORT}{article}", None,
                               ceiling.format(size[article]), options))  # fmt: skip
            print("(b) PostgreSQL without nginx …", flush=True)
            pages.append(_pair("home", f"http://{HOST}:{SITE_PORT}/", None,
                               ceiling.format(size["/"]), options))  # fmt: skip
            pages.append(_pair("article-reader", f"http://{HOST}:{SITE_PORT}{article}", None,
                               ceiling.format(size[article]), options))  # fmt: skip
            cookie, how = session_cookie(site.base_url, manifest.member, manifest.password,
                                         article, database_url, secret)  # fmt: skip
            print(f"(d) readers while {manifest.member} ({how}) posts a comment a second …",
                  flush=True)  # fmt: skip
            poster = Poster(SITE_PORT, cookie, manifest.small_slug)
            quiet = pages[-1]["app"]["p99_us"]
            run["mix"] = mix("mix-reader", poster, f"http://{HOST}:{SITE_PORT}{article}",
                             ceiling.format(size[article]), quiet, options)  # fmt: skip
            pages.append(run["mix"])
            by_name = {page["name"]: page for page in pages}
            # The same through nginx (for reference: its quiet p99 is nginx-reader's).
            quiet_nginx = by_name["nginx-reader"]["app"]["p99_us"]
            run["mix_nginx"] = mix("mix-nginx-reader", poster,
                                   f"http://{HOST}:{NGINX_SITE_PORT}{article}",
                                   ceiling.format(size[article]), quiet_nginx, options)  # fmt: skip
            pages.append(run["mix_nginx"])
            print(f"(e) posting {options.posts} comments …", flush=True)
            run["posting"] = posting(Poster(SITE_PORT, cookie, manifest.small_slug), options.posts)
        finally:
            for proxy in proxies:
                proxy.stop()
    run["machine"]["load_after"] = os.getloadavg()
    run["ok"] = all(p["ok"] for p in run["pages"]) and run["posting"]["ok"]
    print_results(run)
    out = options.out or RESULTS / f"deploy-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(run, indent=2, default=str) + "\n")
    print(f"\nresults: {out}\n{'all targets met' if run['ok'] else 'some targets missed'}")
    return 0 if run["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
