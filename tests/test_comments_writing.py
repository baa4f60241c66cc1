"""Who may write a comment: readers, members, the unconfirmed, the banned, closed articles."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from app.models import AccountState, CommentStatus, UserRole, utcnow
from tests.comment_helpers import (
    comments_of,
    page_url,
    post_comment,
    section,
    state,
    textarea_text,
)
from tests.support import csrf_token, login_as

LOGIN_PROMPT = "Sie müssen eingeloggt sein, um einen Kommentar zu schreiben."


@pytest.fixture
def open_policy(app):
    """Nothing is held for review unless a test says so."""
    app.config["COMMENT_MODERATION"] = "none"


def _links(page: str, path: str) -> list[str]:
    import re

    return [href for href in re.findall(r'href="([^"]+)"', page) if href.startswith(path)]


def test_reader_sees_the_login_prompt_with_links_back_to_the_form(client, make):
    article = make.article()
    page = client.get(page_url(article)).text
    assert LOGIN_PROMPT in page
    assert 'name="body"' not in page and '<form id="comment-form"' not in page
    for path in ("/login?", "/register?"):
        (link,) = _links(section(page), path)
        target = parse_qs(urlsplit(link.replace("&amp;", "&")).query)["next"][0]
        assert target == f"/articles/{article.slug}#comment-form"


def test_confirmed_member_sees_the_form(client, make):
    article, member = make.article(), make.user()
    login_as(client, member)
    page = client.get(page_url(article)).text
    assert '<form id="comment-form"' in page
    assert 'name="body"' in page and 'name="parent_id"' in page
    assert "Kommentar abschicken" in page and "Vorschau" in page
    assert LOGIN_PROMPT not in page


def test_reader_post_stores_no_comment(app, client, make):
    article = make.article()
    before = state(app)
    login_page = client.get("/login")  # a reader's page with a form, so a valid token
    response = client.post(
        f"/articles/{article.slug}/comments",
        data={"body": "", "parent_id": "", "csrf_token": csrf_token(login_page.data)},
    )
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert state(app) == before


def test_reader_post_without_token_stores_no_comment(app, client, make):
    article = make.article()
    before = state(app)
    response = client.post(f"/articles/{article.slug}/comments", data={"body": "Hallo"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert state(app) == before


def test_unconfirmed_member_sees_why_and_cannot_post(app, client, make):
    article, member = make.article(), make.user(confirmed=False)
    login_as(client, member)
    page = client.get(page_url(article)).text
    assert '<form id="comment-form"' not in page and LOGIN_PROMPT not in page
    assert 'id="comment-form"' in page  # the explanation stands where the form would be
    before = state(app)
    response = client.post(
        f"/articles/{article.slug}/comments",
        data={"body": "Hallo", "csrf_token": csrf_token(page)},
    )
    assert response.status_code == 403
    assert "Hallo" in response.text  # offered to copy, not lost
    assert state(app) == before


@pytest.mark.parametrize("until", [None, "later"])
def test_banned_member_sees_why_and_cannot_post(app, client, make, until):
    ends = utcnow() + timedelta(days=3) if until else None
    member = make.user(state=AccountState.BANNED, banned_until=ends, ban_reason="Beleidigungen")
    article = make.article()
    login_as(client, member)
    page = client.get(page_url(article)).text
    assert '<form id="comment-form"' not in page
    assert "Beleidigungen" in page
    before = state(app)
    response = client.post(
        f"/articles/{article.slug}/comments", data={"body": "x", "csrf_token": csrf_token(page)}
    )
    assert response.status_code == 403
    assert state(app) == before


def test_ban_that_has_ended_no_longer_stops_writing(app, client, make, open_policy):
    member = make.user(state=AccountState.BANNED, banned_until=utcnow() - timedelta(hours=1))
    article = make.article()
    login_as(client, member)
    assert post_comment(client, article, "Wieder da").status_code == 302
    assert [c.body for c in comments_of(app, article)] == ["Wieder da"]


def test_deleted_account_cannot_post(app, client, make):
    member = make.user()
    article = make.article()
    login_as(client, member)
    page = client.get(page_url(article))
    make_deleted = {"state": AccountState.DELETED, "deleted_at": utcnow()}
    from app.extensions import db
    from app.models import User

    with app.app_context():
        user = db.session.get(User, member.id)
        for key, value in make_deleted.items():
            setattr(user, key, value)
        db.session.commit()
    before = state(app)
    response = client.post(
        f"/articles/{article.slug}/comments",
        data={"body": "Gespenst", "csrf_token": csrf_token(page.data)},
    )
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert state(app) == before


def test_closed_article_shows_no_form_and_refuses_posts(app, client, make):
    article = make.article(comments_open=False)
    member = make.user()
    closed = "Die Kommentare sind geschlossen."
    assert closed in client.get(page_url(article)).text
    login_as(client, member)
    page = client.get(page_url(article)).text
    assert closed in page and '<form id="comment-form"' not in page and "Antworten" not in page
    before = state(app)
    response = client.post(
        f"/articles/{article.slug}/comments", data={"body": "Doch!", "csrf_token": csrf_token(page)}
    )
    assert response.status_code == 403 and "Doch!" in response.text
    assert state(app) == before


def test_moderator_may_still_write_under_a_closed_article(app, client, make):
    article = make.article(comments_open=False)
    login_as(client, make.user(role=UserRole.MODERATOR))
    assert post_comment(client, article, "Hinweis der Moderation").status_code == 302
    (comment,) = comments_of(app, article)
    assert comment.status is CommentStatus.VISIBLE


def test_member_post_without_csrf_token_changes_nothing_and_keeps_the_text(app, client, make):
    article = make.article()
    login_as(client, make.user())
    client.get(page_url(article))
    before = state(app)
    response = client.post(f"/articles/{article.slug}/comments", data={"body": "Mein Text"})
    assert response.status_code == 400
    assert textarea_text(response.text) == "Mein Text"
    assert state(app) == before


def test_member_post_with_forged_token_changes_nothing(app, client, make):
    article = make.article()
    login_as(client, make.user())
    before = state(app)
    response = post_comment(client, article, "Text", csrf_token="forged.token.value")
    assert response.status_code == 400
    assert state(app) == before


def test_no_comments_on_an_unpublished_article(app, client, make):
    article, public = make.article(published_at=None), make.article()
    login_as(client, make.user())
    token = csrf_token(client.get(page_url(public)).data)
    before = state(app)
    response = client.post(
        f"/articles/{article.slug}/comments", data={"body": "x", "csrf_token": token}
    )
    assert response.status_code == 404
    assert state(app) == before
