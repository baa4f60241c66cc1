"""Comments of a WordPress export with their reply structure, and the counts afterwards."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app import text
from app.models import Article, Comment, CommentStatus, LegacyTarget
from app.services.wordpress import mapping
from app.services.wordpress.addresses import remember
from app.services.wordpress.people import guest_for
from app.services.wordpress.reader import CommentRecord
from app.services.wordpress.state import ImportState

BATCH = 500


def take_comment(session: Session, state: ImportState, record: CommentRecord) -> None:
    """Create or update the comment; spam, trash and comments on pages are counted, not kept."""
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
    if record.url:
        state.report.unkept["commenters' web addresses (no place for them here)"] += 1
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


def finish(session: Session, state: ImportState) -> None:
    """Replies listed before their parent get it now; then the counts listings show."""
    reattached: set[int] = set()  # articles whose depths need counting again
    for comment_id, parent_wp_id in state.orphans:
        found = state.comments.get(parent_wp_id)
        comment = session.get(Comment, comment_id)
        if found is None or comment is None or found[1] != comment.article_id:
            state.report.warnings.append(
                f"comment {comment_id}: its parent {parent_wp_id} was not imported; "
                "shown as a comment of its own"
            )
            continue
        comment.parent_id, comment.depth = found[0], found[2] + 1
        reattached.add(comment.article_id)
    session.flush()
    # Otherwise every parent came before its replies and each depth was right when written.
    _fix_depths(session, reattached)
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
