"""Account states: active, banned (with an optional end), deleted; and the write notice."""

from __future__ import annotations

from datetime import timedelta

from flask import render_template_string
from flask_login import login_user

from app.extensions import db
from app.models import AccountState, User, utcnow
from app.permissions import can_write
from app.services.accounts import WriteBlock, write_block
from tests.accounts_support import login
from tests.support import PASSWORD

NOTICE = '{% include "_partials/write_blocked.html" %}'


def notice_for(app, user_id: int, language: str = "de") -> str:  # noqa: ANN001
    with app.test_request_context("/articles/x", headers={"Accept-Language": language}):
        login_user(db.session.get(User, user_id))
        return render_template_string(NOTICE).strip()


def test_a_banned_member_can_log_in_and_read_but_is_told(client, make):
    article = make.article()
    make.user("anna", state=AccountState.BANNED, ban_reason="Beleidigungen")
    response = login(client, "anna", PASSWORD)
    assert response.status_code == 302
    page = client.get("/", follow_redirects=True).text
    assert "gesperrt" in page
    assert client.get(f"/articles/{article.slug}").status_code == 200
    account = client.get("/account").text
    assert "Ihr Konto ist gesperrt" in account and "Beleidigungen" in account


def test_ban_with_an_end(app, make):
    until = utcnow() + timedelta(days=3)
    user = make.user("anna", state=AccountState.BANNED, banned_until=until)
    with app.app_context():
        row = db.session.get(User, user.id)
        assert not can_write(row)
        assert write_block(row, utcnow()) is WriteBlock.BANNED
        assert write_block(row, until + timedelta(seconds=1)) is None
        assert can_write(row, until + timedelta(seconds=1))
    german = notice_for(app, user.id)
    english = notice_for(app, user.id, "en")
    assert "Ihr Konto ist bis" in german and str(until.year) in german
    assert "banned until" in english


def test_a_ban_that_has_ended_no_longer_blocks(app, make):
    user = make.user(
        "anna", state=AccountState.BANNED, banned_until=utcnow() - timedelta(minutes=1)
    )
    with app.app_context():
        assert can_write(db.session.get(User, user.id))
        assert notice_for(app, user.id) == ""


def test_an_unconfirmed_member_is_told_with_a_resend_button(app, make):
    user = make.user("anna", confirmed=False)
    with app.app_context():
        row = db.session.get(User, user.id)
        assert not can_write(row)
        assert write_block(row, utcnow()) is WriteBlock.UNCONFIRMED
        html = notice_for(app, user.id)
    assert "anna@example.org" in html
    assert 'action="/confirm/resend?next=/articles/x"' in html
    assert 'name="csrf_token"' in html and "Link erneut schicken" in html


def test_an_active_confirmed_member_sees_no_notice(app, make):
    user = make.user("anna")
    with app.app_context():
        assert can_write(db.session.get(User, user.id))
        assert notice_for(app, user.id) == ""


def test_readers_see_no_notice(app):
    with app.test_request_context("/"):
        assert render_template_string(NOTICE).strip() == ""


def test_a_deleted_account_is_blocked(app, make):
    user = make.user("anna")
    with app.app_context():
        row = db.session.get(User, user.id)
        row.state = AccountState.DELETED
        assert write_block(row, utcnow()) is WriteBlock.DELETED
        assert not can_write(row)
