"""Routes of this feature."""

from app.admin import bp  # noqa: F401
