"""Changing one's mind: editing within the window, deleting at any time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import (
    AccountState,
    Comment,
    CommentRevision,
    CommentStatus,
    ModerationAction,
    ModerationEvent,
    UserRole,
    utcnow,
)
from tests.comment_helpers import comment_ids_in, get, page_url, section, state, textarea_text
from tests.support import csrf_token, login_as


@pytest.fixture(autouse=True)
def open_policy(app):
    app.config["COMMENT_MODERATION"] = "none"


def _edit(client, comment, body, **extra):  # noqa: ANN001, ANN202
    page = client.get(f"/comments/{comment.id}/edit")
    data = {"body": body, "csrf_token": csrf_token(page.data), **extra}
    return client.post(f"/comments/{comment.id}/edit", data=data)


def _delete(client, article, comment):  # noqa: ANN001, ANN202
    token = csrf_token(client.get(page_url(article)).data)
    return client.post(
        f"/comments/{comment.id}/delete", data={"csrf_token": token, "confirmed": "1"}
    )


def test_author_edits_within_the_window(app, client, make):
    article, member = make.article(), make.user()
    comment = make.comment(article, member, "Erste Fassung")
    login_as(client, member)
    assert f'href="/comments/{comment.id}/edit"' in client.get(page_url(article)).text
    form = client.get(f"/comments/{comment.id}/edit")
    assert form.status_code == 200 and textarea_text(form.text) == "Erste Fassung"
    response = _edit(client, comment, "Zweite *Fassung*")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#comment-{comment.id}")
    edited = get(app, Comment, comment.id)
    assert edited.body == "Zweite *Fassung*" and edited.edited_at is not None
    assert edited.status is CommentStatus.VISIBLE
    with app.app_context():
        (revision,) = db.session.scalars(select(CommentRevision)).all()
        assert revision.body == "Erste Fassung" and revision.comment_id == comment.id
        event = db.session.scalars(select(ModerationEvent)).one()
        assert event.action is ModerationAction.EDIT
    page = app.test_client().get(page_url(article)).text
    assert "<em>Fassung</em>" in page and "bearbeitet" in page


def test_edit_that_the_policy_holds_goes_back_to_review(app, client, make):
    app.config["COMMENT_MAX_LINKS"] = 1
    article, member = make.article(), make.user()
    comment = make.comment(article, member, "harmlos")
    login_as(client, member)
    assert _edit(client, comment, "https://a.example https://b.example").status_code == 302
    assert get(app, Comment, comment.id).status is CommentStatus.PENDING
    with app.app_context():
        event = db.session.scalars(select(ModerationEvent)).one()
        assert (event.action, event.from_state, event.to_state) == (
            ModerationAction.EDIT,
            "visible",
            "pending",
        )
    reader_page = app.test_client().get(page_url(article)).text
    assert "a.example" not in reader_page and "(0)" in reader_page


def test_edit_after_the_window_is_refused(app, client, make):
    article, member = make.article(), make.user()
    old = utcnow() - timedelta(minutes=16)
    comment = make.comment(article, member, "Alt", created_at=old)
    login_as(client, member)
    assert f"/comments/{comment.id}/edit" not in client.get(page_url(article)).text
    token = csrf_token(client.get(page_url(article)).data)
    before = state(app)
    response = client.post(
        f"/comments/{comment.id}/edit",
        data={"body": "Neu", "csrf_token": token},
        follow_redirects=True,
    )
    assert response.request.path == f"/articles/{article.slug}"
    assert "nicht mehr bearbeitet" in response.text
    assert client.get(f"/comments/{comment.id}/edit").status_code == 302
    assert state(app) == before


@pytest.mark.parametrize("role", [UserRole.MEMBER, UserRole.MODERATOR, UserRole.ADMIN])
def test_nobody_edits_or_deletes_another_members_comment_here(app, client, make, role):
    article = make.article()
    comment = make.comment(article, make.user(), "Fremd")
    login_as(client, make.user(role=role))
    page = section(client.get(page_url(article)).text)
    assert f"/comments/{comment.id}/edit" not in page
    assert f'action="/comments/{comment.id}/delete"' not in page
    token = csrf_token(client.get(page_url(article)).data)
    before = state(app)
    assert client.get(f"/comments/{comment.id}/edit").status_code == 403
    edit = client.post(f"/comments/{comment.id}/edit", data={"body": "X", "csrf_token": token})
    assert edit.status_code == 403
    delete = client.post(f"/comments/{comment.id}/delete", data={"csrf_token": token})
    assert delete.status_code == 403
    assert state(app) == before


def test_readers_are_sent_to_log_in_and_see_no_controls(app, client, make):
    article = make.article()
    comment = make.comment(article, make.user(), "Text")
    page = section(client.get(page_url(article)).text)
    assert "csrf_token" not in page and "/edit" not in page and "/delete" not in page
    before = state(app)
    for method, path in (("get", "edit"), ("post", "edit"), ("post", "delete")):
        response = getattr(client, method)(f"/comments/{comment.id}/{path}")
        assert response.status_code in (302, 400)
        if response.status_code == 302:
            assert "/login" in response.headers["Location"]
    assert state(app) == before


@pytest.mark.parametrize("body", ["", "   ", "x" * 5001])
def test_bad_edit_comes_back_with_the_text(app, client, make, body):
    article, member = make.article(), make.user()
    comment = make.comment(article, member, "Gut")
    login_as(client, member)
    before = state(app)
    response = _edit(client, comment, body)
    assert response.status_code == 422
    assert textarea_text(response.text) == body
    assert state(app) == before


def test_edit_without_token_keeps_the_text_and_changes_nothing(app, client, make):
    article, member = make.article(), make.user()
    comment = make.comment(article, member, "Gut")
    login_as(client, member)
    before = state(app)
    response = client.post(f"/comments/{comment.id}/edit", data={"body": "Besser"})
    assert response.status_code == 400
    assert textarea_text(response.text) == "Besser"
    assert state(app) == before


def test_edit_preview(app, client, make):
    article, member = make.article(), make.user()
    comment = make.comment(article, member, "Gut")
    login_as(client, member)
    before = state(app)
    response = _edit(client, comment, "**Besser**", preview="1")
    assert response.status_code == 200 and "<strong>Besser</strong>" in response.text
    assert state(app) == before


def test_banned_author_may_delete_but_not_edit(app, client, make):
    article = make.article()
    member = make.user()
    comment = make.comment(article, member, "Text")
    with app.app_context():
        from app.models import User

        user = db.session.get(User, member.id)
        user.state = AccountState.BANNED
        db.session.commit()
    login_as(client, member)
    assert client.get(f"/comments/{comment.id}/edit").status_code == 302
    assert _delete(client, article, comment).status_code == 302
    assert get(app, Comment, comment.id).status is CommentStatus.DELETED


def test_delete_own_comment_without_replies_makes_it_disappear(app, client, make):
    article, member = make.article(), make.user()
    comment = make.comment(article, member, "Bereue ich")
    login_as(client, member)
    response = _delete(client, article, comment)
    assert response.status_code == 302
    deleted = get(app, Comment, comment.id)
    assert deleted.status is CommentStatus.DELETED and deleted.body == "Bereue ich"  # soft
    with app.app_context():
        event = db.session.scalars(select(ModerationEvent)).one()
        assert (event.action, event.to_state) == (ModerationAction.DELETE, "deleted")
    page = app.test_client().get(page_url(article)).text
    assert comment.id not in comment_ids_in(page) and "(0)" in page


def test_delete_own_comment_with_a_visible_reply_leaves_a_placeholder(app, client, make):
    article, member = make.article(), make.user()
    comment = make.comment(article, member, "Bereue ich")
    reply = make.comment(article, make.user(), "Antwort", parent=comment)
    login_as(client, member)
    _delete(client, article, comment)
    page = section(app.test_client().get(page_url(article)).text)
    assert comment_ids_in(page) == [comment.id, reply.id]
    assert "Kommentar entfernt" in page and "Bereue ich" not in page


def test_delete_twice_or_without_token_changes_nothing(app, client, make):
    article, member = make.article(), make.user()
    comment = make.comment(article, member, "x", status=CommentStatus.DELETED)
    other = make.comment(article, member, "y")
    login_as(client, member)
    before = state(app)
    assert _delete(client, article, comment).status_code == 302
    assert client.post(f"/comments/{other.id}/delete").status_code == 400
    assert state(app) == before


def test_own_pending_comment_may_be_deleted(app, client, make):
    article, member = make.article(), make.user()
    comment = make.comment(article, member, "wartet", status=CommentStatus.PENDING)
    login_as(client, member)
    assert _delete(client, article, comment).status_code == 302
    assert get(app, Comment, comment.id).status is CommentStatus.DELETED
