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

The account area and the writing area are kept as well, with holes (app/caching/holes.py)
where the member's name, the CSRF token and the form's submission key go, under what else
shapes them (the unread count; the follow state, whether comments are open). For a member
who owns comments in the thread, its frame (the list around the top-level threads, the
pager) is kept, and the top-level threads come from the store: everybody else's as every
member sees them, those holding their own comments kept for them alone (app/caching/
fragments.py, own_threads.py). A request then reads the account and the versions with the
member's standing (one statement each; an author's own comments and flags are kept with the
discussion's version), takes the kept parts and fills the holes with the real
``current_user``'s name, Flask-WTF's token and a new submission key: the article is not even
loaded.

A part in which the real token of the request shows is never kept. Staff, flashed messages,
a just-posted comment, ``?reply_to=``, drafts and a member who may not write get the whole
page rendered as usual.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

from flask import current_app, g, render_template, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from app.caching import holes
from app.caching.fragments import ThreadView
from app.caching.http import canonical_address
from app.caching.nesting import stand_in
from app.caching.own_threads import editable_ids, own_rows
from app.caching.piece_keys import PieceKeys
from app.caching.store import store_of
from app.caching.versions import ArticleVersions
from app.comments.discussion import edit_minutes, requested_page, writing_mode
from app.models import Article
from app.permissions import can_write, is_admin, is_moderator
from app.services.comments import new_submission_key

SLOTS = ("account", "thread", "write")
_SLOT_MARKS = {name: f"<!--personal-{holes.NONCE}-{name}-->" for name in SLOTS}
_PIECES_MARK = {"pieces": f"<!--pieces-{holes.NONCE}-->"}  # in the frame of an owner's thread
_TEMPLATES = {
    "account": "_partials/header_personal.html",
    "thread": "comments/_thread.html",
    "write": "comments/_write.html",
}


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
        and canonical_address()
        and "_flashes" not in session
        and posted_key not in session
    )


# The writing areas kept with holes: the form, and the notice that comments are closed. Why
# one may not write is the member's own and rendered for them.
KEPT_MODES = ("form", "closed")


def _keys(
    found: ArticleVersions,
    may_write: bool,
    mode: str,
    inline_thread: bool,
    pages: int | None = None,
) -> dict[str, tuple]:
    """The keys of the parts; *mode*: the writing area's; *pages*: how many pages of
    comments the member has (their own waiting threads may make more), which the frame's
    pager says."""
    standing = found.standing
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
            mode,
            standing.follows,
            standing.digest_minutes,
        ),
        "frame": ("member-thread-frame", *place, found.parts, pages),
    }


def _values() -> dict[str, bytes]:
    """What goes into the holes for this request."""
    return {
        "name": str(escape(current_user.display_name)).encode(),
        "token": generate_csrf().encode(),
        "submission": new_submission_key().encode(),
    }


def _filled(part: holes.Parts | str | bytes, values: dict[str, bytes]) -> bytes:
    """A kept part filled in; a part rendered for this request as it is."""
    if isinstance(part, bytes):
        return part
    return part.encode() if isinstance(part, str) else holes.fill(part, values)


def _assemble(
    shell: holes.Parts, parts: dict[str, holes.Parts | str | bytes], values: dict[str, bytes]
) -> bytes:
    return holes.fill(shell, {name: _filled(part, values) for name, part in parts.items()})


def kept_member_page(now: datetime) -> bytes | None:
    """The page from kept parts alone, before the article is loaded; None when one is
    missing."""
    versions: ArticleVersions = g.article_versions
    mode, _ = writing_mode(versions, now)
    if versions.standing is None or mode not in KEPT_MODES:
        return None
    may_write, owns_here = can_write(current_user, now), versions.standing.owns_here
    wanted, pieces, pages = ["shell", "account", "write"], None, None
    if owns_here:  # the thread from kept top-level threads, their own included
        where = _owners_pieces(versions, now, may_write)
        pieces = where.read(store_of()) if where is not None else None
        if pieces is None:
            return None
        wanted.append("frame")
        pages = where.pages
    keys = _keys(versions, may_write, mode, not owns_here, pages)
    found = store_of().get_many(keys[name] for name in wanted)
    parts: dict[str, Any] = dict(zip(wanted, found, strict=True))
    if any(part is None for part in parts.values()):
        return None
    values = _values()
    shell = parts.pop("shell")
    if pieces is not None:
        frame = parts.pop("frame")
        joined = b"".join(_filled(piece, values) for piece in pieces)
        parts["thread"] = holes.fill(frame, {"pieces": joined})
    return _assemble(shell, parts, values)


