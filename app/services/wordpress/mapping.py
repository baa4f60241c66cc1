"""How WordPress's notions map onto this site's: states, dates, names, slugs, old addresses.

Plain functions without a database, so each rule can be tested on its own.
"""

from __future__ import annotations

import hashlib
import html
import re
from datetime import UTC, datetime, tzinfo
from urllib.parse import unquote, urlsplit

from app.models import CommentStatus, email_key
from app.services.slugs import slugify
from app.services.wordpress.reader import CommentRecord, PostRecord

ARTICLE_TYPE = "post"
PAGE_TYPE = "page"
PUBLISHED = frozenset({"publish", "future"})  # a future date makes it scheduled
UNPUBLISHED = frozenset({"draft", "pending", "private", "auto-draft"})
TOPIC_TAXONOMIES = frozenset({"category", "post_tag"})
NAME_MAX = 30
GUEST_FALLBACK = "Anonymous"
_NOT_NAME = re.compile(r"[^A-Za-zÄÖÜäöüß0-9_-]+")


def moment(local: datetime | None, gmt: datetime | None, zone: tzinfo) -> datetime | None:
    """The UTC moment: the GMT field when WordPress filled it, else the blog's own clock."""
    if gmt is not None:
        return gmt
    if local is not None:
        return local.replace(tzinfo=zone).astimezone(UTC)
    return None


def article_published_at(post: PostRecord, when: datetime | None) -> datetime | None:
    """Published and scheduled posts keep their date; drafts, pending and private get none."""
    if post.status in PUBLISHED and not post.password:
        return when
    return None


def comment_status(approved: str) -> CommentStatus | None:
    """Approved -> visible, waiting -> pending; spam and trash (None) are not imported."""
    if approved == "1":
        return CommentStatus.VISIBLE
    if approved == "0":
        return CommentStatus.PENDING
    return None


def account_name(login: str, fallback: str) -> str:
    """A WordPress login as a valid name here: other characters become ``_``, 3–30 long."""
    name = _NOT_NAME.sub("_", login).strip("_")[:NAME_MAX] or fallback
    return name if len(name) >= 3 else (name + "___")[:3]


def guest_name(comment: CommentRecord) -> str:
    # WordPress stores commenters' names with HTML entities ("Ping &laquo; Blog").
    return " ".join(html.unescape(comment.author).split())[:NAME_MAX] or GUEST_FALLBACK


def guest_key(comment: CommentRecord) -> str:
    """One guest per name and address, so the same commenter's comments stay together."""
    raw = f"{guest_name(comment)}\n{email_key(comment.email)}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def post_slug(post: PostRecord, limit: int = 120) -> str:
    return slugify(post.slug or post.title, max_length=limit) or f"post-{post.wp_id}"


def term_slug(slug: str, name: str, limit: int = 100) -> str:
    return slugify(slug or name, max_length=limit) or slugify(name, max_length=limit)


def normal_path(path: str) -> str:
    """An old path as the redirect table keeps it: decoded, lower-case, ending in ``/``."""
    return normal_request_path(unquote(path))


def normal_request_path(path: str) -> str:
    """A path that is decoded already (a request's), as the redirect table keeps it.

    Decoding it again would turn a ``%25..`` the visitor sent into another character
    (``%2500`` into NUL, which PostgreSQL refuses to be asked for)."""
    path = path.strip().lower()
    if not path.startswith("/"):
        path = "/" + path
    return path if path.endswith("/") else path + "/"


def path_of(link: str, base: str) -> str | None:
    """The path of *link* if it is an address of the exported site (not ``/?p=1``)."""
    if not link:
        return None
    parts = urlsplit(link)
    base_parts = urlsplit(base) if base else None
    if base_parts and parts.netloc and parts.netloc.lower() != base_parts.netloc.lower():
        return None
    path = parts.path
    prefix = (base_parts.path if base_parts else "").rstrip("/")
    if prefix and path.startswith(prefix):
        path = path[len(prefix) :]
    if path in ("", "/") or parts.query:
        return None
    return normal_path(path)


def article_paths(post: PostRecord, base: str) -> list[str]:
    """The addresses a post could have had under WordPress's usual permalink settings."""
    paths = [f"?p={post.wp_id}", f"/archives/{post.wp_id}/"]
    linked = path_of(post.link, base)
    if linked:
        paths.append(linked)
    if post.slug:
        slug = post.slug.lower()
        if post.date_local is not None:
            day = post.date_local
            paths += [f"/{day:%Y/%m/%d}/{slug}/", f"/{day:%Y/%m}/{slug}/"]
        paths.append(f"/{slug}/")
    return list(dict.fromkeys(paths))


def page_paths(post: PostRecord, base: str) -> list[str]:
    paths = [f"?page_id={post.wp_id}", f"?p={post.wp_id}"]
    linked = path_of(post.link, base)
    if linked:
        paths.append(linked)
    if post.slug:
        paths.append(f"/{post.slug.lower()}/")
    return list(dict.fromkeys(paths))


def term_paths(kind: str, wp_id: int | None, slug_chain: list[str]) -> list[str]:
    """``/category/parent/child/`` (and the child alone), ``/tag/slug/``, ``?cat=ID``."""
    chain = [part.lower() for part in slug_chain if part]
    if not chain:
        return []
    if kind == "category":
        paths = [f"/category/{'/'.join(chain)}/", f"/category/{chain[-1]}/"]
        if wp_id is not None:
            paths.append(f"?cat={wp_id}")
    else:
        paths = [f"/tag/{chain[-1]}/", f"?tag={chain[-1]}"]
    return list(dict.fromkeys(paths))
