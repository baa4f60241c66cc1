"""The discussion under an article as a tree: loaded in a query or two, built in Python.

What a viewer sees depends only on the comments and on the viewer: a reader (``viewer``
None) sees exactly the visible comments plus placeholders, so that view can be kept (see
app/caching/fragments.py); a member additionally sees their own pending and hidden
comments, a moderator everything but the text of deleted comments. The tree is built from
the outline's light rows (one query), into which whole comments are put where they are
rendered (one more).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Comment, CommentStatus
from app.permissions import can_see_comment

# Nesting below two levels needs a level to nest in; a smaller setting would leave none.
MIN_DISPLAY_DEPTH = 2


# Ids per statement when loading comments by id: well below the bound parameters either
# database accepts in one statement.
IDS_PER_QUERY = 5_000


def load_comments_by_id(session: Session, ids: Iterable[int]) -> list[Comment]:
    """The comments with these ids, with their authors: one query per few thousand ids."""
    wanted = sorted(set(ids))
    found: list[Comment] = []
    for start in range(0, len(wanted), IDS_PER_QUERY):
        chunk = wanted[start : start + IDS_PER_QUERY]
        found.extend(session.scalars(select(Comment).where(Comment.id.in_(chunk))).unique())
    return found


class OutlineRow(NamedTuple):
    """What the shape of a thread needs of a comment; stands in for it in :func:`arrange`
    and :func:`build_thread`. A plain tuple: reading attributes of SQLAlchemy's rows costs
    several times more, and a thread's outline may hold thousands."""

    id: int
    parent_id: int | None
    status: CommentStatus
    author_id: int


def load_outline(
    session: Session, article_id: int, ids: Collection[int] | None = None
) -> list[OutlineRow]:
    """Only what the shape of the thread needs (no text, no authors), oldest first: of every
    comment of the article, or of those with *ids* (a few thousand at most)."""
    query = select(Comment.id, Comment.parent_id, Comment.status, Comment.author_id).where(
        Comment.article_id == article_id
    )
    if ids is not None:
        query = query.where(Comment.id.in_(sorted(ids)))
    return [
        OutlineRow(*row) for row in session.execute(query.order_by(Comment.created_at, Comment.id))
    ]


@dataclass
class Node:
    """One comment as shown at one place of the thread."""

    comment: Comment
    depth: int  # the display depth: 1 for a top-level comment, at most the limit
    shown: bool  # False: shown as a placeholder ("comment removed")
    children: list[Node] = field(default_factory=list)
    # Set for a reply shown beside its parent because the parent is at the depth limit.
    reply_to: Comment | None = None
    reply_to_shown: bool = True

    @property
    def placeholder(self) -> bool:
        return not self.shown


@dataclass
class Thread:
    """The shown part of a discussion, paged by top-level threads."""

    roots: list[Node]
    by_id: dict[int, Comment]
    shown_ids: set[int]  # comments shown with their text
    kept_ids: set[int]  # shown, or kept as a placeholder
    root_of: dict[int, int]  # comment id -> id of its top-level comment
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.roots) // self.per_page))

    def page(self, number: int) -> list[Node]:
        start = (number - 1) * self.per_page
        return self.roots[start : start + self.per_page]

    def page_of(self, comment_id: int) -> int | None:
        """The page that shows *comment_id*, or None when this viewer does not see it."""
        if comment_id not in self.kept_ids:
            return None
        root_id = self.root_of[comment_id]
        for index, node in enumerate(self.roots):
            if node.comment.id == root_id:
                return index // self.per_page + 1
        return None

    def replyable(self, comment_id: int) -> Comment | None:
        """The comment, if it may be answered: it exists here and everyone may see it."""
        comment = self.by_id.get(comment_id)
        if comment is None or comment.status is not CommentStatus.VISIBLE:
            return None
        return comment


def sees_text(viewer: Any, comment: Comment) -> bool:
    """Whether *viewer* sees the text of *comment* (deleted text is nobody's to read here)."""
    if comment.status is CommentStatus.DELETED:
        return False
    if viewer is None:
        return comment.status is CommentStatus.VISIBLE
    return can_see_comment(viewer, comment)


