"""Routes of this feature."""

from app.moderation import bp  # noqa: F401
