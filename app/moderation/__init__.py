from flask import Blueprint

bp = Blueprint("moderation", __name__, url_prefix="/moderation")

from app.moderation import (  # noqa: E402, F401
    answers,
    bans,
    decisions,
    labels,
    log,
    queue,
    routes,
    undo,
)
