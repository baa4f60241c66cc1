"""The thread on an article page, put together from kept pieces wherever nothing is personal.

A thread is put together one top-level comment (with its replies) at a time, each comment
rendered on its own (app/caching/nesting.py). Both are kept in the store under the
article's ``comment_look_version``, whether comments are open, the language, the page and
the kind of viewer: a reader, or a nameless member who owns none of the comments (one who
may write, or not; with the page's address, which flag links carry). A top-level thread's
key also holds a digest of its own shape (each comment's id, parent, state and author), so
a new comment or a decision renders one top-level thread again, and in it one comment.

What is personal is never kept for anybody else: the threads holding a member's own comments
(their controls, their waiting and hidden ones, those they flagged) are put together for
them from a light query for those threads alone, and kept for them alone
(app/caching/own_threads.py). Moderators get the whole thread as they see it, built from the
light rows too, with whole comments loaded for the page they look at.

The reader's shape of the whole thread (the top-level threads in order, their members and
digests) is kept under the ``discussion_version``; a request whose pieces are all kept loads
no comments. When it is missing it comes from a light query (no text, no authors), and whole
comments are loaded only where something must be rendered: the first page of a thread of
thousands of comments loads at most the few hundred it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import current_app, request
from flask_babel import get_locale
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from app.caching.http import canonical_address
from app.caching.nesting import (
    CommentRenderer,
    Skeleton,
    comment_key,
    in_order,
    nest,
    stand_in,
    walk,
)
from app.caching.own_threads import OwnThreads
from app.caching.piece_keys import PieceKeys
from app.caching.store import Store, store_of
from app.caching.versions import ArticleVersions
from app.extensions import db
from app.models import Article, Comment
from app.permissions import can_write, is_moderator
from app.services.threads import (
    IDS_PER_QUERY,
    Node,
    Thread,
    build_thread,
    fill_whole_comments,
    load_outline,
)


class ThreadView(OwnThreads):
    """What the comments section needs of the thread, for one viewer and one article."""

    def __init__(
        self,
        article: Article | ArticleVersions,
        viewer: Any,
        now: datetime,
        own_comments: int | None = None,
        edit_minutes: int | None = None,
    ) -> None:
        """*article* may be its versions alone when the thread comes from the store whole
        (:meth:`piece_keys`, :class:`PieceKeys`). With *edit_minutes* (the edit window), the
        threads holding the viewer's own comments are kept for them alone, with their
        token's hole."""
        config = current_app.config
        self.article, self.viewer, self.now = article, viewer, now
        self.edit_minutes = edit_minutes
        self.editable: set[int] = set()  # own comments the viewer may still edit
        self.depth, self.per_page = config["COMMENT_MAX_DEPTH"], config["COMMENTS_PER_PAGE"]
        self.cache: Store = store_of()
        self.outline: list[Any] | None = None  # the shape's rows, when the shape is built
        self._reader_nodes: dict[int, Node] = {}  # top-level threads built for readers
        self.whole: Thread | None = None  # the viewer's whole thread, when rendered for them
        self.skeleton: Skeleton | None = None
        self.roots: list[int] = []  # the top-level threads this viewer sees, in order
        self.personal: set[int] = set()  # those holding the viewer's own comments
        self.flagged: set[int] = set()  # comments the viewer flagged: they say "reported"
        self.own_ids: set[int] = set()  # the viewer's own comments, unless deleted
        self.page = 1
        # A member's pieces carry the address (flag links return to it): kept only under
        # the site's own spelling of it (app/caching/http.py).
        if not self.cache.enabled or is_moderator(viewer) or not self._keepable():
            self._render_whole()
            return
        self.skeleton = self._skeleton()
        self.roots = list(self.skeleton.roots)
        if viewer is not None and own_comments != 0:  # 0: known to own none here
            self._find_personal()

    def _keepable(self) -> bool:
        return self.viewer is None or canonical_address()

    # --- building -------------------------------------------------------------------------

    def _build(self, rows: list[Any], viewer: Any) -> Thread:
        """The thread of *rows* (outline rows standing in for comments) as *viewer* sees it."""
        return build_thread(rows, viewer, self.depth, self.per_page)

    def _outline(self) -> list[Any]:
        """The light rows of every comment of the article, standing in for the comments."""
        if self.outline is None:
            self.outline = load_outline(db.session, self.article.id)
        return self.outline

    def _reader_roots(self, roots: list[int]) -> dict[int, Node] | None:
        """The reader's nodes of these top-level threads, built from their outline alone (whole
        comments are put in where they are rendered); None when the kept shape and the
        comments disagree (a race)."""
        wanted = [root for root in roots if root not in self._reader_nodes]
        if wanted:
            ids = {i for root in wanted for i in self.skeleton.members.get(root, ())}
            if self.outline is not None or len(ids) > IDS_PER_QUERY:
                rows = [row for row in self._outline() if row.id in ids]
            else:
                rows = load_outline(db.session, self.article.id, ids)
            built = self._build(rows, None).roots
            self._reader_nodes.update((node.comment.id, node) for node in built)
        if any(root not in self._reader_nodes for root in roots):
            return None
        return {root: self._reader_nodes[root] for root in roots}

    def _render_whole(self) -> None:
        # From the light rows: whole comments are put in for the page rendered (_pieces).
        self.whole = self._build(self._outline(), self.viewer)

    def _skeleton(self) -> Skeleton:
        article = self.article
        key = ("skeleton", article.id, article.discussion_version, self.depth, self.per_page)
        skeleton = self.cache.get(key)
        if skeleton is None:
            skeleton = Skeleton.of(self._outline())
            self.cache.put(key, skeleton, skeleton.size)
        return skeleton

    # --- what the section asks ------------------------------------------------------------

    @property
    def pages(self) -> int:
        if self.whole is not None:
            return self.whole.pages
        return max(1, -(-len(self.roots) // self.per_page))

    def page_of(self, comment_id: int) -> int | None:
        """The page that shows *comment_id*, or None when this viewer does not see it."""
        if self.whole is None and (
            comment_id in self.skeleton.visible or comment_id in self.own_ids
        ):
            root = self.skeleton.root_of.get(comment_id)
            if root in self.roots:
                return self.roots.index(root) // self.per_page + 1
        if self.whole is None:  # anything else (a placeholder, say) as the whole thread says
            self._render_whole()
        return self.whole.page_of(comment_id)

    def replyable(self, comment_id: int) -> Comment | None:
        """The comment, if it may be answered: of this article and visible to everyone."""
        if self.whole is not None:
            found = self.whole.replyable(comment_id)
            return found if found is None else db.session.get(Comment, comment_id)
        if comment_id not in self.skeleton.visible:
            return None
        found = db.session.get(Comment, comment_id)
        return found if found is not None and found.article_id == self.article.id else None

    def first_page_shape(self) -> tuple | None:
        """What the reader's first page of comments shows depends on, besides how comments
        look: its top-level threads and their shapes. None when rendered whole."""
        if self.skeleton is None:
            return None
        roots = self.skeleton.roots[: self.per_page]
        return tuple((root, self.skeleton.shapes.get(root)) for root in roots)

    def first_page_comments(self, limit: int) -> list[Comment]:
        """The visible comments of the reader's first page in the order shown, at most
        *limit*: what search engines are told about. Loaded whole once, for the page's
        rendering too."""
        found = None
        if self.skeleton is not None:
            found = self._reader_roots(list(self.skeleton.roots[: self.per_page]))
        # Rendered whole (staff, no store) or a race: the reader's view from the light rows.
        tops = (
            list(found.values())
            if found is not None
            else self._build(self._outline(), None).page(1)
        )
        chosen = [node for node in in_order(tops) if node.shown][:limit]
        fill_whole_comments(db.session, chosen)
        return [node.comment for node in chosen]

    def piece_keys(self, page: int) -> PieceKeys | None:
        """Where the top-level threads of *page* are kept for this viewer; None when the
        thread is rendered whole."""
        if self.whole is not None or self.edit_minutes is None:
            return None
        self.page = page
        start = (page - 1) * self.per_page
        window = self.roots[start : start + self.per_page]
        shapes = self.skeleton.shapes
        if any(root not in shapes for root in window):
            return None
        prefix, _ = self._shared_key()
        theirs = tuple((r, (*prefix, r, shapes[r])) for r in window if r not in self.personal)
        own = tuple((r, self._own_key(prefix, r)) for r in window if r in self.personal)
        window_key = (*prefix, "window", tuple(key[-1] for _, key in theirs), tuple(window))
        return PieceKeys(tuple(window), self.pages, window_key, theirs, own)

    def renderer(self, page: int) -> Callable[..., Markup]:
        """For the template: the HTML of the top-level threads of *page*, in order."""

        @pass_context
        def render_thread(context: Context) -> Markup:
            # Each piece is the output of an autoescaped template, so it is safe HTML.
            return Markup("".join(self._pieces(context, page)))  # noqa: S704

        return render_thread

    # --- rendering ------------------------------------------------------------------------

    def _pieces(self, context: Context, page: int) -> list[str]:
        self.page = page
        render = CommentRenderer(context)
        if self.whole is None:
            start = (page - 1) * self.per_page
            window = self.roots[start : start + self.per_page]
            shared = [root for root in window if root not in self.personal]
            pieces = self._shared_pieces(render, shared)
            if pieces is not None:
                mine = [root for root in window if root not in pieces]
                pieces.update(self._personal_pieces(render, mine))
                if all(root in pieces for root in window):
                    return [pieces[root] for root in window]
            self._render_whole()  # the kept shape and the comments disagree: a race
        tops = self.whole.page(page)
        fill_whole_comments(db.session, walk(tops))
        return [nest(node, render) for node in tops]

    def _overrides(self, may_write: bool | None) -> dict[str, Any]:
        """How to render for the viewer who owns nothing: a reader as is, a member stood in."""
        return {} if may_write is None else {"current_user": stand_in(may_write, self.now)}

    def _shared_key(self) -> tuple[tuple, bool | None]:
        """The key of what a viewer like this one, owning nothing, sees; and whether a member
        who may write (None: a reader)."""
        article, viewer = self.article, self.viewer
        if viewer is None:
            kind, may_write = ("reader",), None
        else:
            may_write = can_write(viewer, self.now)
            kind = ("member", may_write)
        prefix = (
            "thread",
            article.id,
            article.comment_look_version,
            article.comments_open,
            str(get_locale()),
            kind,
            request.full_path if viewer is not None else None,  # the flag links carry it
            self.page,  # the reply links carry it
            self.depth,
            self.per_page,
        )
        return prefix, may_write

    def _kept_comments(self, nodes: list[Node], prefix: tuple) -> dict[int, str]:
        """The kept HTML of those of *nodes* that are kept, by comment id: one store read."""
        found = self.cache.get_many((*prefix, *comment_key(node)) for node in nodes)
        return {node.comment.id: html for node, html in zip(nodes, found, strict=True) if html}

    def _kept_comment(
        self, render: CommentRenderer, prefix: tuple, may_write: bool | None, kept: dict
    ) -> Callable[[Node], str]:
        """A comment as a viewer who does not own it sees it: kept, or rendered and kept."""

        def html_of(node: Node) -> str:
            html = kept.get(node.comment.id)
            if html is None:
                html = render(node, **self._overrides(may_write))
                self.cache.put((*prefix, *comment_key(node)), html, 2 * len(html) + 200)
            return html

        return html_of

    def _shared_pieces(self, render: CommentRenderer, roots: list[int]) -> dict | None:
        """Threads without the viewer's comments, as a viewer who owns none of them sees them."""
        prefix, may_write = self._shared_key()
        shapes = self.skeleton.shapes
        if any(root not in shapes for root in roots):
            return None
        keys = [(*prefix, root, shapes[root]) for root in roots]
        pieces = dict(zip(roots, self.cache.get_many(keys), strict=True))
        missing = [root for root, piece in pieces.items() if piece is None]
        if missing:
            nodes = self._reader_roots(missing)
            if nodes is None:
                return None
            below = walk([nodes[root] for root in missing])
            kept = self._kept_comments(below, prefix)
            fill_whole_comments(db.session, [node for node in below if node.comment.id not in kept])
            html_of = self._kept_comment(render, prefix, may_write, kept)
            for root in missing:
                pieces[root] = nest(nodes[root], html_of)
                key = (*prefix, root, shapes[root])
                self.cache.put(key, pieces[root], 2 * len(pieces[root]) + 200)
        return pieces
