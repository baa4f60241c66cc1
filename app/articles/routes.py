"""Reading: the home page, articles, topics, fixed pages, feeds and the health check.

Readers' pages answer through app/caching/pages.py: validators, 304s and kept pages for
readers, the page rendered live for everybody else."""

from __future__ import annotations

from datetime import datetime

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select, text

from app.articles import bp
from app.atom import atom_response
from app.caching import shell
from app.caching.pages import article_page, kept_for_site, site_page
from app.comments.discussion import POSTED_KEY, discussion_context
from app.extensions import db
from app.models import Article, Page, utcnow
from app.permissions import is_admin
from app.services import articles as article_service
from app.services.articles import ArticleLink
from app.whole_numbers import page_arg


@bp.get("/")
def home():  # noqa: ANN201
    return site_page(_home)


def _home():  # noqa: ANN202
    listing = article_service.list_page(
        db.session, utcnow(), page_arg(), current_app.config["ARTICLES_PER_PAGE"]
    )
    if not listing.articles and listing.page > 1:
        abort(404)
    return render_template("articles/index.html", listing=listing)


@bp.get("/topics/<slug>")
def topic(slug: str):  # noqa: ANN201
    return site_page(lambda: _topic(slug))


def _topic(slug: str):  # noqa: ANN202
    found = article_service.topic_by_slug(db.session, slug)
    if found is None:
        abort(404)
    listing = article_service.list_page(
        db.session, utcnow(), page_arg(), current_app.config["ARTICLES_PER_PAGE"], found
    )
    return render_template("articles/topic.html", topic=found, listing=listing)


@bp.get("/articles/<slug>")
def article(slug: str):  # noqa: ANN201
    return article_page(slug, lambda: _article(slug))


def _article(slug: str):  # noqa: ANN202
    if shell.usable(POSTED_KEY):  # a member: from kept parts, theirs filled in (shell.py)
        page = shell.kept_member_page(utcnow())
        if page is not None:
            return page
    lookup = article_service.find_by_slug(db.session, slug)
    found, now = lookup.article, utcnow()
    if found is None:
        abort(404)
    if found.deleted_at is not None:
        abort(410)
    if not found.is_public_at(now) and not _may_preview(found):
        abort(404)
    if lookup.redirect_to:
        return redirect(url_for("articles.article", slug=lookup.redirect_to, **request.args), 301)
    neighbours = kept_for_site("neighbours", lambda: _neighbour_links(found, now), found.id)
    context = discussion_context(found, now)
    page_values = {"article": found, "neighbours": neighbours}
    if shell.usable(POSTED_KEY):
        page = shell.member_page(found, now, context, page_values)
        if page is not None:
            return page
    return render_template("articles/article.html", **page_values, **context)


def _neighbour_links(article: Article, now: datetime) -> article_service.Neighbours:
    """The previous and next articles as their links show them (title and slug only)."""
    found = article_service.neighbours(db.session, article, now)
    light = [
        ArticleLink(other.title, other.slug) if other is not None else None
        for other in (found.previous, found.next)
    ]
    return article_service.Neighbours(*light)


def _may_preview(article: Article) -> bool:
    """Admins see drafts and scheduled articles, to check them before readers do."""
    return is_admin(current_user)


@bp.get("/pages/<slug>")
def page(slug: str):  # noqa: ANN201
    return site_page(lambda: _page(slug), with_comments=False)


def _page(slug: str):  # noqa: ANN202
    found = db.session.scalar(select(Page).where(Page.slug == slug))
    if found is None:
        abort(404)
    return render_template("articles/page.html", page=found)


@bp.get("/feed.atom")
def feed():  # noqa: ANN201
    return site_page(_feed)


def _feed():  # noqa: ANN202
    entries = article_service.latest(db.session, utcnow(), current_app.config["FEED_SIZE"])
    return atom_response("feeds/articles.xml", entries=entries, topic=None)


@bp.get("/healthz")
def healthz():  # noqa: ANN201
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any failure of the database means "not healthy"
        current_app.logger.exception("health check: database unreachable")
        return {"status": "error", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}
