"""Importing a WordPress export: records from the reader become rows, in one transaction.

Everything is written in a single transaction, committed only when the whole file has been
read: a file that fails in the middle leaves the database as it was, and a dry run is the
same import rolled back, so its counts are exactly what a real run would do. Rows keep
their WordPress ids, so importing the same file again updates them and adds nothing.
Objects are flushed and let go of every few hundred records: memory stays bounded by the
id maps (a few integers per row), not by the size of the file.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import IO

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app import text
from app.models import Article, Comment, CommentStatus, LegacyTarget, Page, Topic
from app.services.publishing import slug_owner
from app.services.wordpress import mapping
from app.services.wordpress.addresses import remember
from app.services.wordpress.people import guest_for, upsert_author
from app.services.wordpress.reader import (
    Author,
    CommentRecord,
    PostRecord,
    SiteRecord,
    Term,
    read_wxr,
)
from app.services.wordpress.report import ImportReport

BATCH = 500
TITLE_MAX = 200
TOPIC_MAX = 80


class ImportFailed(Exception):
    """The import stopped; nothing of it was written. The message says why."""


@dataclass
class _State:
    zone: tzinfo
    now: datetime
    report: ImportReport
    base: str = ""
    authors: dict[str, int] = field(default_factory=dict)  # login -> user id
    author_names: dict[str, str] = field(default_factory=dict)  # login -> display name
    author_ids: dict[int, int] = field(default_factory=dict)  # WordPress user id -> user id
    topics: dict[tuple[str, str], int] = field(default_factory=dict)  # (kind, slug) -> id
    term_parents: dict[tuple[str, str], str] = field(default_factory=dict)
    articles: dict[int, int] = field(default_factory=dict)  # WordPress post id -> id
    pages: set[int] = field(default_factory=set)
    comments: dict[int, tuple[int, int, int]] = field(default_factory=dict)  # -> id, article, depth
    orphans: list[tuple[int, int]] = field(default_factory=list)  # comment id, parent WP id
    guests: dict[str, int] = field(default_factory=dict)
    pending: int = 0


def import_wxr(
    session: Session,
    stream: IO[bytes],
    *,
    now: datetime,
    zone: tzinfo,
    dry_run: bool = False,
    on_read: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import the export in *stream*; commit, or roll back on a dry run or any failure."""
    state = _State(zone=zone, now=now, report=ImportReport(dry_run=dry_run))
    try:
        for record in read_wxr(stream, on_read):
            _take(session, state, record)
            state.pending += 1
            if state.pending >= BATCH:
                session.flush()
                session.expunge_all()
                state.pending = 0
        _finish(session, state)
    except Exception as error:
        session.rollback()
        if isinstance(error, ImportFailed):
            raise
        raise ImportFailed(str(error).splitlines()[0] if str(error) else repr(error)) from error
    if dry_run:
        session.rollback()
    else:
        session.commit()
    return state.report


def _take(session: Session, state: _State, record: object) -> None:
    if isinstance(record, SiteRecord):
        state.base = record.base_url or record.link
    elif isinstance(record, Author):
        user_id = upsert_author(session, record, state.report, state.now)
        state.authors[record.login] = user_id
        state.author_names[record.login] = html.unescape(record.display_name or record.login)
        if record.wp_id is not None:
            state.author_ids[record.wp_id] = user_id
    elif isinstance(record, Term):
        _term(session, state, record)
    elif isinstance(record, PostRecord):
        _post(session, state, record)
    elif isinstance(record, CommentRecord):
        _comment(session, state, record)


def _term(session: Session, state: _State, term: Term) -> int | None:
    if term.kind not in mapping.TOPIC_TAXONOMIES:
        state.report.skip(f"term of taxonomy {term.kind or '?'}")
        return None
    name = " ".join(html.unescape(term.name).split())[:TOPIC_MAX] or term.slug
    slug = mapping.term_slug(term.slug, name)
    if not slug:
        state.report.skip("term without a usable name")
        return None
    topic = None
    if term.wp_id is not None:
        topic = session.scalar(select(Topic).where(Topic.wp_id == term.wp_id))
    if topic is None:
        topic = session.scalar(select(Topic).where((Topic.slug == slug) | (Topic.name == name)))
    if topic is None:
        topic = Topic(name=name, slug=slug, wp_id=term.wp_id)
        session.add(topic)
        session.flush()
        state.report.created["topics"] += 1
    else:
        if topic.wp_id is None and term.wp_id is not None:
            clash = session.scalar(select(Topic.id).where(Topic.wp_id == term.wp_id))
            if clash is None:
                topic.wp_id = term.wp_id
        state.report.updated["topics"] += 1
    key = (term.kind, term.slug.lower())
    state.topics[key] = topic.id
    state.term_parents[key] = term.parent.lower()
    chain, parent, seen = [term.slug], term.parent.lower(), set()
    while parent and parent not in seen:  # a category's address names its parents
        seen.add(parent)
        chain.insert(0, parent)
        parent = state.term_parents.get((term.kind, parent), "")
    remember(
        session,
        mapping.term_paths(term.kind, term.wp_id, chain),
        LegacyTarget.TOPIC,
        topic.id,
        state.report,
    )
    return topic.id


