"""The personal parts of pages: the header's notices link with its unread count, and the
button to follow an article's discussion.

Both depend on who looks, so pages kept for many members (app/articles/member_page.py)
must never hold them. While such a page is rendered for keeping, each part is wrapped in
marks (:func:`kept_page_regions`); the kept page then holds only what a member without
unread notices who does not follow the article sees, and every request puts in the
viewer's own parts where they differ (:func:`regions_for`).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import current_app, g, render_template
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import Connection

from app.extensions import db
from app.models import utcnow
from app.notifications import bp
from app.notifications.forms import FollowForm, interval_label
from app.services.notifications import onsite, preferences

# New in every process, so they cannot be typed into a page on purpose.
_NONCE = secrets.token_hex(12)
UNREAD_START, UNREAD_END = f"notices-from-{_NONCE}", f"notices-to-{_NONCE}"
FOLLOW_START, FOLLOW_END = f"follow-from-{_NONCE}", f"follow-to-{_NONCE}"
MARKS = (UNREAD_START, UNREAD_END, FOLLOW_START, FOLLOW_END)
REGION_END = {
    UNREAD_START.encode(): UNREAD_END.encode(),
    FOLLOW_START.encode(): FOLLOW_END.encode(),
}
LINK_TEMPLATE = "notifications/_header_link.html"
FOLLOW_TEMPLATE = "notifications/_follow.html"


@contextmanager
def kept_page_regions() -> Iterator[None]:
    """Mark the personal parts of what is rendered inside, for a page kept for many."""
    g.notice_regions = True
    try:
        yield
    finally:
        g.pop("notice_regions", None)


def _region(start: str, end: str, html: str) -> Markup:
    if g.get("notice_regions"):
        return Markup(f"{start}{html}{end}")  # noqa: S704 - html is a rendered template
    return Markup(html)  # noqa: S704


def _viewer_id() -> int:
    """The logged-in member's id; 0 for a reader and for the nameless member of kept pages."""
    if not getattr(current_user, "is_authenticated", False):
        return 0
    return int(current_user.id or 0)


def unread_notice_count() -> int:
    """The viewer's unread notices, read once per request."""
    viewer = _viewer_id()
    if not viewer:
        return 0
    if "unread_notices" not in g:
        g.unread_notices = onsite.unread_count(db.session, viewer, utcnow())
    return g.unread_notices


def notices_link() -> Markup:
    html = render_template(LINK_TEMPLATE, unread=unread_notice_count())
    return _region(UNREAD_START, UNREAD_END, html)


def _follow_html(article: Any, following: bool) -> str:
    form = FollowForm(formdata=None, follow="0" if following else "1")
    minutes = current_app.config["NOTIFICATION_DIGEST_MINUTES"]
    viewer = _viewer_id()
    if viewer:
        minutes = preferences.digest_minutes(
            preferences.settings_of(db.session, viewer), current_app.config
        )
    return render_template(
        FOLLOW_TEMPLATE,
        article=article,
        following=following,
        form=form,
        interval=interval_label(minutes),
    )


def follow_control(article: Any) -> Markup:
    viewer = _viewer_id()
    following = bool(viewer) and preferences.is_following(db.session, viewer, article.id)
    return _region(FOLLOW_START, FOLLOW_END, _follow_html(article, following))


def differs_from_kept_page(connection: Connection, viewer_id: int, article_id: int) -> bool:
    """True when the viewer's parts are not those of the kept page (they follow the
    article, or have unread notices): the application has to put them in."""
    follows, unread = onsite.follows_and_unread(connection, viewer_id, article_id, utcnow())
    return follows or unread > 0


def regions_for(article: Any) -> dict[bytes, bytes]:
    """The viewer's own parts where they differ from the kept page's, by their start mark."""
    viewer = _viewer_id()
    follows, unread = onsite.follows_and_unread(db.session, viewer, article.id, utcnow())
    g.unread_notices = unread
    regions: dict[bytes, bytes] = {}
    if unread:
        html = render_template(LINK_TEMPLATE, unread=unread)
        regions[UNREAD_START.encode()] = html.encode()
    if follows:
        regions[FOLLOW_START.encode()] = _follow_html(article, True).encode()
    return regions


def fill_regions(parts: tuple[bytes, ...], regions: dict[bytes, bytes] | None) -> list[bytes]:
    """*parts* (a kept page cut at its marks) with the regions in *regions* replaced and the
    others kept as rendered; the marks themselves are dropped."""
    out: list[bytes] = []
    skip_to: bytes | None = None
    for part in parts:
        if skip_to is not None:
            if part == skip_to:
                skip_to = None
            continue
        end = REGION_END.get(part)
        if end is not None:
            replacement = (regions or {}).get(part)
            if replacement is not None:
                out.append(replacement)
                skip_to = end
            continue
        if part not in _ENDS:
            out.append(part)
    return out


_ENDS = frozenset(REGION_END.values())

bp.add_app_template_global(unread_notice_count, "unread_notice_count")
bp.add_app_template_global(notices_link, "notices_link")
bp.add_app_template_global(follow_control, "follow_control")
