"""The full-text index in the database: created by migration 0005, kept by triggers.

The index is kept by the database itself, in the same statement (and so the same
transaction) that changes the text: whoever writes a comment or an article (the services,
the importer, a bulk insert of the benchmark, an administrator in psql) cannot forget it,
and a rolled-back change leaves no trace in it. Only the text is indexed; whether a comment
is visible or an article public is checked against the live rows when searching, so a
moderation decision shows in the results at once.

SQLite: two contentless FTS5 tables (``search_articles``, ``search_comments``; the rowid is
the article's or the comment's id) with the ``unicode61 remove_diacritics 2`` tokenizer.
The triggers put in the text with umlauts transliterated (``FOLD_SQL``), so "Bänke" is
indexed as "baenke"; queries are folded the same way (app/search/terms.py).

PostgreSQL: a ``search_vector`` column on ``articles`` and ``comments`` with a GIN index,
set by BEFORE triggers from ``to_tsvector('german', ...)`` of the text, plus (when the text
has umlauts) the lexemes of its transliterated form, so "Baenke" finds "Bänke" too. Title
(A), summary (B) and body (C) of an article are weighted for ranking.

These objects are not part of the models (they are not rows the application maps), so the
schema comparison of the migration tests skips them (:func:`include_object`).
"""

from __future__ import annotations

from typing import Any

TOKENIZER = "unicode61 remove_diacritics 2"
SQLITE_TABLES = ("search_articles", "search_comments")
POSTGRES_COLUMN = "search_vector"
POSTGRES_INDEXES = ("ix_articles_search_vector", "ix_comments_search_vector")
_FOLDS = (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("Ä", "Ae"), ("Ö", "Oe"), ("Ü", "Ue"))
_FOLDS_SQLITE = (*_FOLDS, ("ß", "ss"), ("ẞ", "SS"))


def fold_sql(expression: str, folds: tuple[tuple[str, str], ...] = _FOLDS_SQLITE) -> str:
    """SQL that transliterates umlauts in *expression* (replace() is in both databases)."""
    sql = f"coalesce({expression}, '')"
    for letter, spelled in folds:
        sql = f"replace({sql}, '{letter}', '{spelled}')"
    return sql


# --- SQLite ---------------------------------------------------------------------------------


class SearchUnavailable(RuntimeError):
    """The database cannot hold the search index; the message says what to install."""


def require_fts5(connection: Any) -> None:
    """Refuse, with a clear message, a SQLite built without FTS5 (the index needs it)."""
    options = {row[0] for row in connection.exec_driver_sql("PRAGMA compile_options")}
    if "ENABLE_FTS5" not in options:
        version = connection.exec_driver_sql("SELECT sqlite_version()").scalar()
        raise SearchUnavailable(
            f"This SQLite ({version}) was built without FTS5, which the search needs. "
            "Use a Python whose sqlite3 module has it (the usual builds of Debian, Ubuntu, "
            "macOS and python.org do), or PostgreSQL."
        )


_ARTICLE_TITLE = "{row}.title"
_ARTICLE_TEXT = "coalesce({row}.summary, '') || ' ' || coalesce({row}.body, '')"


def _sqlite_article_values(row: str) -> str:
    title = fold_sql(_ARTICLE_TITLE.format(row=row))
    text = fold_sql(_ARTICLE_TEXT.format(row=row))
    return f"{row}.id, {title}, {text}"


