"""Routes of this feature."""

from app.account import bp  # noqa: F401
