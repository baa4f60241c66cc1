"""Fixed pages such as Impressum and Datenschutz, linked from every page's footer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from app.models import Page
from app.services.errors import Conflict, InvalidInput
from app.services.publishing import TITLE_MAX, check_body, render_body
from app.services.slugs import is_valid_slug, slugify


class PageSlugTaken(Conflict):
    field = "slug"


class StalePageEdit(Conflict):
    """The page was saved by someone else after the editor was opened."""


@dataclass
class PageInput:
    title: str
    body: str
    slug: str | None = None
    footer_position: int = 0


def all_pages(session: Session) -> list[Page]:
    return list(session.scalars(select(Page).order_by(Page.footer_position, Page.title)))


def _check_slug(session: Session, slug: str, page: Page | None) -> None:
    if not is_valid_slug(slug):
        raise InvalidInput(
            _l("A slug is lower-case letters a–z, digits and hyphens."), field="slug"
        )
    owner = session.scalar(select(Page.id).where(Page.slug == slug))
    if owner is not None and (page is None or owner != page.id):
        raise PageSlugTaken(_l("Another page has this slug; choose another."))


def _check_title(raw: str) -> str:
    title = " ".join(raw.split())
    if not title or len(title) > TITLE_MAX:
        raise InvalidInput(
            _l("Please give the page a title of at most %(num)d characters.", num=TITLE_MAX),
            field="title",
        )
    return title


def _apply(page: Page, data: PageInput, now: datetime) -> None:
    page.title = _check_title(data.title)
    page.body = check_body(data.body, page.body_format)
    page.body_html = render_body(page.body, page.body_format)
    page.footer_position = data.footer_position
    page.updated_at = now


def create_page(session: Session, data: PageInput, now: datetime) -> Page:
    _check_title(data.title)
    slug = data.slug or slugify(data.title)
    _check_slug(session, slug, None)
    page = Page(slug=slug, revision=1)
    _apply(page, data, now)
    session.add(page)
    session.flush()
    return page


def update_page(
    session: Session, page: Page, data: PageInput, now: datetime, expected_revision: int
) -> Page:
    """Save *data* over *page* unless someone saved it after *expected_revision* was read."""
    stale = StalePageEdit(
        _l(
            "Someone else saved this page after you opened it. Your text is kept "
            "below; compare it with the current version before saving again."
        )
    )
    if expected_revision != page.revision:
        raise stale
    claimed = session.execute(
        update(Page)
        .where(Page.id == page.id, Page.revision == expected_revision)
        .values(revision=expected_revision + 1)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise stale
    set_committed_value(page, "revision", expected_revision + 1)
    slug = data.slug or page.slug
    if slug != page.slug:
        _check_slug(session, slug, page)
        page.slug = slug
    _apply(page, data, now)
    session.flush()
    return page


def delete_page(session: Session, page: Page) -> None:
    """Pages have no comments or history to keep, so they are removed outright."""
    session.delete(page)
    session.flush()
