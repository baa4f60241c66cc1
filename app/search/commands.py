"""``flask search rebuild``: index every article and comment afresh.

The triggers keep the index current by themselves; this is for repairs, say after rows
were copied in with the triggers switched off.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import text

from app.extensions import db
from app.search import schema

search_cli = AppGroup("search", help="The full-text search index.")


@search_cli.command("rebuild")
def rebuild() -> None:
    """Index every article and comment afresh, in one transaction."""
    dialect = db.engine.dialect.name
    for statement in schema.fill_statements(dialect):
        db.session.execute(text(statement))
    db.session.commit()
    click.echo("The search index was rebuilt.")
