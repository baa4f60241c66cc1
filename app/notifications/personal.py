"""The personal parts of pages: the header's notices link with its unread count, and the
button to follow an article's discussion. Both depend on who looks, so they are rendered
for each member on every request and are never part of a kept page or piece.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, g, render_template
from flask_login import current_user
from markupsafe import Markup

from app.extensions import db
from app.models import utcnow
from app.notifications import bp
from app.notifications.forms import FollowForm, interval_label
from app.services.notifications import onsite, preferences

LINK_TEMPLATE = "notifications/_header_link.html"
FOLLOW_TEMPLATE = "notifications/_follow.html"


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
    return Markup(render_template(LINK_TEMPLATE, unread=unread_notice_count()))  # noqa: S704


def _follow_html(article: Any, following: bool) -> str:
    form = FollowForm(formdata=None, follow="0" if following else "1")
    minutes = current_app.config["NOTIFICATION_DIGEST_MINUTES"]
    viewer = _viewer_id()
    if viewer and "digest_minutes" in g:  # read with the follow state (read_for_article)
        minutes = int(g.digest_minutes or minutes)
    elif viewer:
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


def read_for_article(article_id: int) -> None:
    """On an article page: the viewer's unread count and whether they follow the article,
    in one statement, for the header and the follow button rendered later (unless the
    member's standing, app/caching/standing.py, has read them already)."""
    viewer = _viewer_id()
    if viewer and article_id not in g.get("article_follows", {}):
        found = onsite.follows_and_unread(db.session, viewer, article_id, utcnow())
        follows, g.unread_notices, g.digest_minutes = found
        g.setdefault("article_follows", {})[article_id] = follows


def follow_control(article: Any) -> Markup:
    viewer = _viewer_id()
    known = g.get("article_follows", {})
    if article.id in known:
        following = bool(viewer) and known[article.id]
    else:
        following = bool(viewer) and preferences.is_following(db.session, viewer, article.id)
    return Markup(_follow_html(article, following))  # noqa: S704


bp.add_app_template_global(unread_notice_count, "unread_notice_count")
bp.add_app_template_global(notices_link, "notices_link")
bp.add_app_template_global(follow_control, "follow_control")
