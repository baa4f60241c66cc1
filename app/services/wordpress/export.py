"""Writing the whole site as a WordPress export (WXR 1.2), which WordPress's importer reads.

Articles (with their topics and their visible and waiting comments, replies pointing at
their parents), fixed pages, topics and authors. Passwords never leave; members' addresses
only when asked for; guests' addresses (kept only for claiming) never. The file is written
element by element as rows are read in batches, so memory does not grow with the site.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import UTC, datetime, tzinfo
from email.utils import format_datetime
from typing import IO
from xml.sax.saxutils import XMLGenerator

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.models import Article, Comment, CommentStatus, Page, Topic, User, UserKind

WXR_VERSION = "1.2"
NAMESPACES = {
    "xmlns:excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
    "xmlns:wfw": "http://wellformedweb.org/CommentAPI/",
    "xmlns:dc": "http://purl.org/dc/elements/1.1/",
    "xmlns:wp": "http://wordpress.org/export/1.2/",
}
EXPORTED = (CommentStatus.VISIBLE, CommentStatus.PENDING)
BATCH = 200
# Characters XML 1.0 cannot hold at all (C0 controls but tab and line ends, lone surrogates).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class _Writer:
    def __init__(self, stream: IO[bytes]) -> None:
        self.xml = XMLGenerator(stream, encoding="utf-8", short_empty_elements=True)

    def open(self, name: str, attributes: dict[str, str] | None = None) -> None:
        self.xml.startElement(name, attributes or {})

    def close(self, name: str) -> None:
        self.xml.endElement(name)

    def text(self, name: str, value: object, attributes: dict[str, str] | None = None) -> None:
        self.xml.startElement(name, attributes or {})
        if value is not None:
            self.xml.characters(_NOT_XML.sub("", str(value)))
        self.xml.endElement(name)

    def newline(self) -> None:
        self.xml.ignorableWhitespace("\n")


def _html(value: str) -> str:
    """Text as WordPress keeps titles and names: HTML, so "<" and "&" are written escaped."""
    return html.escape(value, quote=False)


def _local(moment: datetime | None, zone: tzinfo) -> str:
    if moment is None:
        return "0000-00-00 00:00:00"
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")


def _gmt(moment: datetime | None) -> str:
    if moment is None:
        return "0000-00-00 00:00:00"
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def _batches(session: Session, query) -> Iterator:  # noqa: ANN001
    """Rows of *query* (ordered by id) a batch at a time.

    The session holds loaded rows weakly, so each batch is let go of once it is written;
    nothing is expunged, as the session may hold the logged-in admin's row.
    """
    last = 0
    model = query.column_descriptions[0]["entity"]
    while True:
        rows = list(session.scalars(query.where(model.id > last).order_by(model.id).limit(BATCH)))
        if not rows:
            return
        yield from rows
        last = rows[-1].id


def _status(article: Article, now: datetime) -> str:
    if article.published_at is None:
        return "draft"
    return "future" if article.published_at > now else "publish"


def write_wxr(
    session: Session,
    stream: IO[bytes],
    *,
    site_name: str,
    base_url: str,
    zone: tzinfo,
    now: datetime,
    with_emails: bool = False,
) -> dict[str, int]:
    """Write the export to *stream*; returns how many of each kind were written."""
    base = base_url.rstrip("/")
    out = _Writer(stream)
    counts = {"authors": 0, "topics": 0, "articles": 0, "pages": 0, "comments": 0}
    out.xml.startDocument()
    out.newline()
    out.open("rss", {"version": "2.0", **NAMESPACES})
    out.open("channel")
    out.text("title", site_name)
    out.text("link", base)
    out.text("description", "")
    out.text("pubDate", format_datetime(now.astimezone(UTC)))
    out.text("wp:wxr_version", WXR_VERSION)
    out.text("wp:base_site_url", base)
    out.text("wp:base_blog_url", base)
    out.newline()
    authors = (
        select(User)
        .where(User.kind == UserKind.ACCOUNT, User.username.is_not(None))
        .where(
            or_(
                User.id.in_(select(Article.author_id)),
                User.id.in_(select(Comment.author_id).where(Comment.status.in_(EXPORTED))),
            )
        )
    )
    for user in _batches(session, authors):
        out.open("wp:author")
        out.text("wp:author_id", user.id)
        out.text("wp:author_login", user.username)
        out.text("wp:author_email", user.email if with_emails and user.email else "")
        out.text("wp:author_display_name", _html(user.username))
        out.text("wp:author_first_name", "")
        out.text("wp:author_last_name", "")
        out.close("wp:author")
        out.newline()
        counts["authors"] += 1
    for topic in _batches(session, select(Topic)):
        out.open("wp:category")
        out.text("wp:term_id", topic.id)
        out.text("wp:category_nicename", topic.slug)
        out.text("wp:category_parent", "")
        out.text("wp:cat_name", _html(topic.name))
        out.close("wp:category")
        out.newline()
        counts["topics"] += 1
    articles = select(Article).where(Article.deleted_at.is_(None))
    for article in _batches(session, articles):
        _article(session, out, article, base, zone, now, with_emails, counts)
    # WordPress keeps posts and pages under one series of ids: pages follow the articles.
    page_offset = session.scalar(select(func.max(Article.id))) or 0
    for page in _batches(session, select(Page)):
        _item_head(out, page.title, f"{base}/pages/{page.slug}", page.updated_at, "")
        out.text("content:encoded", page.body_html)
        out.text("excerpt:encoded", "")
        _item_fields(
            out,
            page_offset + page.id,
            page.updated_at,
            zone,
            page.slug,
            "publish",
            "page",
            "closed",
        )
        out.text("wp:menu_order", page.footer_position)
        out.close("item")
        out.newline()
        counts["pages"] += 1
    out.close("channel")
    out.close("rss")
    out.newline()
    out.xml.endDocument()
    return counts


def _item_head(out: _Writer, title: str, link: str, when: datetime | None, creator: str) -> None:
    out.open("item")
    out.text("title", _html(title))
    out.text("link", link)
    out.text("pubDate", format_datetime(when.astimezone(UTC)) if when else "")
    out.text("dc:creator", creator)
    out.text("guid", link, {"isPermaLink": "false"})
    out.text("description", "")


def _item_fields(out, wp_id, when, zone, slug, status, kind, comments) -> None:  # noqa: ANN001
    out.text("wp:post_id", wp_id)
    out.text("wp:post_date", _local(when, zone))
    out.text("wp:post_date_gmt", _gmt(when))
    out.text("wp:comment_status", comments)
    out.text("wp:ping_status", "closed")
    out.text("wp:post_name", slug)
    out.text("wp:status", status)
    out.text("wp:post_parent", 0)
    out.text("wp:post_type", kind)
    out.text("wp:post_password", "")
    out.text("wp:is_sticky", 0)


def _article(session, out, article, base, zone, now, with_emails, counts) -> None:  # noqa: ANN001
    author = session.get(User, article.author_id) if article.author_id else None
    creator = author.username if author is not None and author.username else article.author_name
    when = article.published_at or article.created_at
    _item_head(out, article.title, f"{base}/articles/{article.slug}", when, creator)
    out.text("content:encoded", article.body_html)
    out.text("excerpt:encoded", article.summary or "")
    status = _status(article, now)
    state = "open" if article.comments_open else "closed"
    _item_fields(out, article.id, when, zone, article.slug, status, "post", state)
    out.text("wp:menu_order", 0)
    for topic in article.topics:
        out.text("category", _html(topic.name), {"domain": "category", "nicename": topic.slug})
    comments = list(
        session.scalars(
            select(Comment)
            .where(Comment.article_id == article.id)
            .order_by(Comment.created_at, Comment.id)
        )
    )
    exported = {c.id for c in comments if c.status in EXPORTED}
    parents = {c.id: c.parent_id for c in comments}
    for comment in comments:
        if comment.id not in exported:
            continue
        parent = parents.get(comment.id)
        while parent is not None and parent not in exported:  # skip removed ones
            parent = parents.get(parent)
        _comment(out, comment, parent or 0, zone, with_emails)
        counts["comments"] += 1
    out.close("item")
    out.newline()
    counts["articles"] += 1


def _comment(out: _Writer, comment: Comment, parent: int, zone: tzinfo, with_emails) -> None:  # noqa: ANN001
    author = comment.author
    member = author.kind is UserKind.ACCOUNT and not author.is_deleted
    out.open("wp:comment")
    out.text("wp:comment_id", comment.id)
    out.text("wp:comment_author", _html(author.display_name))
    address = author.email if member and with_emails and author.email else ""
    out.text("wp:comment_author_email", address)
    out.text("wp:comment_author_url", "")
    out.text("wp:comment_author_IP", "")
    out.text("wp:comment_date", _local(comment.created_at, zone))
    out.text("wp:comment_date_gmt", _gmt(comment.created_at))
    out.text("wp:comment_content", comment.body_html)
    out.text("wp:comment_approved", 1 if comment.status is CommentStatus.VISIBLE else 0)
    out.text("wp:comment_type", "comment")
    out.text("wp:comment_parent", parent)
    out.text("wp:comment_user_id", author.id if member else 0)
    out.close("wp:comment")
