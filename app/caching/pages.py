"""Which versions each kind of reader's page depends on (for its views), and the parts of
pages that are the same for everybody while the site's versions stay the same.

The versions read for a page are left in ``g.site_versions``; :func:`kept_for_site` keeps
what the header, the footer and an article's surroundings show under them, so a member's
page (rendered for them) does not ask the database for those again."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import Response, g
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import Connection

from app.caching import versions
from app.caching.http import reader_page
from app.caching.recent import recently_read
from app.caching.standing import personal_known
from app.caching.store import store_of
from app.extensions import db
from app.models import utcnow


@contextmanager
def _versions_connection() -> Iterator[Connection]:
    """Where the versions statement runs: on PostgreSQL a connection of its own, outside any
    transaction; elsewhere the request's.

    psycopg forgets its prepared statements at every ROLLBACK, and every request ends its
    transaction with one: read in the request's transaction, the versions statement would be
    planned anew each time, which costs PostgreSQL more than running it. In autocommit on its
    own connection it stays prepared. Nothing else changes under READ COMMITTED: every
    statement reads what was committed when it began. SQLite prepares nothing across
    requests, and there the request's connection is the cheaper one.
    """
    if db.engine.dialect.name != "postgresql":
        yield db.session.connection()
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        yield connection


def site_page(render: Callable[[], Any], *, with_comments: bool = True) -> Response:
    """A page that shows what the site versions cover: lists, feeds, fixed pages.

    *with_comments*: the page shows comments or their counts (else only the site's rows).
    """

    def read_now() -> versions.SiteVersions:
        with _versions_connection() as connection:
            return versions.site_versions(connection, utcnow())

    def read(shared: bool) -> tuple:
        found = recently_read(("site",), read_now) if shared else read_now()
        g.site_versions = found
        parts = (found.site, found.due, found.comments if with_comments else None)
        return parts, found.moments(with_comments=with_comments)

    return reader_page(read, render)


def article_page(slug: str, render: Callable[[], Any]) -> Response:
    """An article's page: its own discussion and what the site shows around it."""

    def read_now(member_id: int | None = None) -> versions.ArticleVersions | None:
        with _versions_connection() as connection:
            return versions.article_versions(connection, slug, utcnow(), member_id)

    def read(shared: bool) -> tuple | None:
        # A member's standing comes with the versions (app/caching/shell.py).
        found = recently_read(("article", slug), read_now) if shared else read_now(_member_id())
        if found is not None:
            g.site_versions, g.article_versions = found.site, found
            if found.standing is not None:
                personal_known(found.standing)
        if found is None or not found.public:
            return None  # 404, 410, a former slug's redirect, an admin's preview
        return found.parts, found.site.moments(with_comments=True)

    return reader_page(read, render)


def _member_id() -> int | None:
    return int(current_user.id) if current_user.is_authenticated else None


def kept_for_site(name: str, compute: Callable[[], Any], *extra: Hashable) -> Any:
    """What *compute* gives, kept while the site's versions read for this request (and
    *extra*) stay the same; computed every time where no versions were read."""
    found = g.get("site_versions")
    if found is None:
        return compute()
    return store_of().kept(("site-part", name, found.site, found.due, *extra), compute)


def kept_block(name: str, *parts: Hashable, caller: Callable[[], str]) -> Markup:
    """For templates: ``{% call kept_block("name", ...) %}...{% endcall %}`` around a part of
    a page that is the same for every viewer (never anything personal inside!). Kept by the
    site's versions, the language and *parts*; rendered where no versions were read."""
    if g.get("site_versions") is None:
        return Markup(caller())  # noqa: S704 - the output of an autoescaped template
    html = kept_for_site("block", lambda: str(caller()), name, str(get_locale()), *parts)
    return Markup(html)  # noqa: S704
