from flask import Blueprint

bp = Blueprint("moderation", __name__, url_prefix="/moderation")

from app.moderation import bans, decisions, labels, log, queue, routes  # noqa: E402, F401
