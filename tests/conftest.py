"""Fixtures for the whole suite, in the manner of the Flask tutorial.

The database is real: SQLite by default, PostgreSQL with ``--database=postgresql`` (CI runs
both). The schema is always built by the migrations, once per run; each test then gets a
fresh copy (SQLite) or emptied tables (PostgreSQL).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from app.services import accounts
from tests.support import (
    PG_ADMIN_URL,
    Factory,
    drop_pg_database,
    empty_tables,
    postgres_available,
    require,
)

# Still scrypt, at a cost that keeps a suite creating hundreds of accounts fast.
accounts.PASSWORD_HASH_METHOD = "scrypt:1024:8:1"

SHARED = Path(__file__).resolve().parents[2] / "shared"
TEST_SETTINGS = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key",
    "RATELIMIT_STORAGE_URI": "memory://",
    "MAIL_SERVER": None,
    "BASE_URL": "http://localhost",  # where the test client's requests go
}


# For tests marked ``writes_in_a_row``: their members write comment after comment within
# seconds, which the flood rules (tested in test_comments_flood.py) rightly refuse.
WRITES_IN_A_ROW = {"COMMENT_MIN_INTERVAL_SECONDS": 0, "COMMENTS_PER_HOUR": 1000}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database",
        choices=["sqlite", "postgresql"],
        default=os.environ.get("DISKURS_TEST_DATABASE", "sqlite"),
        help="which database the suite runs against",
    )
    parser.addoption(
        "--page-cache",
        choices=["on", "off"],
        default=os.environ.get("DISKURS_TEST_PAGE_CACHE", "on"),
        help="whether pages and pieces are kept, as in production (on), or never",
    )


def pytest_configure(config: pytest.Config) -> None:
    # Every app a test makes follows the option, as the database follows --database.
    TEST_SETTINGS["PAGE_CACHE"] = config.getoption("--page-cache") == "on"


@pytest.fixture(scope="session")
def database_kind(request: pytest.FixtureRequest) -> str:
    return request.config.getoption("--database")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared``: the seeds and corpora tests read (never copied into the project)."""
    require(SHARED.is_dir(), f"../shared is missing at {SHARED}")
    return SHARED


def make_app(database_url: str, tmp_path: Path, **overrides: object) -> Flask:
    settings = dict(TEST_SETTINGS, DATABASE_URL=database_url, INSTANCE_PATH=tmp_path / "instance")
    settings.update(overrides)
    return create_app(settings)


def migrate_to_head(app: Flask) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()


@pytest.fixture(scope="session")
def database_template(
    database_kind: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A migrated database: a template file for SQLite, a throwaway database for PostgreSQL."""
    base = tmp_path_factory.mktemp("template")
    if database_kind == "sqlite":
        url = f"sqlite:///{base / 'template.sqlite3'}"
        migrate_to_head(make_app(url, base))
        yield url
        return
    require(postgres_available(), "PostgreSQL is not reachable at 127.0.0.1:5432")
    name = f"diskurs_test_{uuid.uuid4().hex[:12]}"
    from sqlalchemy import create_engine, text

    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    migrate_to_head(make_app(url, base))
    yield url
    drop_pg_database(name)


@pytest.fixture
def database_url(database_template: str, database_kind: str, tmp_path: Path) -> Iterator[str]:
    """A database for one test, with the schema and nothing else."""
    if database_kind == "sqlite":
        source = Path(database_template.removeprefix("sqlite:///"))
        target = tmp_path / "test.sqlite3"
        shutil.copyfile(source, target)
        yield f"sqlite:///{target}"
        return
    yield database_template
    empty_tables(database_template)


@pytest.fixture
def marked_settings(request: pytest.FixtureRequest) -> dict[str, object]:
    """The settings a test's markers change for it alone."""
    return dict(WRITES_IN_A_ROW) if request.node.get_closest_marker("writes_in_a_row") else {}


@pytest.fixture
def cached(database_url: str, tmp_path: Path, marked_settings: dict) -> Iterator[Flask]:
    """The application with its page cache on, whatever ``--page-cache`` says: for tests of
    the cache itself."""
    from tests.cache_support import cached_app  # it builds on make_app, defined here

    yield from cached_app(database_url, tmp_path, **marked_settings)


@pytest.fixture
def reader_clock(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """The clock by which workers reuse readers' versions, moved on by the test."""
    from tests.cache_support import ReaderClock

    return ReaderClock(monkeypatch)


@pytest.fixture
def app(database_url: str, tmp_path: Path, marked_settings: dict) -> Iterator[Flask]:
    application = make_app(database_url, tmp_path, **marked_settings)
    yield application
    with application.app_context():
        from app.extensions import db

        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def make(app: Flask) -> Factory:
    """Create users, articles and comments directly through the services."""
    return Factory(app)


@pytest.fixture
def postgres_app(
    request: pytest.FixtureRequest, database_kind: str, tmp_path: Path, marked_settings: dict
) -> Iterator:
    """An app on PostgreSQL in either pass: the suite's database, or one of its own."""
    if database_kind == "postgresql":
        yield request.getfixturevalue("app")
        return
    require(postgres_available(), "PostgreSQL is not reachable at 127.0.0.1:5432")
    from sqlalchemy import create_engine, text

    name = f"diskurs_pg_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    application = make_app(PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name, tmp_path, **marked_settings)
    migrate_to_head(application)
    yield application
    with application.app_context():
        from app.extensions import db

        db.session.remove()
        db.engine.dispose()
    drop_pg_database(name)