def sqlite_statements() -> list[str]:
    """Tables, triggers and the first filling, for SQLite."""
    new_article, old_article = _sqlite_article_values("new"), _sqlite_article_values("old")
    new_comment = f"new.id, {fold_sql('new.body')}"
    old_comment = f"old.id, {fold_sql('old.body')}"
    # A contentless table forgets a row only when told its indexed values again, so the
    # triggers that remove one give the old row's values through the same folding.
    forget_article = (
        "INSERT INTO search_articles(search_articles, rowid, title, body) "
        f"VALUES ('delete', {old_article});"
    )
    forget_comment = (
        "INSERT INTO search_comments(search_comments, rowid, body) "
        f"VALUES ('delete', {old_comment});"
    )
    add_article = f"INSERT INTO search_articles(rowid, title, body) VALUES ({new_article});"
    add_comment = f"INSERT INTO search_comments(rowid, body) VALUES ({new_comment});"
    return [
        "CREATE VIRTUAL TABLE search_articles USING fts5("
        f"title, body, content='', tokenize='{TOKENIZER}')",
        "CREATE VIRTUAL TABLE search_comments USING fts5("
        f"body, content='', tokenize='{TOKENIZER}')",
        f"CREATE TRIGGER search_articles_insert AFTER INSERT ON articles BEGIN {add_article} END",
        "CREATE TRIGGER search_articles_update AFTER UPDATE OF title, summary, body ON articles "
        "WHEN old.title IS NOT new.title OR old.summary IS NOT new.summary "
        f"OR old.body IS NOT new.body BEGIN {forget_article} {add_article} END",
        "CREATE TRIGGER search_articles_delete AFTER DELETE ON articles "
        f"BEGIN {forget_article} END",
        f"CREATE TRIGGER search_comments_insert AFTER INSERT ON comments BEGIN {add_comment} END",
        "CREATE TRIGGER search_comments_update AFTER UPDATE OF body ON comments "
        f"WHEN old.body IS NOT new.body BEGIN {forget_comment} {add_comment} END",
        "CREATE TRIGGER search_comments_delete AFTER DELETE ON comments "
        f"BEGIN {forget_comment} END",
        *sqlite_fill_statements(),
    ]


def sqlite_fill_statements() -> list[str]:
    """Index every article and comment afresh (after creating the tables, or to repair)."""
    return [
        "INSERT INTO search_articles(search_articles) VALUES ('delete-all')",
        "INSERT INTO search_comments(search_comments) VALUES ('delete-all')",
        "INSERT INTO search_articles(rowid, title, body) "
        f"SELECT {_sqlite_article_values('articles')} FROM articles",
        "INSERT INTO search_comments(rowid, body) "
        f"SELECT comments.id, {fold_sql('comments.body')} FROM comments",
    ]


def sqlite_drop_statements() -> list[str]:
    triggers = [
        f"DROP TRIGGER IF EXISTS {table}_{event}"
        for table in SQLITE_TABLES
        for event in ("insert", "update", "delete")
    ]
    return [*triggers, *(f"DROP TABLE IF EXISTS {table}" for table in SQLITE_TABLES)]


# --- PostgreSQL -----------------------------------------------------------------------------

# Snowball's German stemmer already treats ß as ss; only the umlauts need a second spelling.
_HAS_UMLAUT = "'[äöüÄÖÜ]'"


def _tsvector(expression: str, weight: str | None = None) -> str:
    vector = f"to_tsvector('german', coalesce({expression}, ''))"
    return f"setweight({vector}, '{weight}')" if weight else vector


def _transliterated(expression: str) -> str:
    """The lexemes of the folded text, without positions (they only widen what matches)."""
    folded = _tsvector(fold_sql(expression, _FOLDS))
    return f"(CASE WHEN {expression} ~ {_HAS_UMLAUT} THEN strip({folded}) ELSE ''::tsvector END)"


def _article_vector(row: str) -> str:
    everything = f"{row}.title || ' ' || coalesce({row}.summary, '') || ' ' || {row}.body"
    return " || ".join(
        [
            _tsvector(f"{row}.title", "A"),
            _tsvector(f"{row}.summary", "B"),
            _tsvector(f"{row}.body", "C"),
            _transliterated(everything),
        ]
    )


def _comment_vector(row: str) -> str:
    body = f"coalesce({row}.body, '')"
    return f"{_tsvector(body)} || {_transliterated(body)}"


