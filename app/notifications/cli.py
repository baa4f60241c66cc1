"""``flask --app wsgi notifications work``: the worker that sends notification mails."""

from __future__ import annotations

import signal
import threading

import click
from flask import current_app

from app.notifications import bp
from app.services.notifications import worker

bp.cli.help = "Send notification mails."


@bp.cli.command("work")
@click.option("--once", is_flag=True, help="Send what is due now, then stop (cron, tests).")
@click.option(
    "--poll",
    type=click.FloatRange(min=0.1),
    default=None,
    help="Seconds between looks at the outbox (default: NOTIFICATION_POLL_SECONDS).",
)
def work_command(once: bool, poll: float | None) -> None:
    """Send notification mails as they become due; runs until stopped."""
    app = current_app._get_current_object()
    stop = threading.Event()
    if not once:
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, lambda *_: stop.set())
        click.echo("Notification worker started; stop it with Ctrl-C.")
    report = worker.work(app, once=once, poll_seconds=poll, stop=stop, echo=click.echo)
    if once:
        click.echo(worker.describe(report))
