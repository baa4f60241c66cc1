"""What gunicorn reads when it is started in the project folder (it looks for this file).

A check: production refuses to start several workers that would each keep their own
rate-limit counts (see app/config.py: check_shared_limits). Worker counts given on the
command line, in GUNICORN_CMD_ARGS or WEB_CONCURRENCY are checked by the application too.

And a setting of the interpreter: each worker, once it has loaded the application, puts
everything loaded so far out of the garbage collector's sight (``gc.freeze``). Those
objects live as long as the worker, and a full collection that walked all of them (some
130,000) stopped the worker for about 80 ms every so often: the slowest answers readers
got while comments came in.
"""

import gc
from pathlib import Path


def on_starting(server):  # noqa: ANN001, ANN201
    from app.config import check_shared_limits, load_settings

    settings = load_settings(Path(__file__).resolve().parent / "instance")
    if settings["ENV"] == "production":
        check_shared_limits(settings, server.cfg.workers)


def post_worker_init(worker):  # noqa: ANN001, ANN201, ARG001
    gc.freeze()
