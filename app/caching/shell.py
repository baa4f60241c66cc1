"""A member's article page from kept parts, with what is theirs filled in.

Around the personal parts of an article page, every template marks the place with
``{% call personal_part("name") %}…{% endcall %}``: the header's account area (name, unread
notices, the logout form with its CSRF token), the thread (the viewer's own comments, their
controls and flags) and the writing area (the comment form with its token and submission
key, the follow button). Everything else on the page is the same for every member who is not
staff: the *shell* is rendered once with a nameless member passed to the template as
``current_user`` (an explicit template variable, which Flask lets win over the context
processors) and each personal part left as a slot, and kept under the article's versions,
the address, the language and whether that member may write. For a member who owns nothing
in the thread (app/caching/standing.py) the thread is part of the shell too.

The account area and the writing area are kept as well, rendered with *holes* where the
member's name, the CSRF token and the form's submission key go, under what else shapes them
(the unread count; the follow state, whether comments are open). A request of such a member
then reads the versions, their standing (one statement each) and the three kept parts, and
fills the holes with the real ``current_user``'s name, Flask-WTF's ``csrf_token()`` and a
new submission key: the article is not even loaded. The threads holding a member's own
comments are rendered for them on every request (app/caching/fragments.py).

Kept parts hold the names of their slots and holes, never the marks rendered into them (new
in every process, so nobody can type one into a page on purpose): a part kept in Redis by
one worker is filled by any other. A part in which the real token of the request shows is
never kept. Staff, flashed messages, a just-posted comment, ``?reply_to=``, drafts and a
member who may not write get the whole page rendered as usual.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from flask import g, render_template, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from app.caching.nesting import stand_in
from app.caching.standing import Standing, read_standing
from app.caching.store import store_of
from app.caching.versions import ArticleVersions
from app.models import Article
from app.permissions import can_write, is_admin, is_moderator
from app.services.comments import new_submission_key

_NONCE = secrets.token_hex(12)
SLOTS = ("account", "thread", "write")
HOLES = ("name", "token", "submission")
_SLOT_MARKS = {name: f"<!--personal-{_NONCE}-{name}-->" for name in SLOTS}
# Letters and digits only: escaping leaves them as they are wherever a template puts them.
_HOLE_MARKS = {name: f"hole{_NONCE}{name}" for name in HOLES}
_TEMPLATES = {
    "account": "_partials/header_personal.html",
    "thread": "comments/_thread.html",
    "write": "comments/_write.html",
}
Parts = tuple[bytes | str, ...]  # text (UTF-8), name, text, name, …, text


def personal_part(name: str, caller: Callable[[], str]) -> Markup:
    """For templates: the part rendered here, or its slot while a shell is rendered."""
    if name in g.get("shell_slots", ()):
        return Markup(_SLOT_MARKS[name])  # noqa: S704 - a fixed comment
    return Markup(caller())  # noqa: S704 - the output of an autoescaped template


def usable(posted_key: str) -> bool:
    """Whether this request's article page may come from kept parts."""
    found = g.get("article_versions")
    return (
        store_of().enabled
        and request.method == "GET"
        and found is not None
        and found.public
        and current_user.is_authenticated
        and not is_moderator(current_user)
        and not is_admin(current_user)
        and set(request.args) <= {"page"}
        and "_flashes" not in session
        and posted_key not in session
    )


def _cut(html: str, marks: dict[str, str]) -> Parts:
    """*html* as encoded text and the names of the marks in it, alternately (kept encoded:
    encoding a whole page again on every request costs more than filling it in)."""
    by_mark = {mark: name for name, mark in marks.items()}
    pattern = "|".join(re.escape(mark) for mark in marks.values())
    pieces = re.split(f"({pattern})", html)
    return tuple(
        by_mark[piece] if index % 2 else piece.encode() for index, piece in enumerate(pieces)
    )


def _fill(parts: Parts, values: dict[str, bytes]) -> bytes:
    return b"".join(values[part] if index % 2 else part for index, part in enumerate(parts))  # type: ignore[misc]


def _writing_mode(found: ArticleVersions, may_write: bool) -> str | None:
    """The writing area kept for this member: "form" or "closed"; None when it is theirs alone
    (why they may not write)."""
    if not found.comments_open:
        return "closed"
    return "form" if may_write else None