def postgresql_statements() -> list[str]:
    """Columns, trigger functions, triggers, the first filling and the GIN indexes."""
    return [
        "ALTER TABLE articles ADD COLUMN search_vector tsvector",
        "ALTER TABLE comments ADD COLUMN search_vector tsvector",
        "CREATE OR REPLACE FUNCTION articles_search_vector() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN NEW.search_vector := {_article_vector('NEW')}; RETURN NEW; END $$",
        "CREATE OR REPLACE FUNCTION comments_search_vector() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN NEW.search_vector := {_comment_vector('NEW')}; RETURN NEW; END $$",
        "CREATE TRIGGER articles_search_insert BEFORE INSERT ON articles "
        "FOR EACH ROW EXECUTE FUNCTION articles_search_vector()",
        "CREATE TRIGGER articles_search_update BEFORE UPDATE OF title, summary, body ON articles "
        "FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title "
        "OR OLD.summary IS DISTINCT FROM NEW.summary OR OLD.body IS DISTINCT FROM NEW.body) "
        "EXECUTE FUNCTION articles_search_vector()",
        "CREATE TRIGGER comments_search_insert BEFORE INSERT ON comments "
        "FOR EACH ROW EXECUTE FUNCTION comments_search_vector()",
        "CREATE TRIGGER comments_search_update BEFORE UPDATE OF body ON comments "
        "FOR EACH ROW WHEN (OLD.body IS DISTINCT FROM NEW.body) "
        "EXECUTE FUNCTION comments_search_vector()",
        *postgresql_fill_statements(),
        # Without the pending list of fastupdate, every search reads only the index itself:
        # a written comment costs a little more, a search no more between two vacuums.
        "CREATE INDEX ix_articles_search_vector ON articles USING gin (search_vector) "
        "WITH (fastupdate = off)",
        "CREATE INDEX ix_comments_search_vector ON comments USING gin (search_vector) "
        "WITH (fastupdate = off)",
    ]


def postgresql_fill_statements() -> list[str]:
    return [
        f"UPDATE articles SET search_vector = {_article_vector('articles')}",
        f"UPDATE comments SET search_vector = {_comment_vector('comments')}",
    ]


def postgresql_drop_statements() -> list[str]:
    return [
        "DROP TRIGGER IF EXISTS articles_search_insert ON articles",
        "DROP TRIGGER IF EXISTS articles_search_update ON articles",
        "DROP TRIGGER IF EXISTS comments_search_insert ON comments",
        "DROP TRIGGER IF EXISTS comments_search_update ON comments",
        "DROP FUNCTION IF EXISTS articles_search_vector()",
        "DROP FUNCTION IF EXISTS comments_search_vector()",
        "DROP INDEX IF EXISTS ix_articles_search_vector",
        "DROP INDEX IF EXISTS ix_comments_search_vector",
        "ALTER TABLE articles DROP COLUMN IF EXISTS search_vector",
        "ALTER TABLE comments DROP COLUMN IF EXISTS search_vector",
    ]


# --- both -----------------------------------------------------------------------------------


def create_statements(dialect: str) -> list[str]:
    return sqlite_statements() if dialect == "sqlite" else postgresql_statements()


def drop_statements(dialect: str) -> list[str]:
    return sqlite_drop_statements() if dialect == "sqlite" else postgresql_drop_statements()


def fill_statements(dialect: str) -> list[str]:
    return sqlite_fill_statements() if dialect == "sqlite" else postgresql_fill_statements()


def _is_sqlite_search_table(name: str) -> bool:
    # FTS5 keeps each virtual table's index in shadow tables named <table>_data, _idx, ...
    return any(name == table or name.startswith(f"{table}_") for table in SQLITE_TABLES)


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """For Alembic's comparison: leave out the search index, which the models do not map."""
    if not reflected or compare_to is not None or name is None:
        return True
    if type_ == "table":
        return not _is_sqlite_search_table(name)
    if type_ == "column":
        return name != POSTGRES_COLUMN
    if type_ == "index":
        return name not in POSTGRES_INDEXES
    return True
