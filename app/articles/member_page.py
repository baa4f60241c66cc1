"""The article page for a member: a kept shell, with everything personal put in per request.

What a member who may write sees of an article page is the same for every such member but
for three things: their name in the header, the CSRF token of their session, and the thread
(their own comments, waiting or not, with their controls). The page is rendered once for a
nameless member with a placeholder for each of those three and kept in the page cache under
the same versions the reader's page uses (app/services/page_cache.py), the language, the
address and the comment settings the form shows. Each request then reads the versions, puts
together the viewer's own thread (app/comments/thread_view.py) and fills the placeholders.
Nothing personal is ever kept.

Anything unusual goes the ordinary way (the caller renders the page as before): a moderator,
a member who may not write here, comments closed, another query than ?page=, a flashed
message or a just-posted comment waiting in the session, an article that is not public.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from flask import abort, current_app, g, render_template, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import escape
from werkzeug.exceptions import HTTPException

from app.comments.discussion import POSTED_KEY, discussion_context
from app.comments.thread_render import stand_in
from app.comments.thread_view import ThreadView
from app.extensions import db, login_manager
from app.models import utcnow
from app.notifications import personal
from app.permissions import can_write, is_moderator
from app.services import articles as article_service
from app.services import comments as comment_service
from app.services import page_cache

# New in every process, so they cannot be typed into a page on purpose.
_NONCE = secrets.token_hex(12)
THREAD_MARK = f"thread-slot-{_NONCE}"
NAME_MARK = f"name-slot-{_NONCE}"
CSRF_MARK = f"csrf-slot-{_NONCE}"
_MARKS = re.compile("(" + "|".join((THREAD_MARK, NAME_MARK, CSRF_MARK, *personal.MARKS)) + ")")
_THREAD, _NAME, _CSRF = (mark.encode() for mark in (THREAD_MARK, NAME_MARK, CSRF_MARK))
THREAD_TEMPLATE = "comments/_thread.html"
_settings: dict[str, dict] = {}  # comment settings by the signature of the saved ones


@dataclass(frozen=True)
class ArticleVersion:
    """What the thread needs of the article, as the versions statement read it."""

    id: int
    slug: str
    discussion_version: int
    comments_open: bool


def usable() -> bool:
    return (
        page_cache.cache_for(current_app).enabled
        and request.method == "GET"
        and current_user.is_authenticated
        and not is_moderator(current_user)
        and set(request.args) <= {"page"}
        and "_flashes" not in session
        and POSTED_KEY not in session
    )


def shell_key(slug: str, state: page_cache.ArticleState, locale: str, full_path: str) -> tuple:
    return ("member-page", slug, state.shown, locale, full_path)


def thread_key(
    state: page_cache.ArticleState,
    locale: str,
    full_path: str,
    page: int,
    depth: int,
    per_page: int,
) -> tuple:
    """The thread of a member who owns no comment there (and may write): the same for all."""
    return ("member-thread", state.shown, locale, full_path, page, depth, per_page)


def fill(
    parts: tuple[bytes, ...],
    thread_html: bytes,
    name: str,
    csrf_token: str,
    regions: dict[bytes, bytes] | None = None,
) -> bytes:
    """The shell (UTF-8) with its placeholders filled; the name is escaped here. *regions*
    holds the viewer's notices link and follow button where they differ from the shell's."""
    values = {
        _THREAD: thread_html,
        _NAME: str(escape(name)).encode(),
        _CSRF: csrf_token.encode(),
    }
    return b"".join(values.get(part, part) for part in personal.fill_regions(parts, regions))


def member_page(slug: str) -> bytes | None:
    """The page for the logged-in member, or None when it must be rendered the ordinary way."""
    now = utcnow()
    viewer = current_user._get_current_object()
    state = page_cache.article_state(db.session.connection(), slug, now, viewer.id)
    if state is None or not state.comments_open or not can_write(viewer, now):
        return None
    settings = _comment_settings(state.settings)
    cache = page_cache.cache_for(current_app)
    locale, full_path = str(get_locale()), request.full_path
    parts = cache.get(shell_key(slug, state, locale, full_path))
    if parts is None:
        shell = _render_shell(slug, now)
        if shell is None:
            return None
        parts = _split(shell)
        cache.put(shell_key(slug, state, locale, full_path), parts, len(shell) + 200)
    article = ArticleVersion(state.id, slug, state.discussion_version, state.comments_open)
    thread = ThreadView(article, viewer, now, own_comments=state.own_comments)
    page = request.args.get("page", 1, type=int) or 1
    if page < 1 or page > thread.pages:
        abort(404)
    thread_html = _render_thread(thread, page, settings["COMMENT_EDIT_MINUTES"]).encode()
    if state.own_comments == 0:  # nothing of theirs in it: what every such member sees
        config = current_app.config
        shape = (config["COMMENT_MAX_DEPTH"], config["COMMENTS_PER_PAGE"])
        key = thread_key(state, locale, full_path, page, *shape)
        cache.put(key, thread_html, len(thread_html) + 200)
    regions = personal.regions_for(article)
    return fill(parts, thread_html, viewer.display_name, generate_csrf(), regions)


def _comment_settings(signature: str) -> dict:
    """The comment settings, read again only when an admin has saved or reset one."""
    kept = _settings.get(signature)
    if kept is None:
        kept = comment_service.comment_settings(db.session, current_app.config)
        if len(_settings) > 16:
            _settings.clear()
        _settings[signature] = kept
    return kept


def _split(shell: str) -> tuple[bytes, ...]:
    """The shell cut at its placeholders, each placeholder a part of its own, as UTF-8."""
    return tuple(part.encode() for part in _MARKS.split(shell) if part)


def _render_thread(thread: ThreadView, page: int, minutes: int) -> str:
    values = {
        "article": thread.article,
        "render_thread": thread.renderer(page),
        "comment_page": page,
        "comment_pages": thread.pages,
        "comments_open": thread.article.comments_open,
    }
    if not thread.personal:  # nothing to render but the pager: no page context needed
        return current_app.jinja_env.get_template(THREAD_TEMPLATE).render(values)
    viewer, now = thread.viewer, thread.now
    values["may_edit_comment"] = lambda c: comment_service.may_edit(viewer, c, now, minutes)
    return render_template(THREAD_TEMPLATE, **values)


def _render_shell(slug: str, now: datetime) -> str | None:
    """The whole page as a nameless member sees it, with the three placeholders."""
    article = article_service.find_by_slug(db.session, slug).article
    if article is None or not article.is_public_at(now):
        return None
    real = current_user._get_current_object()
    login_manager._update_request_context_with_user(stand_in(True, now, NAME_MARK))
    g.csrf_token = CSRF_MARK  # what generate_csrf() hands every form of this rendering
    try:
        with personal.kept_page_regions():
            return render_template(
                "articles/article.html",
                article=article,
                neighbours=article_service.neighbours(db.session, article, now),
                thread_slot=THREAD_MARK,
                **discussion_context(article, now),
            )
    except HTTPException:
        return None
    finally:
        g.pop("csrf_token", None)
        login_manager._update_request_context_with_user(real)
