"""The schema comes from the migrations, and the migrations agree with the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from app.extensions import db


def test_migrations_build_every_table_of_the_models(app):
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
    assert set(db.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_models_and_migrations_agree(app):
    """What ``flask db check`` does: autogenerate finds nothing left to migrate."""
    migrate = app.extensions["migrate"]
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts=migrate.configure_args)
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_flask_db_check_command_passes(app):
    result = app.test_cli_runner().invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output
