"""Routes of this feature."""

from app.comments import bp  # noqa: F401
