"""The versions the page cache keys are built from, for what many pages show at once.

Each row counts the changes of one scope of the site; app/caching/bumps.py raises them in the
transaction that makes the change. An article's own discussion has its version on the
article row (``Article.discussion_version``).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import UTCDateTime, utcnow


class VersionScope(enum.StrEnum):
    # What every page shows: footer pages, saved settings, topics, article titles and
    # listings, members' names.
    SITE = "site"
    # Any comment anywhere: the counts of lists and the site's comment feed.
    COMMENTS = "comments"


class CacheVersion(db.Model):
    __tablename__ = "cache_versions"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(default=1)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