def _post_topics(session: Session, state: _State, post: PostRecord) -> list[Topic]:
    ids: list[int] = []
    for kind, slug, name in post.terms:
        if kind not in mapping.TOPIC_TAXONOMIES:
            continue
        topic_id = state.topics.get((kind, slug.lower()))
        if topic_id is None:  # an export that lists terms only on the posts (WXR 1.0)
            topic_id = _term(session, state, Term(kind, None, slug, name))
        if topic_id is not None and topic_id not in ids:
            ids.append(topic_id)
    if not ids:
        return []
    return list(session.scalars(select(Topic).where(Topic.id.in_(ids))))


def _label(post: PostRecord) -> str:
    return f"{post.post_type} {post.wp_id} “{post.title.strip()[:60]}”"


def _title(post: PostRecord) -> str:
    # A WordPress title is HTML ("Title <em>with</em> markup", "&amp;"); here it is text.
    return text.plain_text(post.title)[:TITLE_MAX] or f"#{post.wp_id}"


def _post(session: Session, state: _State, post: PostRecord) -> None:
    if post.post_type not in (mapping.ARTICLE_TYPE, mapping.PAGE_TYPE):
        state.report.skip(f"{post.post_type or 'item'} (no equivalent here)")
        return
    if post.status not in mapping.PUBLISHED | mapping.UNPUBLISHED:
        state.report.skip(f"{post.post_type} with status {post.status or '?'}")
        return
    if post.post_type == mapping.PAGE_TYPE:
        _page(session, state, post)
        return
    when = mapping.moment(post.date_local, post.date_gmt, state.zone) or state.now
    body_html, lost = text.render_imported(post.content)
    state.report.lost(_label(post), lost)
    if post.password:
        state.report.warnings.append(f"{_label(post)}: protected by a password; kept as a draft")
    elif post.status == "private":
        state.report.warnings.append(f"{_label(post)}: private; kept as a draft")
    article = session.scalar(select(Article).where(Article.wp_id == post.wp_id))
    created = article is None
    if article is None:
        article = Article(wp_id=post.wp_id, created_at=when, revision=1, discussion_version=1)
        article.slug = _free_article_slug(session, mapping.post_slug(post), post.wp_id)
        session.add(article)
    else:
        article.revision += 1
        article.discussion_version += 1
    article.title = _title(post)
    article.author_id = state.authors.get(post.creator)
    article.author_name = (state.author_names.get(post.creator) or post.creator or "?")[:100]
    article.body = post.content
    article.body_html = body_html
    summary = post.excerpt.strip() or None
    article.summary = summary
    article.excerpt = text.excerpt(text.render_imported(summary)[0] if summary else body_html)
    article.published_at = mapping.article_published_at(post, when)
    article.comments_open = post.comment_status == "open"
    article.updated_at = state.now
    article.topics = _post_topics(session, state, post)
    session.flush()
    state.articles[post.wp_id] = article.id
    (state.report.created if created else state.report.updated)["articles"] += 1
    remember(
        session,
        mapping.article_paths(post, state.base),
        LegacyTarget.ARTICLE,
        article.id,
        state.report,
    )


def _free_article_slug(session: Session, slug: str, wp_id: int) -> str:
    if slug_owner(session, slug) is None:
        return slug
    return f"{slug[:100]}-{wp_id}"


def _page(session: Session, state: _State, post: PostRecord) -> None:
    if post.status not in mapping.PUBLISHED or post.password:
        # Fixed pages are always public here: a draft page would become visible.
        state.report.skip(f"page with status {post.status} (pages here have no drafts)")
        return
    body_html, lost = text.render_imported(post.content)
    state.report.lost(_label(post), lost)
    page = session.scalar(select(Page).where(Page.wp_id == post.wp_id))
    created = page is None
    if page is None:
        slug = mapping.post_slug(post)
        if session.scalar(select(Page.id).where(Page.slug == slug)) is not None:
            slug = f"{slug[:100]}-{post.wp_id}"
        page = Page(wp_id=post.wp_id, slug=slug, revision=1)
        session.add(page)
    else:
        page.revision += 1
    page.title = _title(post)
    page.body = post.content
    page.body_html = body_html
    page.footer_position = post.menu_order
    page.updated_at = state.now
    session.flush()
    state.pages.add(post.wp_id)
    (state.report.created if created else state.report.updated)["pages"] += 1
    remember(
        session, mapping.page_paths(post, state.base), LegacyTarget.PAGE, page.id, state.report
    )


