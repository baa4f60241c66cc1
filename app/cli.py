"""Commands: ``flask --app wsgi users create``, ``articles import``, ``demo``.

(``db upgrade`` and the other ``db`` commands come from Flask-Migrate.)
"""

from __future__ import annotations

from datetime import date

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext

from app.extensions import db
from app.models import UserRole, utcnow
from app.services.errors import DomainError

users_cli = AppGroup("users", help="Manage accounts.")
articles_cli = AppGroup("articles", help="Manage articles.")


@users_cli.command("create")
@click.argument("name")
@click.option("--email", required=True, help="The account's email address.")
@click.option(
    "--role",
    type=click.Choice([role.value for role in UserRole]),
    default=UserRole.MEMBER.value,
    show_default=True,
)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_user_command(name: str, email: str, role: str, password: str) -> None:
    """Add an account NAME; its email counts as confirmed."""
    from app.services.accounts import create_user

    try:
        user = create_user(
            db.session,
            username=name,
            email=email,
            password=password,
            role=UserRole(role),
            now=utcnow(),
            confirmed=True,
        )
    except DomainError as error:
        field = getattr(error, "field", None)
        raise click.ClickException(f"{field}: {error}" if field else str(error)) from error
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.username} <{user.email}>.")


@articles_cli.command("import")
# Paths are checked by the importer, so one bad path is reported without stopping the others.
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--date",
    "default_date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Date for pages that carry none (YYYY-MM-DD).",
)
def import_command(paths: tuple[str, ...], default_date) -> None:  # noqa: ANN001
    """Import Markdown files with front matter and plain-text pages saved from a blog."""
    from app.services.importer import import_files

    day: date | None = default_date.date() if default_date else None
    report = import_files(db.session, paths, default_date=day, now=utcnow())
    for result in report.results:
        click.echo(result.line())
    for warning in report.warnings:  # on stderr, so they stand out from the list
        click.secho(warning, err=True, fg="yellow")
    for line in report.summary():
        click.echo(line)
    if report.failures:
        raise SystemExit(1)


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Fill an empty database with demo articles, accounts and comments."""
    from app.services.demo import load_demo

    result = load_demo(db.session, now=utcnow())
    if result is None:
        click.echo("The database has content already; the demo was not loaded.")
        return
    db.session.commit()
    for line in result.lines():
        click.echo(line)


def init_app(app: Flask) -> None:
    from app.search.commands import search_cli
    from app.wordpress_cli import export_cli, import_cli

    app.cli.add_command(search_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(articles_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(import_cli)
    app.cli.add_command(export_cli)
