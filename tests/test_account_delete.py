"""Deleting one's account: password required, personal data erased, comments kept."""

from __future__ import annotations

from flask import render_template_string

from app.extensions import db
from app.models import AccountState, Comment, User, UserRole
from tests.accounts_support import fetch_user, field_error, logged_in_user_id, login
from tests.support import PASSWORD, csrf_token, login_as


def delete(client, password: str):  # noqa: ANN001, ANN201
    page = client.get("/account")
    return client.post(
        "/account/delete", data={"csrf_token": csrf_token(page.data), "delete-password": password}
    )


def test_deleting_needs_the_password(app, client, make):
    user = make.user("anna")
    login_as(client, user)
    for typed in ("", "falsches Passwort"):
        response = delete(client, typed)
        assert response.status_code == 422
        assert field_error(response.text, "delete-password")
        assert fetch_user(app, user.id).state is AccountState.ACTIVE
    assert logged_in_user_id(client) == user.get_id()


def test_deleting_erases_the_person_and_logs_out(app, client, make):
    user = make.user("anna", role=UserRole.MODERATOR, locale="en")
    login(client, "anna", PASSWORD, remember=True)
    response = delete(client, PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert logged_in_user_id(client) is None
    assert client.get_cookie("remember_token") is None
    gone = fetch_user(app, user.id)
    assert gone.state is AccountState.DELETED and gone.deleted_at is not None
    for column in ("username", "username_key", "email", "email_key", "password_hash", "locale"):
        assert getattr(gone, column) is None, column
    assert gone.role is UserRole.MEMBER
    assert gone.session_version > user.session_version
    assert "gelöscht" in client.get("/").text  # the flash


def test_a_deleted_account_cannot_log_in_again(app, client, make):
    user = make.user("anna")
    login_as(client, user)
    delete(client, PASSWORD)
    for typed in ("anna", "anna@example.org"):
        assert login(client, typed, PASSWORD).status_code == 401
    # An old session cookie does not bring it back either.
    login_as(client, user)
    assert client.get("/account").status_code == 302


def test_name_and_address_are_free_again(app, client, make):
    login_as(client, make.user("anna"))
    delete(client, PASSWORD)
    again = make.user("Anna", email="ANNA@example.org")
    assert again.username == "Anna"


def test_comments_stay_shown_as_deleted_account(app, client, make):
    user = make.user("anna")
    article = make.article()
    comment = make.comment(article, user, "Bleibt stehen")
    login_as(client, user)
    delete(client, PASSWORD)
    template = "{{ comment.author.display_name }}"
    for language, shown in (("de", "gelöschtes Konto"), ("en", "deleted account")):
        with app.test_request_context("/", headers={"Accept-Language": language}):
            kept = db.session.get(Comment, comment.id)
            assert kept.body == "Bleibt stehen"
            assert render_template_string(template, comment=kept) == shown


def test_display_name_of_a_live_account_is_its_name(app, make):
    user = make.user("Jürgen")
    with app.app_context():
        assert db.session.get(User, user.id).display_name == "Jürgen"
