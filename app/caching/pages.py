"""Which versions each kind of reader's page depends on (for its views)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response

from app.caching import versions
from app.caching.http import reader_page
from app.extensions import db
from app.models import utcnow


def site_page(render: Callable[[], Any], *, with_comments: bool = True) -> Response:
    """A page that shows what the site versions cover: lists, feeds, fixed pages.

    *with_comments*: the page shows comments or their counts (else only the site's rows).
    """

    def read() -> tuple:
        found = versions.site_versions(db.session.connection(), utcnow())
        parts = (found.site, found.due, found.comments if with_comments else None)
        return parts, found.moments(with_comments=with_comments)

    return reader_page(read, render)


def article_page(slug: str, render: Callable[[], Any]) -> Response:
    """An article's page: its own discussion and what the site shows around it."""

    def read() -> tuple | None:
        found = versions.article_versions(db.session.connection(), slug, utcnow())
        if found is None or not found.public:
            return None  # 404, 410, a former slug's redirect, an admin's preview
        return found.parts, found.site.moments(with_comments=True)

    return reader_page(read, render)
