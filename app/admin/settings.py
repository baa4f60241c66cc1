"""Admin: settings."""

from app.admin import bp  # noqa: F401
