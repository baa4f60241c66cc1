"""Terms, posts and pages of a WordPress export as topics, articles and fixed pages."""

from __future__ import annotations

import html

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import text
from app.models import Article, BodyFormat, LegacyTarget, Page, Topic
from app.services.publishing import slug_owner
from app.services.wordpress import mapping
from app.services.wordpress.addresses import remember
from app.services.wordpress.reader import PostRecord, Term
from app.services.wordpress.state import ImportState

TITLE_MAX = 200
TOPIC_MAX = 80


def take_term(session: Session, state: ImportState, term: Term) -> int | None:
    """The topic of a category or tag (found by WordPress id, slug or name, else created)."""
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
    elif topic.id not in state.topic_ids:  # not one this import made or met already
        if topic.wp_id is None and term.wp_id is not None:
            clash = session.scalar(select(Topic.id).where(Topic.wp_id == term.wp_id))
            if clash is None:
                topic.wp_id = term.wp_id
        state.report.updated["topics"] += 1
    state.topic_ids.add(topic.id)
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


def _post_topics(session: Session, state: ImportState, post: PostRecord) -> list[Topic]:
    ids: list[int] = []
    for kind, slug, name in post.terms:
        if kind not in mapping.TOPIC_TAXONOMIES:
            continue
        topic_id = state.topics.get((kind, slug.lower()))
        if topic_id is None:  # an export that lists terms only on the posts (WXR 1.0)
            topic_id = take_term(session, state, Term(kind, None, slug, name))
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


def take_post(session: Session, state: ImportState, post: PostRecord) -> None:
    """A post as an article, a page as a fixed page; anything else is counted as skipped."""
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
    article.body_format = BodyFormat.HTML
    article.body = post.content
    article.body_html = body_html
    summary = post.excerpt.strip() or None
    article.summary = summary
    teaser = summary or _before_more(post.content)
    article.excerpt = text.excerpt(text.render_imported(teaser)[0] if teaser else body_html)
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


def _before_more(content: str) -> str | None:
    """The teaser WordPress shows in lists: the text before ``<!--more-->``, if marked."""
    head, marker, _ = content.partition("<!--more")
    return (head.strip() or None) if marker else None


def _free_article_slug(session: Session, slug: str, wp_id: int) -> str:
    """*slug*, or with the WordPress id added when an article here has or had it."""
    if slug_owner(session, slug) is None:
        return slug
    return f"{slug[:100]}-{wp_id}"


def _page(session: Session, state: ImportState, post: PostRecord) -> None:
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
    page.body_format = BodyFormat.HTML
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
