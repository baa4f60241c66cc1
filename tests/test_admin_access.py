"""Only admins reach the admin area: readers are sent to log in, everyone else gets 403."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Article, ModerationEvent, Page, User, UserRole
from app.services import pages as page_service
from tests.admin_support import ARTICLE_DEFAULTS, session_csrf
from tests.support import login_as

GET_PATHS = [
    "/admin/",
    "/admin/articles",
    "/admin/articles?q=a&state=draft&page=1",
    "/admin/articles/new",
    "/admin/articles/{article}/edit",
    "/admin/articles/{article}/delete",
    "/admin/pages",
    "/admin/pages/new",
    "/admin/pages/{page}/edit",
    "/admin/pages/{page}/delete",
    "/admin/users",
    "/admin/users?q=x&role=admin",
    "/admin/users/{user}",
]
POSTS = [
    ("/admin/articles/new", dict(ARTICLE_DEFAULTS, action="publish", title="Neu")),
    ("/admin/articles/{article}/edit", dict(ARTICLE_DEFAULTS, action="save", revision="1")),
    ("/admin/articles/{article}/delete", {}),
    ("/admin/articles/{article}/restore", {}),
    ("/admin/pages/new", {"title": "Impressum", "body": "x", "action": "save"}),
    ("/admin/pages/{page}/edit", {"title": "Anders", "body": "x", "revision": "1"}),
    ("/admin/pages/{page}/delete", {}),
    ("/admin/users/{user}/role", {"role": "admin"}),
]


@pytest.fixture
def scene(app, make):
    member = make.user("Mitglied")
    moderator = make.user("Moderatorin", role=UserRole.MODERATOR)
    article = make.article("Ein Artikel")
    with app.app_context():
        page = page_service.create_page(
            db.session,
            page_service.PageInput(title="Über uns", body="Wir."),
            now=article.created_at,
        )
        db.session.commit()
        page_id = page.id
    ids = {"article": article.id, "page": page_id, "user": member.id}
    return {"ids": ids, "member": member, "moderator": moderator}


def snapshot(app) -> tuple:
    """Everything an admin action could change."""
    with app.app_context():
        articles = db.session.execute(
            select(Article.id, Article.title, Article.revision, Article.deleted_at)
        ).all()
        pages = db.session.execute(select(Page.id, Page.title, Page.revision)).all()
        roles = db.session.execute(select(User.id, User.role)).all()
        events = db.session.scalar(select(db.func.count(ModerationEvent.id)))
        return articles, pages, roles, events


def test_readers_are_sent_to_log_in_and_nothing_changes(app, client, scene):
    for path in GET_PATHS:
        response = client.get(path.format(**scene["ids"]))
        assert response.status_code == 302, path
        assert "/login" in response.headers["Location"], path
    before = snapshot(app)
    token = session_csrf(app, client)
    for path, form in POSTS:
        response = client.post(path.format(**scene["ids"]), data=dict(form, csrf_token=token))
        assert response.status_code == 302 and "/login" in response.headers["Location"], path
    assert snapshot(app) == before


@pytest.mark.parametrize("role", ["member", "moderator"])
def test_members_and_moderators_are_refused_and_nothing_changes(app, client, scene, role):
    login_as(client, scene[role])
    for path in GET_PATHS:
        assert client.get(path.format(**scene["ids"])).status_code == 403, path
    before = snapshot(app)
    token = session_csrf(app, client)
    for path, form in POSTS:
        response = client.post(path.format(**scene["ids"]), data=dict(form, csrf_token=token))
        assert response.status_code == 403, path
    assert snapshot(app) == before


def test_admin_posts_without_csrf_token_are_refused(app, client, make, scene):
    login_as(client, make.user("Chefin", role=UserRole.ADMIN))
    before = snapshot(app)
    for path, form in POSTS:
        assert client.post(path.format(**scene["ids"]), data=form).status_code == 400, path
        bad = dict(form, csrf_token="forged")
        assert client.post(path.format(**scene["ids"]), data=bad).status_code == 400, path
    assert snapshot(app) == before


def test_admins_reach_every_page(client, make, scene):
    login_as(client, make.user("Chefin", role=UserRole.ADMIN))
    for path in GET_PATHS:
        expected = 302 if path == "/admin/" else 200
        assert client.get(path.format(**scene["ids"])).status_code == expected, path


def test_a_deleted_admin_account_is_refused(app, client, make, scene):
    ghost = make.user("Geist", role=UserRole.ADMIN)
    login_as(client, ghost)
    with app.app_context():
        from app.models import AccountState

        db.session.get(User, ghost.id).state = AccountState.DELETED
        db.session.commit()
    response = client.get("/admin/articles")
    assert response.status_code in (302, 403)


def test_admins_see_the_admin_link_and_others_do_not(client, make, scene):
    admin = make.user("Chefin", role=UserRole.ADMIN)
    assert 'href="/admin/articles"' not in client.get("/").get_data(as_text=True)
    login_as(client, scene["moderator"])
    assert 'href="/admin/articles"' not in client.get("/").get_data(as_text=True)
    login_as(client, admin)
    assert 'href="/admin/articles"' in client.get("/").get_data(as_text=True)
