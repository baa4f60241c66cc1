"""A member's article page from a kept shell, with their personal parts rendered for them.

Around the personal parts of an article page, every template marks the place with
``{% call personal_part("name") %}…{% endcall %}``: the header's account area (name, unread
notices, the logout form with its CSRF token), the thread (the viewer's own comments, their
controls and flags) and the writing area (the comment form with its token and submission
key, the follow button). Everything else on the page is the same for every member who is not
staff: it is rendered once with a nameless member passed to the template as
``current_user`` (an explicit template variable, which Flask lets win over the context
processors) and with each personal part left as a mark, and kept under the article's
versions, the address and the language.

Each request of such a member then renders only the personal parts, with the real
``current_user`` and ``csrf_token()``, and puts them into the kept shell. A shell that holds
a CSRF field (a personal part not marked) is never kept. Staff, flashed messages, a
just-posted comment, ``?reply_to=`` and drafts get the whole page rendered as usual.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import g, render_template, request, session
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from app.caching.nesting import stand_in
from app.caching.store import store_of
from app.models import Article
from app.permissions import is_admin, is_moderator

# New in every process, so nobody can type one into a page on purpose.
_NONCE = secrets.token_hex(12)
SLOTS = ("account", "thread", "write")
_MARKS = {name: f"<!--personal-{_NONCE}-{name}-->" for name in SLOTS}
_BY_MARK = {mark: name for name, mark in _MARKS.items()}
_TEMPLATES = {
    "account": "_partials/header_personal.html",
    "thread": "comments/_thread.html",
    "write": "comments/_write.html",
}


def personal_part(name: str, caller: Callable[[], str]) -> Markup:
    """For templates: the part rendered here, or its mark while a shell is rendered."""
    if g.get("rendering_shell"):
        return Markup(_MARKS[name])  # noqa: S704 - a fixed comment
    return Markup(caller())  # noqa: S704 - the output of an autoescaped template


def usable(posted_key: str) -> bool:
    """Whether this request's article page may come from a shell."""
    return (
        store_of().enabled
        and request.method == "GET"
        and g.get("site_versions") is not None
        and current_user.is_authenticated
        and not is_moderator(current_user)
        and not is_admin(current_user)
        and set(request.args) <= {"page"}
        and "_flashes" not in session
        and posted_key not in session
    )


def _split(html: str) -> tuple[str, ...] | None:
    parts: list[str] = []
    rest = html
    for name in SLOTS:
        before, mark, rest = rest.partition(_MARKS[name])
        if not mark:
            return None
        parts.extend((before, _MARKS[name]))
    parts.append(rest)
    return tuple(parts)


def member_page(
    article: Article, now: datetime, context: dict[str, Any], page_values: dict[str, Any]
) -> str | None:
    """The page for the logged-in member from the kept shell; None to render it whole.

    *context* is the discussion's (for the viewer), *page_values* what the page template
    needs besides it (the article, its neighbours).
    """
    versions = g.site_versions
    key = (
        "member-shell",
        request.full_path,
        str(get_locale()),
        versions.site,
        versions.due,
        article.id,
        article.discussion_version,
        article.comments_open,
    )
    store = store_of()
    parts = store.get(key)
    if parts is None:
        g.rendering_shell = True
        try:
            html = render_template(
                "articles/article.html",
                **page_values,
                comment_count=context["comment_count"],
                thread=context["thread"],
                current_user=stand_in(True, now),
            )
        finally:
            g.pop("rendering_shell", None)
        parts = _split(html) if 'name="csrf_token"' not in html else None
        if parts is None:
            return None
        store.put(key, parts)
    values = {**page_values, **context}
    return "".join(
        render_template(_TEMPLATES[_BY_MARK[part]], **values) if part in _BY_MARK else part
        for part in parts
    )
