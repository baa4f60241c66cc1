"""Reading a WordPress export (WXR 1.0–1.2) as a stream of small records.

The file is parsed with defusedxml's hardened iterparse: a document that declares entities
(the "billion laughs") or refers to external ones is refused before anything is read from
it. Elements are handed on as soon as they end and are then dropped, so memory stays
bounded by the largest single post, not by the file: comments are handed on one by one,
each right after the post they belong to.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, BinaryIO
from urllib.parse import unquote
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

__all__ = [
    "Author",
    "CommentRecord",
    "PostRecord",
    "SiteRecord",
    "Term",
    "WxrError",
    "read_wxr",
]

NO_DATE = "0000-00-00 00:00:00"


class WxrError(Exception):
    """The file is not a WordPress export that can be read; the message says why and where."""


@dataclass
class SiteRecord:
    title: str = ""
    link: str = ""
    base_url: str = ""
    version: str = ""


@dataclass
class Author:
    wp_id: int | None
    login: str
    email: str
    display_name: str


@dataclass
class Term:
    kind: str  # "category", "post_tag" or another taxonomy's name
    wp_id: int | None
    slug: str
    name: str
    parent: str = ""


@dataclass
class PostRecord:
    wp_id: int
    post_type: str
    status: str
    title: str
    slug: str
    link: str
    content: str
    excerpt: str
    date_local: datetime | None  # naive: the blog's own clock, as in its permalinks
    date_gmt: datetime | None  # aware UTC
    creator: str
    terms: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, slug, name)
    password: str = ""
    parent: int = 0
    menu_order: int = 0
    comment_status: str = "open"


@dataclass
class CommentRecord:
    wp_id: int
    post_wp_id: int
    author: str
    email: str
    url: str
    date_local: datetime | None
    date_gmt: datetime | None
    content: str
    approved: str
    comment_type: str
    parent: int
    user_id: int


Record = SiteRecord | Author | Term | PostRecord | CommentRecord


def _prefix(uri: str) -> str:
    if "wordpress.org/export/" in uri:
        return "excerpt" if uri.rstrip("/").endswith("excerpt") else "wp"
    if "purl.org/rss/1.0/modules/content" in uri:
        return "content"
    if "purl.org/dc/elements" in uri:
        return "dc"
    return "other"


def _name(tag: str) -> str:
    """``{namespace}local`` as ``prefix:local`` whatever WXR version's namespace it was."""
    if tag.startswith("{"):
        uri, local = tag[1:].split("}", 1)
        return f"{_prefix(uri)}:{local}"
    return tag


def _children(element: Element) -> dict[str, str]:
    values: dict[str, str] = {}
    for child in element:
        values.setdefault(_name(child.tag), child.text or "")
    return values


def _int(raw: str | None) -> int:
    try:
        return int((raw or "0").strip() or 0)
    except ValueError:
        return 0


def _date(raw: str | None) -> datetime | None:
    raw = (raw or "").strip()
    if not raw or raw == NO_DATE:
        return None
    try:
        return datetime.strptime(raw, "%Y-%m-%d %H:%M:%S")  # noqa: DTZ007 (the blog's clock)
    except ValueError:
        return None


def _gmt(raw: str | None) -> datetime | None:
    moment = _date(raw)
    return moment.replace(tzinfo=UTC) if moment else None


def _author(element: Element) -> Author:
    values = _children(element)
    raw_id = values.get("wp:author_id", "").strip()
    return Author(
        wp_id=_int(raw_id) if raw_id else None,
        login=values.get("wp:author_login", "").strip(),
        email=values.get("wp:author_email", "").strip(),
        display_name=values.get("wp:author_display_name", "").strip(),
    )


def _term(element: Element, tag: str) -> Term:
    values = _children(element)
    raw_id = values.get("wp:term_id", "").strip()
    wp_id = _int(raw_id) if raw_id else None
    if tag == "wp:category":
        return Term(
            "category",
            wp_id,
            unquote(values.get("wp:category_nicename", "").strip()),
            values.get("wp:cat_name", "").strip(),
            unquote(values.get("wp:category_parent", "").strip()),
        )
    if tag == "wp:tag":
        return Term(
            "post_tag",
            wp_id,
            unquote(values.get("wp:tag_slug", "").strip()),
            values.get("wp:tag_name", "").strip(),
        )
    return Term(
        values.get("wp:term_taxonomy", "").strip(),
        wp_id,
        unquote(values.get("wp:term_slug", "").strip()),
        values.get("wp:term_name", "").strip(),
        unquote(values.get("wp:term_parent", "").strip()),
    )


