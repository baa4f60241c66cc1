"""Rendering a thread: each comment by comments/_comment.html, nested here; and the parts
the thread view keeps (the shape of a thread) or renders with (a nameless member).

The nesting (an ``<li>`` per comment, its replies in an ``<ol>``) is written out here rather
than by a recursive template, so that one thread can be put together from comments rendered
at different moments: the viewer's own ones now, everybody else's from the store.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from jinja2.runtime import Context

from app.models import AccountState, CommentStatus, User, UserRole
from app.services.threads import Node, arrange, kept_for

COMMENT_TEMPLATE = "comments/_comment.html"


def nest(root: Node, html_of: Callable[[Node], str]) -> str:
    """The ``<li>`` of *root* with all its replies, each comment's HTML from *html_of*."""
    parts: list[str] = []

    def add(node: Node) -> None:  # recursion is bounded by the display depth
        parts.append(
            f'<li class="comment-list__item comment-list__item--depth-{int(node.depth)}">\n'
        )
        parts.append(html_of(node))
        if node.children:
            parts.append('<ol class="comment-list">\n')
            for child in node.children:
                add(child)
            parts.append("</ol>\n")
        parts.append("</li>\n")

    add(root)
    return "".join(parts)


def walk(roots: list[Node]) -> list[Node]:
    """Every node below and including *roots*."""
    found, stack = [], list(roots)
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(node.children)
    return found


def in_order(roots: list[Node]) -> list[Node]:
    """Every node below and including *roots*, in the order the page shows them."""
    found, stack = [], list(reversed(roots))
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(reversed(node.children))
    return found


class CommentRenderer:
    """Renders single comments with the variables of the page being rendered."""

    def __init__(self, context: Context) -> None:
        self.values = context.get_all()
        self.template = current_app.jinja_env.get_template(COMMENT_TEMPLATE)

    def __call__(self, node: Node, **overrides: Any) -> str:
        values = {**self.values, **overrides, "comment": node.comment, "node": node}
        return self.template.render(values)


@dataclass(frozen=True)
class Skeleton:
    """The reader's thread of one version of a discussion, without the comments."""

    roots: tuple[int, ...]  # the top-level comments readers see, in order
    root_of: dict[int, int]  # every comment of the article -> its top-level comment
    rank: dict[int, int]  # every top-level comment -> its place among all of them
    members: dict[int, tuple[int, ...]]  # top-level comment -> all comments of its thread
    visible: frozenset[int]
    # Top-level comment -> a digest of its thread's shape: each comment's id, parent, state
    # and author, in order. What a thread shows changes with it, or with the article's
    # comment_look_version (app/caching/bumps.py).
    shapes: dict[int, str]

    @classmethod
    def of(cls, rows: Sequence[Any]) -> Skeleton:
        """From the outline of the whole discussion (rows standing in for comments, oldest
        first): no nodes are built, so a thread of thousands of comments costs little."""
        arranged = arrange(rows)
        _, kept = kept_for(None, arranged)
        root_of = arranged.root_of
        members: dict[int, list[int]] = {}
        shapes: dict[int, Any] = {}
        for row in rows:  # oldest first, as the thread orders replies
            root = root_of.get(row.id)
            if root is None:
                continue
            members.setdefault(root, []).append(row.id)
            digest = shapes.setdefault(root, hashlib.blake2b(digest_size=12))
            digest.update(repr((row.id, row.parent_id, str(row.status), row.author_id)).encode())
        tops = [row.id for row in rows if root_of.get(row.id) == row.id]
        return cls(
            roots=tuple(row.id for row in arranged.children[None] if row.id in kept),
            root_of=dict(root_of),
            rank={comment_id: place for place, comment_id in enumerate(tops)},
            members={root: tuple(ids) for root, ids in members.items()},
            visible=frozenset(row.id for row in rows if row.status is CommentStatus.VISIBLE),
            shapes={root: digest.hexdigest() for root, digest in shapes.items()},
        )

    @property
    def size(self) -> int:
        return 200 * len(self.root_of) + 512


def comment_key(node: Node) -> tuple:
    """What one comment's HTML depends on besides the discussion: where the thread shows it."""
    comment, replied = node.comment, node.reply_to
    # The authors too: a bulk change of authors (claiming) raises no look version.
    answered = (replied.id, replied.author_id) if replied is not None else None
    status = str(comment.status)  # a placeholder's class names it
    return ("comment", comment.id, status, comment.author_id, node.shown, answered,
            node.reply_to_shown)  # fmt: skip


def stand_in(may_write: bool, now: datetime, name: str = "") -> User:
    """A member who owns no comment, to render what every such member sees alike."""
    return User(
        id=0,
        username=name,
        role=UserRole.MEMBER,
        state=AccountState.ACTIVE,
        email_confirmed_at=now if may_write else None,
        session_version=0,
    )
