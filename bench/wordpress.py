"""How a large WordPress export imports: time and memory of ``import wordpress``.

    python bench/wordpress.py [--comments 100000] [--per-post 500] [--tracemalloc]

Writes a generated export with that many comments (threads of replies, a few long texts)
to bench/results/, imports it into a fresh SQLite database there (or DISKURS_DATABASE_URL,
which must be empty), and reports the file's size, the time taken and the memory: the
process's peak resident size before and after, and with ``--tracemalloc`` the peak of what
Python allocated during the import (slower). Results go to bench/results/wordpress-*.json.
Not part of the test run, and nothing is asserted on time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path
from xml.sax.saxutils import escape

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

RESULTS = Path(__file__).resolve().parent / "results"
HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Bench</title><link>http://bench.example.org</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_blog_url>http://bench.example.org</wp:base_blog_url>
<wp:author><wp:author_id>1</wp:author_id><wp:author_login>redaktion</wp:author_login>
<wp:author_email>redaktion@bench.example.org</wp:author_email>
<wp:author_display_name>Redaktion</wp:author_display_name></wp:author>
"""
TEXT = (
    "Die Zinsen steigen, die Anleihen fallen, und die Geduld der Sparer wird geprüft. "
    "Wer früh anfängt, hat später mehr davon.\n\nhttps://example.org/quelle\n\n"
)


def _comment(wp_id: int, parent: int, number: int) -> str:
    body = escape(TEXT * (1 + number % 7) + f"Kommentar {wp_id} <em>betont</em>")
    return (
        f"<wp:comment><wp:comment_id>{wp_id}</wp:comment_id>"
        f"<wp:comment_author>Leser {number % 900}</wp:comment_author>"
        f"<wp:comment_author_email>leser{number % 900}@example.net</wp:comment_author_email>"
        f"<wp:comment_date_gmt>2015-01-01 {number % 24:02d}:00:00</wp:comment_date_gmt>"
        f"<wp:comment_content>{body}</wp:comment_content>"
        f"<wp:comment_approved>{'0' if number % 17 == 0 else '1'}</wp:comment_approved>"
        f"<wp:comment_parent>{parent}</wp:comment_parent>"
        "<wp:comment_user_id>0</wp:comment_user_id></wp:comment>\n"
    )


def generate(path: Path, comments: int, per_post: int) -> int:
    with path.open("w", encoding="utf-8") as out:
        out.write(HEAD)
        written, post = 0, 0
        while written < comments:
            post += 1
            out.write(
                f"<item><title>Beitrag {post}</title><dc:creator>redaktion</dc:creator>"
                f"<content:encoded>{escape(TEXT * 5)}</content:encoded>"
                f"<wp:post_id>{post}</wp:post_id>"
                f"<wp:post_date>2015-01-01 10:00:00</wp:post_date>"
                f"<wp:post_date_gmt>2015-01-01 09:00:00</wp:post_date_gmt>"
                f"<wp:post_name>beitrag-{post}</wp:post_name><wp:status>publish</wp:status>"
                "<wp:post_type>post</wp:post_type>"
                '<category domain="category" nicename="geld">Geld</category>\n'
            )
            first = written
            for index in range(min(per_post, comments - written)):
                wp_id = 1_000_000 + written + 1
                # Every third comment answers one of the ten before it in this post.
                parent = 1_000_000 + max(first + 1, written - 9) if index % 3 == 2 else 0
                out.write(_comment(wp_id, parent, written))
                written += 1
            out.write("</item>\n")
        out.write("</channel></rss>\n")
    return path.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--per-post", type=int, default=500)
    parser.add_argument("--tracemalloc", action="store_true")
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    export = RESULTS / f"wordpress-{args.comments}.xml"
    size = generate(export, args.comments, args.per_post)
    database = RESULTS / "wordpress.sqlite3"
    if "DISKURS_DATABASE_URL" not in os.environ:
        database.unlink(missing_ok=True)
        os.environ["DISKURS_DATABASE_URL"] = f"sqlite:///{database}"

    from zoneinfo import ZoneInfo

    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db
    from app.models import utcnow
    from app.services.wordpress import import_wxr

    app = create_app()
    with app.app_context():
        upgrade()
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        if args.tracemalloc:
            tracemalloc.start()
        started = time.perf_counter()
        with export.open("rb") as stream:
            report = import_wxr(db.session, stream, now=utcnow(), zone=ZoneInfo("UTC"))
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] if args.tracemalloc else None
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = {
        "comments": args.comments,
        "file_bytes": size,
        "seconds": round(seconds, 1),
        "comments_per_second": round(report.created["comments"] / seconds),
        "max_rss_before_kib": before,
        "max_rss_after_kib": after,
        "traced_peak_bytes": peak,
        "created": dict(report.created),
        "skipped": dict(report.skipped),
    }
    (RESULTS / f"wordpress-{args.comments}.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