def _post(item: Element) -> PostRecord:
    values = _children(item)
    terms = [
        (child.get("domain", ""), unquote(child.get("nicename", "")), (child.text or "").strip())
        for child in item
        if child.tag == "category"
    ]
    return PostRecord(
        wp_id=_int(values.get("wp:post_id")),
        post_type=values.get("wp:post_type", "").strip(),
        status=values.get("wp:status", "").strip(),
        title=values.get("title", ""),
        slug=unquote(values.get("wp:post_name", "").strip()),
        link=values.get("link", "").strip(),
        content=values.get("content:encoded", ""),
        excerpt=values.get("excerpt:encoded", ""),
        date_local=_date(values.get("wp:post_date")),
        date_gmt=_gmt(values.get("wp:post_date_gmt")),
        creator=values.get("dc:creator", "").strip(),
        terms=terms,
        password=values.get("wp:post_password", ""),
        parent=_int(values.get("wp:post_parent")),
        menu_order=_int(values.get("wp:menu_order")),
        comment_status=values.get("wp:comment_status", "open").strip(),
    )


def _comment(element: Element, post_wp_id: int) -> CommentRecord:
    values = _children(element)
    return CommentRecord(
        wp_id=_int(values.get("wp:comment_id")),
        post_wp_id=post_wp_id,
        author=values.get("wp:comment_author", "").strip(),
        email=values.get("wp:comment_author_email", "").strip(),
        url=values.get("wp:comment_author_url", "").strip(),
        date_local=_date(values.get("wp:comment_date")),
        date_gmt=_gmt(values.get("wp:comment_date_gmt")),
        content=values.get("wp:comment_content", ""),
        approved=values.get("wp:comment_approved", "").strip(),
        comment_type=values.get("wp:comment_type", "").strip(),
        parent=_int(values.get("wp:comment_parent")),
        user_id=_int(values.get("wp:comment_user_id")),
    )


class _CountingReader:
    """A binary file that tells *on_read* how many bytes each read returned."""

    def __init__(self, raw: BinaryIO, on_read: Callable[[int], None] | None) -> None:
        self._raw = raw
        self._on_read = on_read

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        if self._on_read is not None and data:
            self._on_read(len(data))
        return data


def read_wxr(stream: IO[bytes], on_read: Callable[[int], None] | None = None) -> Iterator[Record]:
    """The records of the export in *stream*, in file order (a post before its comments).

    Raises WxrError for malformed or hostile XML and for a file that is not an export.
    """
    source = _CountingReader(stream, on_read)
    site = SiteRecord()
    channel: Element | None = None
    depth = 0
    item: Element | None = None
    post: PostRecord | None = None
    seen_rss = False
    try:
        for event, element in iterparse(source, events=("start", "end")):
            tag = _name(element.tag)
            if event == "start":
                depth += 1
                if depth == 1:
                    seen_rss = tag == "rss"
                    if not seen_rss:
                        raise WxrError(f"not a WordPress export: the document is <{tag}>")
                elif tag == "channel" and channel is None:
                    channel = element
                elif tag == "item" and depth == 3:
                    item, post = element, None
                continue
            depth -= 1
            if item is not None and tag == "wp:comment" and depth == 3:
                if post is None:
                    post = _post(item)
                    yield post
                yield _comment(element, post.wp_id)
                item.remove(element)  # the comment is handed on; keep nothing of it
            elif tag == "item" and depth == 2 and item is not None:
                if post is None:
                    yield _post(item)
                item = post = None
                if channel is not None:
                    channel.remove(element)
            elif depth == 2 and channel is not None and item is None:
                if tag == "wp:author":
                    yield _author(element)
                elif tag in ("wp:category", "wp:tag", "wp:term"):
                    yield _term(element, tag)
                elif tag == "title":
                    site.title = (element.text or "").strip()
                elif tag == "link":
                    site.link = (element.text or "").strip()
                elif tag == "wp:base_blog_url":
                    site.base_url = (element.text or "").strip()
                elif tag == "wp:wxr_version":
                    site.version = (element.text or "").strip()
                    yield site
                channel.remove(element)
    except ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        reason = re.sub(r":? ?line \d+, column \d+$", "", str(error.msg)) or "not well-formed"
        raise WxrError(f"malformed XML at line {line}, column {column + 1}: {reason}") from None
    except DefusedXmlException as error:
        raise WxrError(
            "refused: the file declares entities or refers to external ones "
            f"({type(error).__name__}); a WordPress export never does"
        ) from None
    if not seen_rss:
        raise WxrError("not a WordPress export: the file is empty")
