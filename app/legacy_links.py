"""Old WordPress addresses of imported content answer 301 with the new address.

Only addresses in the table the import filled (app.models.LegacyPath) are redirected, to
addresses this site builds itself: no request can make the site send a visitor elsewhere.
The feeds' old addresses and the search (``/?s=``) are the exceptions, being the same for
every WordPress site. Ordinary requests pay nothing: the table is asked only for the home
page with WordPress's query parameters, or for an address no route knows.
"""

from __future__ import annotations

from flask import Flask, abort, redirect, request, url_for
from werkzeug.exceptions import NotFound
from werkzeug.routing import RequestRedirect
from werkzeug.wrappers import Response

from app.extensions import db
from app.models import Article, Comment, LegacyTarget, Page, Topic
from app.services.wordpress.addresses import lookup
from app.services.wordpress.mapping import normal_request_path

# WordPress's query parameters on the home page, in the order they win.
QUERY_KEYS = ("replytocom", "p", "page_id", "cat", "tag")
FEED_SUFFIX = "feed/"


def _target_url(target: LegacyTarget, target_id: int, *, feed: bool = False) -> str | None:
    if target is LegacyTarget.ARTICLE:
        article = db.session.get(Article, target_id)
        if article is None:
            return None
        if feed:
            return url_for("comments.feed", slug=article.slug)
        # The marker lets static/js/old-links.js find a "#comment-ID" of WordPress's.
        return url_for("articles.article", slug=article.slug, **{"from": "wordpress"})
    if target is LegacyTarget.TOPIC:
        topic = db.session.get(Topic, target_id)
        if topic is None:
            return None
        endpoint = "articles.topic_feed" if feed else "articles.topic"
        return url_for(endpoint, slug=topic.slug)
    if feed:
        return None
    if target is LegacyTarget.PAGE:
        page = db.session.get(Page, target_id)
        return url_for("articles.page", slug=page.slug) if page else None
    if target is LegacyTarget.COMMENT and db.session.get(Comment, target_id) is not None:
        return url_for("comments.permalink", comment_id=target_id)
    return None


def _moved(url: str | None) -> Response:
    if url is None:
        abort(404)
    return redirect(url, 301)


def _from_query() -> Response | None:
    args = request.args
    if "s" in args:
        return _moved(url_for("search.search", q=args["s"][:200]))
    feed = args.get("feed")
    if feed:
        return _moved(url_for("articles.feed"))
    for key in QUERY_KEYS:
        value = args.get(key, "").strip()
        if value:
            row = lookup(db.session, f"?{key}={value.lower()[:200]}")
            return _moved(_target_url(row.target, row.target_id) if row else None)
    return None


def _from_path() -> Response | None:
    path = normal_request_path(request.path)
    if path == "/feed/":
        return _moved(url_for("articles.feed"))
    if path == "/comments/feed/":
        return _moved(url_for("comments.site_feed"))
    if len(path) > 500:
        return None
    row = lookup(db.session, path)
    if row is not None:
        return _moved(_target_url(row.target, row.target_id))
    if path.endswith("/" + FEED_SUFFIX):
        row = lookup(db.session, path[: -len(FEED_SUFFIX)])
        if row is not None:
            return _moved(_target_url(row.target, row.target_id, feed=True))
    return None


def redirect_old_address() -> Response | None:
    if request.method not in ("GET", "HEAD"):
        return None
    if request.path == "/" and request.args:
        return _from_query()
    error = request.routing_exception
    if isinstance(error, NotFound) and not isinstance(error, RequestRedirect):
        return _from_path()
    return None


def init_app(app: Flask) -> None:
    app.before_request(redirect_old_address)
