"""What the article page shows under an article: its discussion."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.models import Article


def discussion_context(article: Article, now: datetime) -> dict[str, Any]:
    """Template variables for the comments section of *article*."""
    return {"comment_count": article.visible_comment_count}
