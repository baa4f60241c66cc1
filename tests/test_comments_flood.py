"""Flood limits: a pause between a member's comments, and a most per hour."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.extensions import db
from app.models import Article, Comment, User, UserRole, utcnow
from app.services import comments
from tests.comment_helpers import comments_of, post_comment, state, textarea_text
from tests.support import login_as


@pytest.fixture(autouse=True)
def limits_on(app):
    app.config.update(
        COMMENT_MODERATION="none", COMMENT_MIN_INTERVAL_SECONDS=15, COMMENTS_PER_HOUR=3
    )


def test_second_comment_too_soon_is_refused_with_the_text_kept(app, client, make):
    article, member = make.article(), make.user()
    login_as(client, member)
    assert post_comment(client, article, "Erster").status_code == 302
    before = state(app)
    response = post_comment(client, article, "Zweiter, zu schnell")
    assert response.status_code == 422
    assert "Bitte warten Sie" in response.text and "Sekunden" in response.text
    assert textarea_text(response.text) == "Zweiter, zu schnell"
    assert state(app) == before


def test_after_the_pause_the_next_comment_goes_through(app, client, make):
    article, member = make.article(), make.user()
    make.comment(article, member, "vorhin", created_at=utcnow() - timedelta(seconds=20))
    login_as(client, member)
    assert post_comment(client, article, "jetzt").status_code == 302


def test_too_many_comments_in_an_hour(app, client, make):
    article, member = make.article(), make.user()
    for minutes in (50, 40, 30):
        make.comment(article, member, "x", created_at=utcnow() - timedelta(minutes=minutes))
    login_as(client, member)
    before = state(app)
    response = post_comment(client, article, "Noch einer")
    assert response.status_code == 422
    assert "in der letzten Stunde 3 Kommentare" in response.text
    assert textarea_text(response.text) == "Noch einer"
    assert state(app) == before


def test_comments_older_than_an_hour_do_not_count(app, client, make):
    article, member = make.article(), make.user()
    for minutes in (90, 80, 70):
        make.comment(article, member, "x", created_at=utcnow() - timedelta(minutes=minutes))
    login_as(client, member)
    assert post_comment(client, article, "wieder").status_code == 302


def test_moderators_are_not_slowed_down(app, client, make):
    article, moderator = make.article(), make.user(role=UserRole.MODERATOR)
    login_as(client, moderator)
    for number in range(5):
        assert post_comment(client, article, f"Hinweis {number}").status_code == 302
    assert len(comments_of(app, article)) == 5


def test_a_double_click_whose_first_comment_lands_meanwhile_is_no_flood(app, make, monkeypatch):
    """The second click looks for the first click's comment and finds none; the first is
    committed before the second's flood check, which must answer with it, not refuse."""
    article, member = make.article(), make.user()
    real_find_parent = comments.find_parent
    first_click: list[int] = []

    def first_click_lands(session, article, parent_id):  # noqa: ANN001, ANN202
        if not first_click:
            first_click.append(0)
            with Session(db.engine) as other:  # the other worker's request, committed
                first_click[0] = _post(other, article.id, member.id).id
                other.commit()
        return real_find_parent(session, article, parent_id)

    monkeypatch.setattr(comments, "find_parent", first_click_lands)
    with app.app_context():
        second = _post(db.session, article.id, member.id)
        db.session.commit()
        assert second.id == first_click[0]
        assert db.session.scalar(select(func.count(Comment.id))) == 1


def _post(session, article_id: int, author_id: int) -> Comment:  # noqa: ANN001
    return comments.post_comment(
        session,
        article=session.get(Article, article_id),
        author=session.get(User, author_id),
        body="Ein Doppelklick.",
        parent_id=None,
        now=utcnow(),
        settings=comments.comment_settings(session, current_app.config),
        submission="derselbe-schluessel-aus-dem-formular",
    )