def _keys(
    found: ArticleVersions, standing: Standing, may_write: bool, inline_thread: bool
) -> dict[str, tuple]:
    place = (request.full_path, str(get_locale()))
    return {
        "shell": ("member-shell", *place, found.parts, may_write, inline_thread),
        "account": ("member-account", str(get_locale()), standing.unread),
        "write": (
            "member-write",
            *place,
            found.site.site,
            found.id,
            found.comments_open,
            _writing_mode(found, may_write),
            standing.follows,
            standing.digest_minutes,
        ),
    }


def _holes() -> dict[str, bytes]:
    return {
        "name": str(escape(current_user.display_name)).encode(),
        "token": generate_csrf().encode(),
        "submission": new_submission_key().encode(),
    }


def _assemble(shell: Parts, parts: dict[str, Parts | str], holes: dict[str, bytes]) -> bytes:
    slots = {
        name: part.encode() if isinstance(part, str) else _fill(part, holes)
        for name, part in parts.items()
    }
    return _fill(shell, slots)


def kept_member_page(now: datetime) -> bytes | None:
    """The page from kept parts alone, before the article is loaded; None when one is
    missing or the member owns something in the thread."""
    found: ArticleVersions = g.article_versions
    standing = found.standing or read_standing(int(current_user.id), found.id, now)
    may_write = can_write(current_user, now)
    if standing.owns_here or _writing_mode(found, may_write) is None:
        return None
    keys = _keys(found, standing, may_write, inline_thread=True)
    shell, account, write = store_of().get_many(keys.values())
    if shell is None or account is None or write is None:
        return None
    return _assemble(shell, {"account": account, "write": write}, _holes())


@contextmanager
def _rendering(flag: str, value: Any) -> Iterator[None]:
    setattr(g, flag, value)
    try:
        yield
    finally:
        g.pop(flag, None)


def member_page(
    article: Article, now: datetime, context: dict[str, Any], page_values: dict[str, Any]
) -> bytes | None:
    """The page for the logged-in member, from kept parts where they are kept and rendering
    (and keeping) the others; None to render it whole.

    *context* is the discussion's (for the viewer), *page_values* what the page template
    needs besides it (the article, its neighbours).
    """
    found: ArticleVersions = g.article_versions
    thread = context["thread"]
    inline_thread = thread.whole is None and not thread.personal
    standing = found.standing or read_standing(int(current_user.id), found.id, now)
    may_write = can_write(current_user, now)
    keys = _keys(found, standing, may_write, inline_thread)
    values = {**page_values, **context}
    store, token = store_of(), generate_csrf()

    def kept(name: str, render: Callable[[], str], marks: dict[str, str]) -> Parts | None:
        parts = store.get(keys[name])
        if parts is None:
            html = render()
            # Something personal that is not marked (in the shell, which has no holes, any
            # token at all): such a part is never kept.
            if token in html or (name == "shell" and 'name="csrf_token"' in html):
                return None
            parts = _cut(html, marks)
            store.put(keys[name], parts, 2 * len(html) + 200)
        return parts

    slots = ("account", "write") if inline_thread else SLOTS
    shell = kept("shell", lambda: _render_shell(values, may_write, now, slots), _SLOT_MARKS)
    if shell is None:
        return None
    kept_mode = _writing_mode(found, may_write)
    parts: dict[str, Parts | str] = {}
    for name in slots:
        part = None
        if name == "account" or (name == "write" and values["writing_mode"] == kept_mode):
            part = kept(name, lambda n=name: _render_holes(n, values, now, token), _HOLE_MARKS)
        parts[name] = part if part is not None else render_template(_TEMPLATES[name], **values)
    return _assemble(shell, parts, _holes())


def _render_shell(
    values: dict[str, Any], may_write: bool, now: datetime, slots: tuple[str, ...]
) -> str:
    with _rendering("shell_slots", slots):
        return render_template(
            "articles/article.html", **values, current_user=stand_in(may_write, now)
        )


def _render_holes(name: str, values: dict[str, Any], now: datetime, token: str) -> str:
    """The part as the member sees it, with holes where their name, token and submission
    key were (each a random string that shows nowhere else)."""
    member = stand_in(True, now, name=_HOLE_MARKS["name"])
    html = render_template(_TEMPLATES[name], **values, current_user=member)
    html = html.replace(token, _HOLE_MARKS["token"])
    form = values.get("comment_form")
    if form is not None and form.submission.data:
        html = html.replace(form.submission.data, _HOLE_MARKS["submission"])
    return html
