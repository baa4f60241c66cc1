"""Addresses content had on the WordPress site it was imported from, for redirects."""

from __future__ import annotations

import enum

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import str_enum


class LegacyTarget(enum.StrEnum):
    ARTICLE = "article"
    PAGE = "page"
    TOPIC = "topic"
    COMMENT = "comment"


class LegacyPath(db.Model):
    """One old address (a path such as ``/2010/10/16/hello/`` or a query such as ``?p=1``).

    Only addresses listed here are redirected, so no request can make the site send a
    visitor anywhere else than to content it imported.
    """

    __tablename__ = "legacy_paths"

    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(String(500), unique=True)
    target: Mapped[LegacyTarget] = mapped_column(str_enum(LegacyTarget))
    target_id: Mapped[int] = mapped_column()
