"""Admin: pages."""

from app.admin import bp  # noqa: F401
