"""The top-level threads that hold a member's own comments (or comments they flagged): put
together for them alone, and kept for them alone.

Only the viewer's own comments are rendered for them; every other comment in those threads
looks the same to them as to any member and comes from the store. What they see is kept
under their id, the thread's shape, which of their comments they may still edit (the edit
window closes by the clock, without any write) and which they flagged, with the CSRF token
of their forms left as a hole (app/caching/holes.py), so a later request of theirs renders
nothing at all (app/caching/piece_keys.py), and a page put together for them
(the one after posting, say) renders only the threads that changed.

A mixin of app/caching/fragments.py's ``ThreadView``, which holds the state it uses.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask_wtf.csrf import generate_csrf
from sqlalchemy import bindparam, select, union_all

from app.caching.holes import VALUE_MARKS, cut, fill, with_token_marked
from app.caching.nesting import CommentRenderer, nest, walk
from app.caching.store import Store
from app.extensions import db
from app.models import Comment, CommentStatus, Flag, fixed
from app.services.threads import Node, fill_whole_comments, load_outline


def _own_and_flagged() -> Any:
    """The viewer's own comments on the article and those they flagged: id, state, when
    written, and whether it is a flag."""
    article, viewer = bindparam("article"), bindparam("viewer")
    theirs = select(Comment.id, Comment.status, Comment.created_at, fixed(0)).where(
        Comment.article_id == article, Comment.author_id == viewer
    )
    flagged = (
        select(Flag.comment_id, Comment.status, Comment.created_at, fixed(1))
        .join(Comment, Comment.id == Flag.comment_id)
        .where(Comment.article_id == article, Flag.user_id == viewer)
    )
    return union_all(theirs, flagged)


# Built once: building it and its cache key on every request cost more than running it.
OWN_AND_FLAGGED = _own_and_flagged()


def own_rows(cache: Store | None, article: Any, viewer_id: int) -> list[tuple]:
    """The viewer's own comments on *article* and those they flagged, kept in *cache* (when
    given) under the discussion's version, which every change of them raises."""

    def read() -> list[tuple]:
        params = {"article": article.id, "viewer": viewer_id}
        return [tuple(row) for row in db.session.execute(OWN_AND_FLAGGED, params)]

    if cache is None:
        return read()
    return cache.kept(("own-rows", article.id, article.discussion_version, viewer_id), read)


def editable_ids(rows: list[tuple], now: datetime, minutes: int) -> set[int]:
    """Which of the viewer's comments they may still edit: what can_edit_comment decides for
    a member who may write, by the clock (so never kept)."""
    since = now - timedelta(minutes=minutes)
    return {
        row[0] for row in rows if not row[3] and row[1] != CommentStatus.DELETED and row[2] >= since
    }


class OwnThreads:
    """The viewer's own threads, for ``ThreadView``."""

    viewer: Any
    skeleton: Any

    def _find_personal(self) -> None:
        keep = self.edit_minutes is not None
        rows = own_rows(self.cache if keep else None, self.article, self.viewer.id)
        own = [(row[0], CommentStatus(row[1])) for row in rows if not row[3]]
        self.flagged = {row[0] for row in rows if row[3]}
        self.own_ids = {comment_id for comment_id, status in own if status != CommentStatus.DELETED}
        if self.edit_minutes is not None:
            self.editable = editable_ids(rows, self.now, self.edit_minutes)
        skeleton, extra = self.skeleton, set()
        shown = [(comment_id, CommentStatus.VISIBLE) for comment_id in self.flagged]
        own = [*own, *(item for item in shown if item[0] in skeleton.visible)]
        for comment_id, status in own:
            if status is CommentStatus.DELETED:
                continue  # shown to its author exactly as to everyone else
            root = skeleton.root_of.get(comment_id)
            if root is None:  # outside every thread (a loop in hand-edited data)
                self._render_whole()
                return
            self.personal.add(root)
            if root not in skeleton.members or root not in skeleton.rank:
                self._render_whole()
                return
            extra.add(root)
        extra -= set(skeleton.roots)
        if extra:  # threads only this viewer sees (their own waiting comment, say)
            self.roots = sorted(set(self.roots) | extra, key=skeleton.rank.__getitem__)

    def _own_key(self, prefix: tuple, root: int) -> tuple:
        """A top-level thread holding the viewer's comments, as they see it: their id, the
        thread's shape, which of their comments they may still edit, which they flagged."""
        members = self.skeleton.members.get(root, ())
        mine = tuple(sorted(self.editable.intersection(members)))
        flagged = tuple(sorted(self.flagged.intersection(members)))
        return (*prefix, "own", self.viewer.id, root, self.skeleton.shapes.get(root), mine, flagged)

    def _personal_pieces(self, render: CommentRenderer, roots: list[int]) -> dict[int, str]:
        """The threads holding the viewer's own comments, put together for them alone (and,
        with an edit window given, kept for them).

        Threads kept for them are taken with the token of this request. Of the others, only
        the viewer's own comments are rendered; every other comment in these threads looks
        the same to them as to any member and comes from the store. The shape is built from
        a light query; whole comments are loaded only where rendering needs them.
        """
        if not roots:  # the usual case on a page: nothing of theirs to put together
            return {}
        prefix, may_write = self._shared_key()
        keep = self.edit_minutes is not None
        pieces = self._kept_own_pieces(prefix, roots) if keep else {}
        missing = [root for root in roots if root not in pieces]
        if not missing:
            return pieces
        ids = [comment_id for root in missing for comment_id in self.skeleton.members[root]]
        shape = load_outline(db.session, self.article.id, ids)
        nodes = {node.comment.id: node for node in self._build(shape, self.viewer).roots}
        tops = [nodes[root] for root in missing if root in nodes]
        below = walk(tops)
        kept = self._kept_comments([node for node in below if not self._personal(node)], prefix)
        fill_whole_comments(db.session, [node for node in below if node.comment.id not in kept])
        shared = self._kept_comment(render, prefix, may_write, kept)

        def html_of(node: Node) -> str:
            return render(node) if self._personal(node) else shared(node)

        rendered = {node.comment.id: nest(node, html_of) for node in tops}
        if keep:  # kept for this viewer alone, token left out
            token = generate_csrf()
            for root, html in rendered.items():
                if root in self.skeleton.shapes:
                    parts = cut(with_token_marked(html, token), VALUE_MARKS)
                    self.cache.put(self._own_key(prefix, root), parts, 2 * len(html) + 200)
        return pieces | rendered

    def _kept_own_pieces(self, prefix: tuple, roots: list[int]) -> dict[int, str]:
        """Those of the viewer's threads *roots* that are kept for them, filled in with this
        request's token: one store read."""
        wanted = [root for root in roots if root in self.skeleton.shapes]
        found = self.cache.get_many(self._own_key(prefix, root) for root in wanted)
        token = {"token": generate_csrf().encode()}
        return {
            root: fill(parts, token).decode()
            for root, parts in zip(wanted, found, strict=True)
            if parts is not None
        }

    def _personal(self, node: Node) -> bool:
        """Rendered for the viewer alone: their own comments and those they flagged."""
        return node.comment.author_id == self.viewer.id or node.comment.id in self.flagged
