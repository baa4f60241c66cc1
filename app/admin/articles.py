"""Admin: articles."""

from app.admin import bp  # noqa: F401