@dataclass
class Arrangement:
    """Comments (oldest first) in the order of their threads, before anyone's view of them."""

    by_id: dict[int, Any]
    children: dict[int | None, list[Any]]  # None: the top-level comments
    order: list[Any]  # pre-order: every parent before its replies
    root_of: dict[int, int]  # comment id -> id of its top-level comment


def arrange(comments: Sequence[Any]) -> Arrangement:
    """Iterative rather than recursive: a long chain of replies must not hit Python's
    recursion limit."""
    by_id = {c.id: c for c in comments}
    children: dict[int | None, list[Any]] = defaultdict(list)
    for comment in comments:
        parent = comment.parent_id if comment.parent_id in by_id else None
        if parent == comment.id:
            parent = None
        children[parent].append(comment)
    order: list[Any] = []
    root_of: dict[int, int] = {}
    stack = [(c, c.id) for c in reversed(children[None])]
    while stack:
        comment, root_id = stack.pop()
        if comment.id in root_of:  # a cycle in hand-edited data: show each comment once
            continue
        order.append(comment)
        root_of[comment.id] = root_id
        stack.extend((child, root_id) for child in reversed(children[comment.id]))
    return Arrangement(by_id, children, order, root_of)


def kept_for(viewer: Any, arranged: Arrangement) -> tuple[set[int], set[int]]:
    """The comments *viewer* sees with their text, and those shown at all (with placeholders
    for the parents of what they see)."""
    shown_ids = {c.id for c in arranged.order if sees_text(viewer, c)}
    kept_ids = set(shown_ids)
    for comment in reversed(arranged.order):
        if comment.id in kept_ids and comment.parent_id in arranged.root_of:
            kept_ids.add(comment.parent_id)
    return shown_ids, kept_ids


def build_thread(comments: Sequence[Comment], viewer: Any, max_depth: int, per_page: int) -> Thread:
    """Arrange *comments* (oldest first) as *viewer* sees them. Recursion below is bounded by
    *max_depth*."""
    max_depth = max(max_depth, MIN_DISPLAY_DEPTH)
    arranged = arrange(comments)
    by_id, children, root_of = arranged.by_id, arranged.children, arranged.root_of
    shown_ids, kept_ids = kept_for(viewer, arranged)

    def kept_children(comment: Comment) -> list[Comment]:
        return [c for c in children[comment.id] if c.id in kept_ids and c.id in root_of]

    def flattened(comment: Comment) -> list[Node]:
        """The replies below *comment*, each beside the others at the depth limit."""
        nodes: list[Node] = []
        pending = list(reversed(kept_children(comment)))
        while pending:
            reply = pending.pop()
            parent = by_id[reply.parent_id]
            nodes.append(
                Node(
                    reply,
                    max_depth,
                    reply.id in shown_ids,
                    reply_to=parent,
                    reply_to_shown=parent.id in shown_ids,
                )
            )
            pending.extend(reversed(kept_children(reply)))
        return nodes

    def nodes_below(comment: Comment, depth: int) -> list[Node]:
        result: list[Node] = []
        for child in kept_children(comment):
            node = Node(child, depth, child.id in shown_ids)
            result.append(node)
            if depth < max_depth:
                node.children = nodes_below(child, depth + 1)
            else:
                result.extend(flattened(child))
        return result

    roots = []
    for comment in children[None]:
        if comment.id in kept_ids:
            node = Node(comment, 1, comment.id in shown_ids)
            node.children = nodes_below(comment, 2)
            roots.append(node)
    return Thread(roots, by_id, shown_ids, kept_ids, root_of, max(per_page, 1))


def fill_whole_comments(session: Session, nodes: Sequence[Node]) -> None:
    """Put whole comments (with their authors) into *nodes* built from outline rows, and into
    the comments they answer beside their parents: one query for all of them."""
    wanted = {node.comment.id for node in nodes if not isinstance(node.comment, Comment)}
    wanted |= {
        node.reply_to.id
        for node in nodes
        if node.reply_to is not None and not isinstance(node.reply_to, Comment)
    }
    if not wanted:
        return
    whole = {comment.id: comment for comment in load_comments_by_id(session, wanted)}
    for node in nodes:
        node.comment = whole.get(node.comment.id, node.comment)
        if node.reply_to is not None:
            node.reply_to = whole.get(node.reply_to.id, node.reply_to)
