"""Build the benchmark site in the database named by DISKURS_DATABASE_URL (or --database).

    python -m bench.prepare [--size small|large] [--database URL]

It only ever fills an empty database or one it filled before (recognised by its bench-*
articles); anything else is refused, so a real site cannot be overwritten by mistake.
Rows go in with bulk inserts and explicit ids; each distinct text is rendered once.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import MetaData, func, insert, inspect, select, text
from sqlalchemy.orm import Session

from app.models import Article, Comment, Flag, Page, Topic, User, article_topics, utcnow
from bench import corpus
from bench.site import MAX_DEPTH, PASSWORD, SIZES, Builder, Manifest, Spec, thread_shape

__all__ = ["MAX_DEPTH", "PASSWORD", "SIZES", "Manifest", "Spec", "build", "fill", "thread_shape"]


def _insert(session: Session, table: Any, rows: list[dict[str, Any]], chunk: int = 5_000) -> None:
    for start in range(0, len(rows), chunk):
        session.execute(insert(table), rows[start : start + chunk])


def fill(session: Session, spec: Spec, now: datetime | None = None, seed: int = 7) -> Manifest:
    """Write the benchmark site into an empty, migrated database; the caller commits."""
    builder = Builder(spec, now or utcnow(), seed)
    builder.add_users()
    builder.add_articles()
    builder.add_discussions()
    flags = builder.flags()
    topics = [dict(id=i, name=n, slug=n.lower()) for i, n in enumerate(corpus.TOPICS, start=1)]
    links = [
        dict(article_id=a["id"], topic_id=t)
        for a in builder.articles
        for t in builder.rng.sample(range(1, len(topics) + 1), builder.rng.randint(1, 3))
    ]
    pages = [
        dict(id=1, title="Impressum", slug="impressum", body="Diskurs", body_html="<p>Diskurs</p>",
             footer_position=1, updated_at=builder.now, revision=1),
        dict(id=2, title="Datenschutz", slug="datenschutz", body="Daten",
             body_html="<p>Daten</p>", footer_position=2, updated_at=builder.now, revision=1),
    ]  # fmt: skip
    for model, rows in (
        (User, builder.users),
        (Topic, topics),
        (Article, builder.articles),
        (article_topics, links),
        (Comment, builder.comments),
        (Flag, flags),
        (Page, pages),
    ):
        _insert(session, model, rows)
    if session.get_bind().dialect.name == "postgresql":
        # The ids were given explicitly, so move each sequence past them (names are ours).
        for table in ("users", "topics", "articles", "comments", "flags", "pages"):
            sequence = f"pg_get_serial_sequence('{table}', 'id')"
            session.execute(text(f"SELECT setval({sequence}, max(id)) FROM {table}"))  # noqa: S608
    status_counts = dict(
        session.execute(select(Comment.status, func.count()).group_by(Comment.status)).all()
    )
    counts = {str(status): n for status, n in status_counts.items()}
    counts.update(articles=len(builder.articles), users=len(builder.users), flags=len(flags))
    return Manifest(
        small_slug=spec.small_slug, big_slug=spec.big_slug, huge_slug=spec.huge_slug, counts=counts
    )


def reset(engine: Any) -> None:
    """Drop every table, after making sure the database is empty or a benchmark site."""
    tables = inspect(engine).get_table_names()
    if "articles" in tables:
        with engine.connect() as connection:
            articles = connection.scalar(text("SELECT count(*) FROM articles"))
            ours = connection.scalar(
                text("SELECT count(*) FROM articles WHERE slug LIKE 'bench-%'")
            )
        if articles and not ours:
            raise SystemExit(
                f"{engine.url.render_as_string(hide_password=True)} holds a site that is not a "
                "benchmark site; name an empty database in DISKURS_DATABASE_URL."
            )
    existing = MetaData()
    existing.reflect(engine)
    existing.drop_all(engine)


def create_pg_database(database_url: str) -> None:
    """Create the named PostgreSQL database if it does not exist yet."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        found = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database}
        )
        if not found:
            connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()


def build(database_url: str, spec: Spec, secret_key: str | None = None) -> Manifest:
    """Reset, migrate and fill the database at *database_url*; returns its manifest."""
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db

    if database_url.startswith("postgresql"):
        create_pg_database(database_url)
    secret_key = secret_key or secrets.token_hex(16)
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": secret_key})
    with app.app_context():
        reset(db.engine)
        upgrade()
        manifest = fill(db.session, spec)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))  # what autovacuum would do on a live site
        db.session.remove()
        db.engine.dispose()
    return manifest


def default_database_url() -> str:
    from bench.paths import RESULTS

    RESULTS.mkdir(parents=True, exist_ok=True)
    return os.environ.get("DISKURS_DATABASE_URL") or f"sqlite:///{RESULTS / 'bench.sqlite3'}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--database", default=None, help="default: DISKURS_DATABASE_URL")
    args = parser.parse_args(argv)
    manifest = build(args.database or default_database_url(), SIZES[args.size])
    json.dump(asdict(manifest), sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
