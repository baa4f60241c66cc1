from flask import Blueprint

bp = Blueprint("comments", __name__)

from app.comments import feeds, outage, routes  # noqa: E402, F401