def _comment(session: Session, state: _State, record: CommentRecord) -> None:
    status = mapping.comment_status(record.approved)
    if status is None:
        state.report.skip(f"comment marked {record.approved or 'unknown'}")
        return
    article_id = state.articles.get(record.post_wp_id)
    if article_id is None:
        reason = "on a page" if record.post_wp_id in state.pages else "on an item not imported"
        state.report.skip(f"comment {reason}")
        return
    author_id = state.author_ids.get(record.user_id) if record.user_id else None
    by_guest = author_id is None
    if by_guest:
        author_id = guest_for(session, record, state.guests, state.report, state.now)
    body_html, lost = text.render_imported(record.content, comment=True)
    state.report.lost(f"comment {record.wp_id}", lost)
    parent_id, depth = None, 1
    if record.parent:
        found = state.comments.get(record.parent)
        if found is not None and found[1] == article_id:
            parent_id, depth = found[0], found[2] + 1
    comment = session.scalar(select(Comment).where(Comment.wp_id == record.wp_id))
    created = comment is None
    if comment is None:
        comment = Comment(wp_id=record.wp_id)
        session.add(comment)
    comment.article_id = article_id
    if created or not (by_guest and not comment.author.is_guest):
        comment.author_id = author_id  # a guest's comment claimed since stays its member's
    comment.parent_id = parent_id
    comment.depth = depth
    comment.body = record.content
    comment.body_html = body_html
    if created or comment.status not in (CommentStatus.HIDDEN, CommentStatus.DELETED):
        comment.status = status  # a moderator's hiding or deleting here outlives re-imports
    comment.created_at = mapping.moment(record.date_local, record.date_gmt, state.zone) or state.now
    session.flush()
    if record.parent and parent_id is None:
        state.orphans.append((comment.id, record.parent))
    state.comments[record.wp_id] = (comment.id, article_id, depth)
    (state.report.created if created else state.report.updated)["comments"] += 1
    remember(
        session, [f"?replytocom={record.wp_id}"], LegacyTarget.COMMENT, comment.id, state.report
    )


def _finish(session: Session, state: _State) -> None:
    """Replies listed before their parent get it now; then the counts listings show."""
    for comment_id, parent_wp_id in state.orphans:
        found = state.comments.get(parent_wp_id)
        comment = session.get(Comment, comment_id)
        if found is None or comment is None or found[1] != comment.article_id:
            state.report.warnings.append(
                f"comment {comment_id}: its parent {parent_wp_id} is not in the file; "
                "shown as a comment of its own"
            )
            continue
        comment.parent_id, comment.depth = found[0], found[2] + 1
    session.flush()
    _fix_depths(session, set(state.articles.values()))
    visible = (
        select(func.count(Comment.id))
        .where(Comment.article_id == Article.id, Comment.status == CommentStatus.VISIBLE)
        .correlate(Article)
        .scalar_subquery()
    )
    ids = list(state.articles.values())
    for start in range(0, len(ids), BATCH):
        session.execute(
            update(Article)
            .where(Article.id.in_(ids[start : start + BATCH]))
            .values(visible_comment_count=visible)
            .execution_options(synchronize_session=False)
        )


def _fix_depths(session: Session, article_ids: set[int]) -> None:
    """Depths after late parents: each comment one deeper than its parent."""
    if not article_ids:
        return
    rows = session.execute(
        select(Comment.id, Comment.parent_id, Comment.depth).where(
            Comment.article_id.in_(article_ids), Comment.wp_id.is_not(None)
        )
    ).all()
    parents = {row.id: row.parent_id for row in rows}
    stored = {row.id: row.depth for row in rows}
    for comment_id in parents:
        depth, current, seen = 1, parents[comment_id], {comment_id}
        while current is not None and current in parents and current not in seen:
            seen.add(current)
            depth += 1
            current = parents[current]
        if stored[comment_id] != depth:
            session.execute(
                update(Comment)
                .where(Comment.id == comment_id)
                .values(depth=depth)
                .execution_options(synchronize_session=False)
            )
