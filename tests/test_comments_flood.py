"""Flood limits: a pause between a member's comments, and a most per hour."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.models import UserRole, utcnow
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
