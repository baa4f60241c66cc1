"""Nothing typed is lost: a member whose session ended finds the text again after logging in."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from app.extensions import db
from app.models import CommentDraft, utcnow
from app.services import drafts
from tests.comment_helpers import (
    comments_of,
    drafts_count,
    page_url,
    section,
    state,
    textarea_text,
)
from tests.support import csrf_token, login_as


@pytest.fixture(autouse=True)
def open_policy(app):
    app.config["COMMENT_MODERATION"] = "none"


def _write_then_lose_the_session(client, article, body, parent_id=""):  # noqa: ANN001, ANN202
    """Open the form while logged in, let the session end, then send the form."""
    token = csrf_token(client.get(page_url(article)).data)
    client.delete_cookie("session")
    return client.post(
        f"/articles/{article.slug}/comments",
        data={"body": body, "parent_id": str(parent_id), "csrf_token": token},
    )


def _next_of(location: str) -> str:
    assert urlsplit(location).path == "/login"
    return parse_qs(urlsplit(location).query)["next"][0]


def test_text_survives_an_ended_session_and_a_new_login(app, client, make):
    article, member = make.article(), make.user()
    login_as(client, member)
    before = state(app)
    response = _write_then_lose_the_session(client, article, "Ein langer\r\nGedanke <b>!</b>")
    assert response.status_code == 302
    target = _next_of(response.headers["Location"])
    assert target.startswith(f"/articles/{article.slug}?draft=")
    assert target.endswith("#comment-form")
    assert state(app) == before  # no comment was created
    assert drafts_count(app) == 1

    login_as(client, member)
    page = client.get(target.split("#")[0]).text
    assert textarea_text(page) == "Ein langer\nGedanke <b>!</b>"
    token = target.split("draft=")[1].split("#")[0]
    assert f'name="draft" value="{token}"' in page

    posted = client.post(
        f"/articles/{article.slug}/comments",
        data={"body": textarea_text(page), "draft": token, "csrf_token": csrf_token(page)},
    )
    assert posted.status_code == 302
    assert [c.body for c in comments_of(app, article)] == ["Ein langer\nGedanke <b>!</b>"]
    assert drafts_count(app) == 0  # consumed once posted


def test_a_reply_keeps_its_parent_through_the_login(app, client, make):
    article, member = make.article(), make.user()
    parent = make.comment(article, make.user(), "Frage?")
    login_as(client, member)
    response = _write_then_lose_the_session(client, article, "Antwort!", parent.id)
    target = _next_of(response.headers["Location"])
    login_as(client, member)
    page = client.get(target.split("#")[0]).text
    assert f'name="parent_id" value="{parent.id}"' in page
    assert "Antwort an" in section(page)


def test_an_empty_form_from_an_ended_session_just_asks_to_log_in(app, client, make):
    article = make.article()
    login_as(client, make.user())
    response = _write_then_lose_the_session(client, article, "   ")
    assert _next_of(response.headers["Location"]) == f"/articles/{article.slug}#comment-form"
    assert drafts_count(app) == 0


def test_expired_draft_is_not_offered_and_old_ones_are_cleared(app, client, make):
    article, member = make.article(), make.user()
    with app.app_context():
        old = drafts.save_draft(
            db.session,
            article_id=article.id,
            parent_id=None,
            body="vor zwei Tagen",
            now=utcnow() - timedelta(days=2),
        )
        db.session.commit()
    login_as(client, member)
    page = client.get(page_url(article, draft=old)).text
    assert textarea_text(page) == ""
    with app.app_context():
        drafts.save_draft(
            db.session, article_id=article.id, parent_id=None, body="neu", now=utcnow()
        )
        db.session.commit()
        assert db.session.get(CommentDraft, old) is None


def test_a_draft_is_only_offered_on_its_own_article(app, client, make):
    first, second, member = make.article(), make.article(), make.user()
    with app.app_context():
        token = drafts.save_draft(
            db.session, article_id=first.id, parent_id=None, body="für den ersten", now=utcnow()
        )
        db.session.commit()
    login_as(client, member)
    assert textarea_text(client.get(page_url(second, draft=token)).text) == ""
    assert textarea_text(client.get(page_url(first, draft=token)).text) == "für den ersten"


@pytest.mark.parametrize("token", ["nonsense", "x" * 500, ""])
def test_unknown_draft_tokens_give_an_empty_form(client, make, token):
    article = make.article()
    login_as(client, make.user())
    response = client.get(page_url(article, draft=token))
    assert response.status_code == 200
    assert textarea_text(response.text) == ""


def test_readers_are_not_shown_draft_text(app, client, make):
    article = make.article()
    with app.app_context():
        token = drafts.save_draft(
            db.session, article_id=article.id, parent_id=None, body="geheim", now=utcnow()
        )
        db.session.commit()
    page = client.get(page_url(article, draft=token)).text
    assert "geheim" not in page


def test_stale_form_of_a_logged_in_member_comes_back_filled(app, client, make):
    """Logged in again by a remember-me cookie: new session, old token. Nothing is lost."""
    article, member = make.article(), make.user()
    login_as(client, member)
    token = csrf_token(client.get(page_url(article)).data)
    client.delete_cookie("session")
    login_as(client, member)
    before = state(app)
    response = client.post(
        f"/articles/{article.slug}/comments", data={"body": "Noch da?", "csrf_token": token}
    )
    assert response.status_code == 400
    assert textarea_text(response.text) == "Noch da?"
    assert "Das Formular war abgelaufen." in response.text
    assert state(app) == before