def _owners_pieces(versions: ArticleVersions, now: datetime, may_write: bool) -> PieceKeys | None:
    """Where the top-level threads of the page are kept for a member who owns comments in
    the thread. That is itself kept, under everything it depends on: the
    discussion (shape, states, their comments and flags), how comments look, the address,
    the language, whether they may write and which of their comments they may still edit."""
    store, minutes, config = store_of(), edit_minutes(), current_app.config
    rows = own_rows(store, versions, int(current_user.id))
    editable = tuple(sorted(editable_ids(rows, now, minutes)))
    index = (
        "owner-pieces",
        int(current_user.id),
        request.full_path,
        str(get_locale()),
        versions.parts,
        versions.comment_look_version,
        may_write,
        editable,
        config["COMMENT_MAX_DEPTH"],
        config["COMMENTS_PER_PAGE"],
    )
    where = store.get(index)
    if where is None:
        thread = ThreadView(versions, current_user, now, edit_minutes=minutes)
        page = requested_page(thread.pages)
        where = thread.piece_keys(page) if page is not None else None
        if where is None:
            return None
        store.put(index, where)
    return where


def member_page(
    article: Article, now: datetime, context: dict[str, Any], page_values: dict[str, Any]
) -> bytes | None:
    """The page for the logged-in member, from kept parts where they are kept and rendering
    (and keeping) the others; None to render it whole.

    *context* is the discussion's (for the viewer), *page_values* what the page template
    needs besides it (the article, its neighbours).
    """
    found: ArticleVersions = g.article_versions
    if found.standing is None:
        return None
    thread = context["thread"]
    inline_thread = thread.whole is None and not thread.personal
    may_write, mode = can_write(current_user, now), context["writing_mode"]
    keys = _keys(found, may_write, mode, inline_thread, thread.pages)
    values = {**page_values, **context}
    store, token = store_of(), generate_csrf()

    def kept(name: str, render: Callable[[], str], marks: dict[str, str]) -> holes.Parts | None:
        parts = store.get(keys[name])
        if parts is None:
            html = render()
            # Something personal that is not marked (in the shell, which has no holes, any
            # token at all): such a part is never kept.
            if token in html or (name == "shell" and 'name="csrf_token"' in html):
                return None
            parts = holes.cut(html, marks)
            store.put(keys[name], parts, 2 * len(html) + 200)
        return parts

    slots = ("account", "write") if inline_thread else SLOTS
    shell = kept("shell", lambda: _render_shell(values, may_write, now, slots), _SLOT_MARKS)
    if shell is None:
        return None
    parts: dict[str, holes.Parts | str] = {}
    for name in slots:
        part = None
        if name == "account" or (name == "write" and mode in KEPT_MODES):
            render = partial(_render_holes, name, values, now, token)
            part = kept(name, render, holes.VALUE_MARKS)
        parts[name] = part if part is not None else render_template(_TEMPLATES[name], **values)
    if not inline_thread and thread.whole is None:  # its frame, for the next request
        kept("frame", lambda: _render_frame(values), _PIECES_MARK)
    return _assemble(shell, parts, _values())


def _render_shell(
    values: dict[str, Any], may_write: bool, now: datetime, slots: tuple[str, ...]
) -> str:
    g.shell_slots = slots  # personal_part leaves these as slots
    try:
        return render_template(
            "articles/article.html", **values, current_user=stand_in(may_write, now)
        )
    finally:
        g.pop("shell_slots", None)


def _render_holes(name: str, values: dict[str, Any], now: datetime, token: str) -> str:
    """The part as the member sees it, with holes where their name, token and submission
    key were (each a random string that shows nowhere else)."""
    member = stand_in(True, now, name=holes.VALUE_MARKS["name"])
    html = render_template(_TEMPLATES[name], **values, current_user=member)
    html = holes.with_token_marked(html, token)
    form = values.get("comment_form")
    if form is not None and form.submission.data:
        html = html.replace(form.submission.data, holes.VALUE_MARKS["submission"])
    return html


def _render_frame(values: dict[str, Any]) -> str:
    """The thread's list and pager, a mark where its top-level threads go."""
    mark = Markup(_PIECES_MARK["pieces"])  # noqa: S704 - a fixed comment
    return render_template(_TEMPLATES["thread"], **{**values, "render_thread": lambda: mark})
