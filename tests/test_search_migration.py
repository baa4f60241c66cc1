"""Migration 0005: it indexes the rows already there, and its downgrade removes the index."""

from __future__ import annotations

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from app.extensions import db
from app.models import UTCDateTime, utcnow
from app.search import schema
from tests.search_support import finds_article, finds_comment


def _search_objects() -> set[str]:
    inspector = inspect(db.engine)
    names = set(inspector.get_table_names())
    found = {name for name in names if name in schema.SQLITE_TABLES}
    for table in ("articles", "comments"):
        columns = {column["name"] for column in inspector.get_columns(table)}
        found |= {f"{table}.{schema.POSTGRES_COLUMN}"} & {f"{table}.{c}" for c in columns}
    return found


def _comment_at_0004(article_id: int, author_id: int, body: str) -> int:
    """A comment written with only the columns revision 0004 has (later ones add more)."""
    comments = sa.table(
        "comments",
        sa.column("article_id"),
        sa.column("author_id"),
        sa.column("depth"),
        sa.column("body"),
        sa.column("body_html"),
        sa.column("status"),
        sa.column("flag_count"),
        sa.column("created_at", UTCDateTime()),
        sa.column("id"),
    )
    new_id = db.session.execute(
        sa.insert(comments)
        .values(
            article_id=article_id,
            author_id=author_id,
            depth=1,
            body=body,
            body_html=f"<p>{body}</p>",
            status="visible",
            flag_count=0,
            created_at=utcnow(),
        )
        .returning(comments.c.id)
    ).scalar_one()
    db.session.commit()
    return new_id


def test_upgrading_indexes_existing_rows_and_downgrading_removes_the_index(app, client, make):
    writer = make.user("Schreiber")
    article = make.article("Vorhandener Beitrag", body="Über Festgeld und Sparbriefe.")
    before = make.comment(article, writer, "Vor dem Downgrade: Bundesanleihen.")
    with app.app_context():
        present = _search_objects()
        assert present  # FTS5 tables on SQLite, tsvector columns on PostgreSQL
        try:
            downgrade(revision="0004")  # just below the index
            assert _search_objects() == set()
            db.session.remove()
            meanwhile = _comment_at_0004(article.id, writer.id, "Ohne Index: Pfandbriefe.")
        finally:
            upgrade()
        assert _search_objects() == present
    after = make.comment(article, writer, "Nach dem Upgrade: Festgeld.")
    assert finds_article(client, "Sparbrief", article.slug)
    assert finds_comment(client, "Bundesanleihe", before.id)
    assert finds_comment(client, "Pfandbrief", meanwhile)
    assert finds_comment(client, "Festgeld", after.id)


def test_rebuilding_the_index_keeps_what_it_finds(app, client, make):
    article = make.article("Ein Beitrag über Tagesgeld")
    result = app.test_cli_runner().invoke(args=["search", "rebuild"])
    assert result.exit_code == 0, result.output
    assert finds_article(client, "Tagesgeld", article.slug)


def test_this_sqlite_has_what_the_index_needs(app):
    from app.search.schema import require_fts5

    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            with db.engine.connect() as connection:
                require_fts5(connection)  # does not refuse the SQLite the suite runs on
        assert _search_objects()
