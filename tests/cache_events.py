"""The events that change what an article page or the home page shows, for the cache tests.

Each event takes the app and the world of build_world() and returns where to look ("middle"
or "home"), a text that must appear and a text that must go (either may be None: then only
the validator must change).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import update

from app.extensions import db
from app.models import Article, Comment, CommentStatus, Page, User, UserRole, utcnow
from app.services import account_data, comments, moderation, pages, publishing, site_settings
from tests.support import PASSWORD, Factory


def build_world(cached: Flask) -> dict[str, Any]:
    """Three public articles in a row (B in the middle), comments under B, the people."""
    make = Factory(cached)
    now = utcnow()
    older = make.article("Der Ältere", published_at=now - timedelta(days=3))
    middle = make.article("Die Mitte", published_at=now - timedelta(days=2))
    newer = make.article("Der Neuere", published_at=now - timedelta(days=1))
    author = make.user("schreiberin")
    return {
        "make": make,
        "older": older,
        "middle": middle,
        "newer": newer,
        "author": author,
        "moderator": make.user("aufsicht", role=UserRole.MODERATOR),
        "admin": make.user("redaktion", role=UserRole.ADMIN),
        "shown": make.comment(middle, author, "Ein sichtbarer Gedanke."),
        "waiting": make.comment(
            middle, author, "Ein wartender Gedanke.", status=CommentStatus.PENDING
        ),
        "page": make_page(cached),
    }


def make_page(app: Flask) -> Page:
    with app.app_context():
        page = pages.create_page(
            db.session, pages.PageInput(title="Impressum", body="Wer wir sind."), utcnow()
        )
        db.session.commit()
        db.session.refresh(page)
        db.session.expunge(page)
        return page


def _service(app: Flask, action: Callable[[Any], None]) -> None:
    with app.app_context():
        action(db.session)
        db.session.commit()


def _get(session: Any, model: type, ident: int) -> Any:
    return session.get(model, ident)


def new_comment(app, w):  # noqa: ANN001, ANN201
    w["make"].comment(w["middle"], w["author"], "Ganz frisch geschrieben.")
    return "middle", "Ganz frisch geschrieben.", None


def comment_hidden(app, w):  # noqa: ANN001, ANN201
    def act(session):  # noqa: ANN001, ANN202
        moderation.hide(
            session,
            _get(session, Comment, w["shown"].id),
            actor=_get(session, User, w["moderator"].id),
            now=utcnow(),
        )

    _service(app, act)
    return "middle", None, "Ein sichtbarer Gedanke."


def comment_approved(app, w):  # noqa: ANN001, ANN201
    def act(session):  # noqa: ANN001, ANN202
        moderation.approve(
            session,
            _get(session, Comment, w["waiting"].id),
            actor=_get(session, User, w["moderator"].id),
            now=utcnow(),
        )

    _service(app, act)
    return "middle", "Ein wartender Gedanke.", None


def comment_edited(app, w):  # noqa: ANN001, ANN201
    def act(session):  # noqa: ANN001, ANN202
        comments.edit_comment(
            session,
            comment=_get(session, Comment, w["shown"].id),
            editor=_get(session, User, w["author"].id),
            body="Ein besserer Gedanke.",
            now=utcnow(),
            settings=comments.comment_settings(session, app.config),
        )

    _service(app, act)
    return "middle", "Ein besserer Gedanke.", "Ein sichtbarer Gedanke."


def comment_withdrawn(app, w):  # noqa: ANN001, ANN201
    def act(session):  # noqa: ANN001, ANN202
        comments.delete_own_comment(
            session,
            comment=_get(session, Comment, w["shown"].id),
            actor=_get(session, User, w["author"].id),
            now=utcnow(),
        )

    _service(app, act)
    return "middle", None, "Ein sichtbarer Gedanke."


def article_edited(app, w):  # noqa: ANN001, ANN201
    def act(session):  # noqa: ANN001, ANN202
        article = _get(session, Article, w["middle"].id)
        publishing.update_article(
            session, article, _input(article, title="Die neue Mitte"), utcnow()
        )

    _service(app, act)
    return "middle", "Die neue Mitte", "Die Mitte"


def comments_closed(app, w):  # noqa: ANN001, ANN201
    def act(session):  # noqa: ANN001, ANN202
        moderation.set_comments_open(
            session,
            _get(session, Article, w["middle"].id),
            False,
            actor=_get(session, User, w["moderator"].id),
            now=utcnow(),
        )

    _service(app, act)
    return "middle", "Comments are closed.", "You must be logged in to write a comment."


def neighbour_retitled(app, w):  # noqa: ANN001, ANN201
    def act(session):  # noqa: ANN001, ANN202
        article = _get(session, Article, w["older"].id)
        publishing.update_article(
            session, article, _input(article, title="Der Umbenannte"), utcnow()
        )

    _service(app, act)
    return "middle", "Der Umbenannte", "Der Ältere"


def neighbour_deleted(app, w):  # noqa: ANN001, ANN201
    def act(session):  # noqa: ANN001, ANN202
        publishing.set_deleted(session, _get(session, Article, w["newer"].id), utcnow(), utcnow())

    _service(app, act)
    return "middle", None, "Der Neuere"


def publication_due(app, w):  # noqa: ANN001, ANN201
    """An article scheduled a moment ahead becomes due: only the clock moves. Its new topic
    then shows in the header's topic navigation of every page."""
    due = utcnow() + timedelta(seconds=1.5)
    w["make"].article("Der Geplante", topics=["Zukunftsthema"], published_at=due)
    assert "Zukunftsthema" not in w["read"]("middle")  # scheduled: not shown yet
    time.sleep(max(0.0, (due - utcnow()).total_seconds()) + 0.05)
    w["clock"].advance()  # what the worker read before it was due is reused for a second
    return "middle", "Zukunftsthema", None


