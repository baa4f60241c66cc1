"""Topics: the index of all topics, and each topic's feed (its page is in routes.py)."""

from __future__ import annotations

from flask import abort, current_app, render_template

from app.articles import bp
from app.atom import atom_response
from app.caching.pages import site_page
from app.extensions import db
from app.models import utcnow
from app.services import articles as article_service
from app.services import topics as topic_service


@bp.get("/topics")
def topics():  # noqa: ANN201
    return site_page(
        lambda: render_template(
            "articles/topics.html", topics=topic_service.public_topics(db.session, utcnow())
        )
    )


@bp.get("/topics/<slug>/feed.atom")
def topic_feed(slug: str):  # noqa: ANN201
    return site_page(lambda: _topic_feed(slug))


def _topic_feed(slug: str):  # noqa: ANN202
    topic = article_service.topic_by_slug(db.session, slug)
    if topic is None:
        abort(404)
    listing = article_service.list_page(
        db.session, utcnow(), 1, current_app.config["FEED_SIZE"], topic
    )
    return atom_response("feeds/articles.xml", entries=listing.articles, topic=topic)
