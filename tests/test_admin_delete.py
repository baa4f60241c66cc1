"""Deleting an article is soft, confirmed, logged, answers 410, and can be undone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import (
    Article,
    CacheVersion,
    Comment,
    ModerationAction,
    ModerationEvent,
    UserRole,
    VersionScope,
    utcnow,
)
from tests.admin_support import check_structure
from tests.support import csrf_token, login_as


@pytest.fixture
def admin(client, make):
    user = make.user("Chefin", role=UserRole.ADMIN)
    login_as(client, user)
    return user


def events(app) -> list[tuple]:
    with app.app_context():
        return db.session.execute(
            select(
                ModerationEvent.action,
                ModerationEvent.actor_id,
                ModerationEvent.article_id,
                ModerationEvent.from_state,
                ModerationEvent.to_state,
                ModerationEvent.reason_params,
            ).order_by(ModerationEvent.id)
        ).all()


def test_delete_asks_first_then_deletes_softly_and_logs(app, client, make, admin):
    start = utcnow() - timedelta(days=5)
    make.article("Davor", published_at=start)
    article = make.article("Wird gelöscht", published_at=start + timedelta(days=1))
    make.article("Danach", published_at=start + timedelta(days=2))
    make.comment(article, make.user("Leserin"))
    with app.app_context():
        versions = {a.id: a.discussion_version for a in db.session.scalars(select(Article))}
        site_before = db.session.scalar(
            select(CacheVersion.version).where(CacheVersion.name == VersionScope.SITE.value)
        )

    confirm = client.get(f"/admin/articles/{article.id}/delete")
    html = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "Wird gelöscht" in html
    check_structure(html)
    with app.app_context():
        assert db.session.get(Article, article.id).deleted_at is None  # asking changes nothing

    response = client.post(
        f"/admin/articles/{article.id}/delete",
        data={"csrf_token": csrf_token(html), "reason": "Doppelt"},
    )
    assert response.status_code == 302
    with app.app_context():
        stored = db.session.get(Article, article.id)
        assert stored.deleted_at is not None
        assert db.session.scalar(select(db.func.count(Comment.id))) == 1  # comments stay
        bumped = {a.id: a.discussion_version for a in db.session.scalars(select(Article))}
        site = db.session.scalar(
            select(CacheVersion.version).where(CacheVersion.name == VersionScope.SITE.value)
        )
    # The article's own page, and every page through the site's version (its neighbours'
    # links, the lists).
    assert bumped[article.id] == versions[article.id] + 1 and site == site_before + 1
    assert events(app) == [
        (
            ModerationAction.DELETE_ARTICLE,
            admin.id,
            article.id,
            "published",
            "deleted",
            {"text": "Doppelt"},
        )
    ]

    with client.session_transaction() as session:
        session.clear()
    assert client.get("/articles/wird-geloescht").status_code == 410
    assert "Wird gelöscht" not in client.get("/").get_data(as_text=True)
    assert "wird-geloescht" not in client.get("/feed.atom").get_data(as_text=True)
    nav = client.get("/articles/davor").get_data(as_text=True)
    assert "/articles/danach" in nav and "/articles/wird-geloescht" not in nav


def test_restore_brings_it_back_and_logs(app, client, make, admin):
    article = make.article("Zurück", deleted_at=utcnow())
    listing = client.get("/admin/articles?state=deleted").get_data(as_text=True)
    assert "Wiederherstellen" in listing
    response = client.post(
        f"/admin/articles/{article.id}/restore", data={"csrf_token": csrf_token(listing)}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Article, article.id).deleted_at is None
    assert events(app) == [
        (ModerationAction.RESTORE_ARTICLE, admin.id, article.id, "deleted", "published", None)
    ]
    assert client.get("/articles/zurueck").status_code == 200


def test_deleting_twice_or_restoring_a_live_article_changes_nothing(app, client, make, admin):
    gone = make.article("Weg", deleted_at=utcnow())
    live = make.article("Da")
    token = csrf_token(client.get(f"/admin/articles/{live.id}/delete").data)
    response = client.post(f"/admin/articles/{gone.id}/delete", data={"csrf_token": token})
    assert response.status_code == 302
    response = client.post(f"/admin/articles/{live.id}/restore", data={"csrf_token": token})
    assert response.status_code == 302
    assert events(app) == []
    with app.app_context():
        assert db.session.get(Article, live.id).deleted_at is None


def test_delete_without_csrf_token_changes_nothing(app, client, make, admin):
    article = make.article("Bleibt")
    assert client.post(f"/admin/articles/{article.id}/delete").status_code == 400
    assert (
        client.post(f"/admin/articles/{article.id}/delete", data={"csrf_token": "x"}).status_code
        == 400
    )
    with app.app_context():
        assert db.session.get(Article, article.id).deleted_at is None
    assert events(app) == []
    assert client.get("/admin/articles/999/delete").status_code == 404