def footer_page_saved(app, w):  # noqa: ANN001, ANN201
    def act(session):  # noqa: ANN001, ANN202
        page = _get(session, Page, w["page"].id)
        data = pages.PageInput(title="Kontakt", body=page.body, slug=page.slug)
        pages.update_page(session, page, data, utcnow(), expected_revision=page.revision)

    _service(app, act)
    return "middle", "Kontakt", "Impressum"


def commenter_left(app, w):  # noqa: ANN001, ANN201
    def act(session):  # noqa: ANN001, ANN202
        user = _get(session, User, w["author"].id)
        account_data.delete_account(session, user, password=PASSWORD, now=utcnow())

    _service(app, act)
    return "middle", "deleted account", "schreiberin"


def setting_saved(app, w):  # noqa: ANN001, ANN201
    def act(session):  # noqa: ANN001, ANN202
        site_settings.save_settings(session, {"COMMENT_MAX_LENGTH": 1234}, utcnow())

    _service(app, act)
    return "middle", None, None


def topic_added(app, w):  # noqa: ANN001, ANN201
    """A new topic on the neighbour: the header's topic navigation shows it on every page."""

    def act(session):  # noqa: ANN001, ANN202
        article = _get(session, Article, w["older"].id)
        publishing.update_article(
            session, article, _input(article, topics=["Geldpolitik"]), utcnow()
        )

    _service(app, act)
    return "middle", "Geldpolitik", None


def commenter_renamed(app, w):  # noqa: ANN001, ANN201
    def act(session):  # noqa: ANN001, ANN202
        _get(session, User, w["author"].id).username = "autorin"

    _service(app, act)
    return "middle", "autorin", "schreiberin"


def listed_article_edited(app, w):  # noqa: ANN001, ANN201
    article_edited(app, w)
    return "home", "Die neue Mitte", "Die Mitte"


def listed_comment_count(app, w):  # noqa: ANN001, ANN201
    new_comment(app, w)
    return "home", "2 comments", "1 comment »"


def listed_publication_due(app, w):  # noqa: ANN001, ANN201
    now = utcnow()
    planned = w["make"].article("Der Geplante", published_at=now + timedelta(days=1))
    assert "Der Geplante" not in w["read"]("home")
    with app.app_context():
        db.session.execute(update(Article).where(Article.id == planned.id).values(published_at=now))
        db.session.commit()
    w["clock"].advance()  # nothing was written that counts: readers see it within a second
    return "home", "Der Geplante", None


def _input(article: Article, **changes: Any) -> publishing.ArticleInput:
    values = {
        "title": article.title,
        "body": article.body,
        "author_name": article.author_name,
        "slug": article.slug,
        "topics": [topic.name for topic in article.topics],
        "summary": article.summary,
        "published_at": article.published_at,
        "comments_open": article.comments_open,
        "author_id": article.author_id,
    }
    values.update(changes)
    return publishing.ArticleInput(**values)


EVENTS = [
    new_comment,
    comment_hidden,
    comment_approved,
    comment_edited,
    comment_withdrawn,
    article_edited,
    comments_closed,
    neighbour_retitled,
    neighbour_deleted,
    publication_due,
    footer_page_saved,
    commenter_left,
    setting_saved,
    topic_added,
    commenter_renamed,
    listed_article_edited,
    listed_comment_count,
    listed_publication_due,
]
