"""Commands ``flask --app wsgi import wordpress FILE`` and ``export wordpress OUT.xml``."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db
from app.models import utcnow

import_cli = AppGroup("import", help="Bring content in from other systems.")
export_cli = AppGroup("export", help="Write the site's content for other systems.")


def on_terminal() -> bool:
    """Whether a person watches: the progress bar is for them, not for logs and pipes."""
    return sys.stdout.isatty()


@import_cli.command("wordpress")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would happen; write nothing.")
def import_wordpress(path: Path, dry_run: bool) -> None:
    """Import a WordPress export file (WXR): articles, pages, topics, authors, comments."""
    from app.services.importer import site_zone
    from app.services.wordpress import ImportFailed, import_wxr

    zone = site_zone(current_app.config["TIMEZONE"])
    with path.open("rb") as stream:
        try:
            if on_terminal():
                with click.progressbar(length=path.stat().st_size, label="Reading") as bar:
                    report = import_wxr(
                        db.session, stream, now=utcnow(), zone=zone, dry_run=dry_run,
                        on_read=bar.update,
                    )  # fmt: skip
            else:
                report = import_wxr(db.session, stream, now=utcnow(), zone=zone, dry_run=dry_run)
        except ImportFailed as error:
            raise click.ClickException(f"{path}: {error} (nothing was imported)") from error
    for line in report.lines():
        click.echo(line)


@export_cli.command("wordpress")
@click.argument("out", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--with-emails", is_flag=True, help="Include members' email addresses.")
def export_wordpress(out: Path, with_emails: bool) -> None:
    """Write the whole site as a WordPress export file (WXR 1.2) to OUT."""
    from app.services.importer import site_zone
    from app.services.wordpress.export import write_wxr

    config = current_app.config
    with out.open("wb") as stream:
        counts = write_wxr(
            db.session,
            stream,
            site_name=config["SITE_NAME"],
            base_url=config["BASE_URL"],
            zone=site_zone(config["TIMEZONE"]),
            now=utcnow(),
            with_emails=with_emails,
        )
    click.echo(f"Wrote {out}: " + ", ".join(f"{count} {kind}" for kind, count in counts.items()))
