"""What the benchmark site holds: its sizes, and the rows of users, articles and comments.

The rows are built in memory with their ids (bench/prepare.py writes them in bulk). Texts
come from a small pool (bench/corpus.py), each distinct one rendered once.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from app import text as render
from app.models import (
    AccountState,
    CommentStatus,
    FlagReason,
    UserRole,
    email_key,
    username_key,
)
from app.services.accounts import hash_password
from bench import corpus

PASSWORD = "bench password 2024"
MAX_DEPTH = 5
DISTINCT_COMMENT_BODIES = 80
DISTINCT_ARTICLE_BODIES = 16
BENCH_ACCOUNTS = 4  # admin, moderator, member, writer: ids 1-4, never random authors


@dataclass(frozen=True)
class Spec:
    articles: int = 1_000  # public ones; a few drafts, scheduled and deleted come on top
    small_thread: int = 200  # visible comments on bench-<small_thread>
    big_thread: int = 2_000  # visible comments on bench-<big_thread>
    pending: int = 1_000
    comments: int = 6_200  # all comments, the bench threads and the pending ones included
    members: int = 300
    flagged: int = 40
    huge_thread: int = 0  # visible comments on bench-<huge_thread>; 0: no such article

    @property
    def huge_slug(self) -> str | None:
        return f"bench-{self.huge_thread}" if self.huge_thread else None

    @property
    def small_slug(self) -> str:
        return f"bench-{self.small_thread}"

    @property
    def big_slug(self) -> str:
        return f"bench-{self.big_thread}"


SIZES = {
    "small": Spec(),
    # With a 5,000-comment thread: its first page must cost a reader about what bench-200's does.
    "large": Spec(articles=5_000, comments=100_000, members=2_000, flagged=200, huge_thread=5_000),
}


@dataclass
class Manifest:
    """What the benchmark needs to know about the site it built."""

    small_slug: str
    big_slug: str
    huge_slug: str | None = None
    member: str = "bench-member"  # has written nothing under the bench articles
    writer: str = "bench-writer"  # has a reply waiting for approval under the small one
    moderator: str = "bench-moderator"
    admin: str = "bench-admin"
    password: str = PASSWORD
    counts: dict[str, int] = field(default_factory=dict)


def thread_shape(rng: random.Random, count: int, top_share: float) -> list[tuple[int | None, int]]:
    """(index of the parent or None, depth) of *count* comments in the order they were posted.

    The first thread always reaches MAX_DEPTH; later replies go to recent comments of the
    current thread, so threads grow as conversations do.
    """
    shape: list[tuple[int | None, int]] = []
    current: list[int] = []
    for i in range(count):
        if i < MAX_DEPTH:
            parent = i - 1 if i else None
        elif rng.random() < top_share:
            parent = None
        else:
            candidates = [j for j in current[-12:] if shape[j][1] < MAX_DEPTH]
            parent = rng.choice(candidates) if candidates else None
        if parent is None:
            current = []
        current.append(i)
        shape.append((parent, 1 if parent is None else shape[parent][1] + 1))
    return shape


class Builder:
    """Collects rows in memory with their ids, then writes them in a few bulk inserts."""

    def __init__(self, spec: Spec, now: datetime, seed: int) -> None:
        self.spec, self.now, self.rng = spec, now, random.Random(seed)
        self.users: list[dict[str, Any]] = []
        self.articles: list[dict[str, Any]] = []
        self.comments: list[dict[str, Any]] = []
        self.visible: dict[int, int] = defaultdict(int)
        self.by_article: dict[int, list[dict[str, Any]]] = defaultdict(list)
        bodies = [corpus.comment_body(self.rng) for _ in range(DISTINCT_COMMENT_BODIES)]
        self.comment_texts = [(body, render.render_comment(body)) for body in bodies]

    def add_users(self) -> None:
        password_hash = hash_password(PASSWORD)  # one hash for all: scrypt is slow on purpose
        named = [
            ("bench-admin", UserRole.ADMIN),
            ("bench-moderator", UserRole.MODERATOR),
            ("bench-member", UserRole.MEMBER),
            ("bench-writer", UserRole.MEMBER),
        ]
        named += [(f"leser-{n}", UserRole.MEMBER) for n in range(1, self.spec.members + 1)]
        for ident, (name, role) in enumerate(named, start=1):
            address = f"{name}@example.org"
            self.users.append(
                dict(
                    id=ident, username=name, username_key=username_key(name), email=address,
                    email_key=email_key(address), password_hash=password_hash, role=role,
                    state=AccountState.ACTIVE, email_confirmed_at=self.now - timedelta(days=900),
                    created_at=self.now - timedelta(days=900), session_version=1,
                )
            )  # fmt: skip

    def add_articles(self) -> None:
        spec, rng = self.spec, self.rng
        bodies = []
        for _ in range(DISTINCT_ARTICLE_BODIES):
            source = corpus.article_body(rng)
            body_html = render.render_article(source)
            bodies.append((source, body_html, render.excerpt(body_html)))
        step = timedelta(days=2000) / spec.articles  # about five years of articles
        back = min(40, spec.articles // 2)  # not on the home page: as a reader would find them
        special = {spec.articles - back: spec.small_slug, spec.articles - back - 1: spec.big_slug}
        if spec.huge_slug:
            special[spec.articles - back - 2] = spec.huge_slug
        extras = [self.now + timedelta(days=d) for d in (1, 3, 7)] + [None, None, "deleted"]
        for index in range(spec.articles + len(extras)):
            source, body_html, excerpt = bodies[index % len(bodies)]
            if index < spec.articles:
                published, deleted = self.now - step * (spec.articles - index), None
            else:
                extra = extras[index - spec.articles]
                published = self.now - timedelta(days=3) if extra == "deleted" else extra
                deleted = self.now - timedelta(days=1) if extra == "deleted" else None
            ident = index + 1
            self.articles.append(
                dict(
                    id=ident, title=corpus.title(rng, ident),
                    slug=special.get(index, f"artikel-{ident}"), author_name="Redaktion",
                    body=source, body_html=body_html, excerpt=excerpt, published_at=published,
                    created_at=published or self.now, updated_at=published or self.now,
                    deleted_at=deleted, comments_open=True, visible_comment_count=0,
                    revision=1, discussion_version=1,
                )
            )  # fmt: skip

    def _comment(self, article: dict, parent: dict | None, status: CommentStatus, at: datetime):
        body, body_html = self.rng.choice(self.comment_texts)
        row = dict(
            id=len(self.comments) + 1, article_id=article["id"],
            parent_id=parent["id"] if parent else None,
            author_id=self.rng.randint(BENCH_ACCOUNTS + 1, len(self.users)),
            depth=parent["depth"] + 1 if parent else 1, body=body, body_html=body_html,
            status=status, flag_count=0, created_at=at, status_changed_at=at,
        )  # fmt: skip
        self.comments.append(row)
        self.by_article[article["id"]].append(row)
        if status is CommentStatus.VISIBLE:
            self.visible[article["id"]] += 1
        return row

    def add_thread(self, article: dict, count: int, top_share: float, removed: int = 0) -> None:
        """*count* visible comments, plus *removed* deleted or hidden ones that have replies."""
        shape = thread_shape(self.rng, count + removed, top_share)
        parents = sorted({p for p, _ in shape if p is not None})
        gone = set(self.rng.sample(parents, min(removed, len(parents))))
        start = article["published_at"]
        span = min(timedelta(days=30), self.now - start - timedelta(minutes=1))
        offsets = sorted(self.rng.random() for _ in shape)
        rows: list[dict] = []
        for i, (parent, _depth) in enumerate(shape):
            status = CommentStatus.VISIBLE
            if i in gone:
                status = CommentStatus.DELETED if i % 2 else CommentStatus.HIDDEN
            parent_row = rows[parent] if parent is not None else None
            rows.append(self._comment(article, parent_row, status, start + span * offsets[i]))

    def add_discussions(self) -> None:
        spec, rng = self.spec, self.rng
        public = [a for a in self.articles if a["deleted_at"] is None and a["published_at"]]
        public = [a for a in public if a["published_at"] <= self.now]
        by_slug = {a["slug"]: a for a in public}
        small, big = by_slug[spec.small_slug], by_slug[spec.big_slug]
        self.add_thread(small, spec.small_thread, 0.15, removed=spec.small_thread // 100)
        self.add_thread(big, spec.big_thread, 0.15, removed=spec.big_thread // 100)
        huge = by_slug.get(spec.huge_slug) if spec.huge_slug else None
        if huge is not None:
            self.add_thread(huge, spec.huge_thread, 0.15, removed=spec.huge_thread // 100)
        others = [a for a in public if a is not small and a is not big and a is not huge]
        spread = spec.comments - len(self.comments) - spec.pending
        counts: dict[int, int] = defaultdict(int)
        for article in rng.choices(others, k=max(spread, 0)):
            counts[article["id"]] += 1
        for article in others:
            if counts[article["id"]]:
                self.add_thread(article, counts[article["id"]], 0.3)
        self.add_pending(small, public)
        for article in self.articles:
            article["visible_comment_count"] = self.visible[article["id"]]

    def add_pending(self, small: dict, public: list[dict]) -> None:
        """Held comments for the queue; a few on the small thread, the first of them a reply
        by the bench writer (who sees it there, in its place, and nobody else does)."""
        writer = next(u["id"] for u in self.users if u["username"] == "bench-writer")
        for n in range(self.spec.pending):
            article = small if n < 5 else self.rng.choice(public)
            replies_to = [c for c in self.by_article[article["id"]] if c["depth"] < MAX_DEPTH]
            visible = [c for c in replies_to if c["status"] is CommentStatus.VISIBLE]
            answering = n == 0 or self.rng.random() < 0.5
            parent = self.rng.choice(visible) if visible and answering else None
            at = self.now - timedelta(minutes=self.rng.uniform(1, 14 * 24 * 60))
            if parent is not None and parent["created_at"] >= at:
                at = min(parent["created_at"] + timedelta(minutes=1), self.now)
            row = self._comment(article, parent, CommentStatus.PENDING, at)
            if n == 0:
                row["author_id"] = writer

    def flags(self) -> list[dict[str, Any]]:
        """A few open flags on visible comments, below the threshold that would hold them."""
        visible = [c for c in self.comments if c["status"] is CommentStatus.VISIBLE]
        rows = []
        for comment in self.rng.sample(visible, min(self.spec.flagged, len(visible))):
            flaggers = self.rng.sample(range(BENCH_ACCOUNTS + 1, len(self.users) + 1), 2)
            flaggers = [u for u in flaggers if u != comment["author_id"]][: self.rng.randint(1, 2)]
            for user_id in flaggers:
                rows.append(
                    dict(id=len(rows) + 1, comment_id=comment["id"], user_id=user_id,
                         reason=FlagReason.SPAM, created_at=self.now - timedelta(hours=2))
                )  # fmt: skip
            comment["flag_count"] = len(flaggers)
        return rows
