"""What gunicorn reads when it is started in the project folder (it looks for this file).

Only a check: production refuses to start several workers that would each keep their own
rate-limit counts (see app/config.py: check_shared_limits). Worker counts given on the
command line, in GUNICORN_CMD_ARGS or WEB_CONCURRENCY are checked by the application too.
"""

from pathlib import Path


def on_starting(server):  # noqa: ANN001, ANN201
    from app.config import check_shared_limits, load_settings

    settings = load_settings(Path(__file__).resolve().parent / "instance")
    if settings["ENV"] == "production":
        check_shared_limits(settings, server.cfg.workers)
