"""Notifications on the site: the list, following articles, settings, unsubscribing,
the admins' list of failed mails, and the worker command."""

from flask import Blueprint

bp = Blueprint("notifications", __name__)

from app.notifications import admin, cli, labels, personal, routes  # noqa: E402, F401
