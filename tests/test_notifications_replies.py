"""Reply notices: one mail and one entry when a reply to one's comment becomes visible,
never for a reply that is not visible when the worker comes to it, never twice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AccountState, Comment, MailState, Notice, NoticeKind, User, utcnow
from app.services import bans, comments
from app.services.comments import comment_settings
from tests.accounts_support import app_with
from tests.notification_support import (
    Site,
    decide,
    mails_to,
    notices,
    notification_site,
    reply,
    run_worker,
)


@pytest.fixture
def site(database_url: str, tmp_path: Path, marked_settings: dict) -> Iterator[Site]:
    yield from notification_site(database_url, tmp_path, **marked_settings)


def test_a_visible_reply_sends_one_mail_and_one_entry(site):
    answer = reply(site, site.ben, site.first, "Da widerspreche ich.")
    assert answer.status.value == "visible"
    assert run_worker(site.app).sent == 1
    [message] = mails_to(site, site.anna)
    assert "ben" in message["Subject"]
    assert f"/comments/{answer.id}" in site.mail.body(message)
    assert mails_to(site, site.ben) == []  # nobody hears of their own reply
    assert run_worker(site.app).sent == 0  # and nothing goes twice
    assert len(site.mail.messages) == 1
    [notice] = notices(site.app, kind=NoticeKind.REPLY)
    assert (notice.recipient_id, notice.comment_id) == (site.anna.id, answer.id)


def test_a_held_reply_is_told_once_when_it_is_approved(site):
    newcomer = site.make.user("neuling")
    answer = reply(site, newcomer, site.first, "Mein allererster Kommentar.")
    assert answer.status.value == "pending"
    run_worker(site.app)
    assert mails_to(site, site.anna) == []
    assert decide(site, answer, "approve").status_code == 302
    run_worker(site.app)
    run_worker(site.app)
    assert len(mails_to(site, site.anna)) == 1


def test_a_reply_hidden_before_the_worker_ran_sends_nothing(site):
    answer = reply(site, site.ben, site.first, "Gleich wieder weg.")
    decide(site, answer, "hide", reason="Off topic")
    run_worker(site.app)
    assert mails_to(site, site.anna) == []
    [notice] = notices(site.app, kind=NoticeKind.REPLY)
    assert notice.mail_state is MailState.SKIPPED
    assert "Gleich wieder weg" not in site.client(site.anna).get("/notifications").text


def test_a_reply_deleted_by_its_author_before_the_worker_ran_sends_nothing(site):
    answer = reply(site, site.ben, site.first, "Doch nicht.")
    with site.app.app_context():
        comments.delete_own_comment(
            db.session,
            comment=db.session.get(Comment, answer.id),
            actor=db.session.get(User, site.ben.id),
            now=utcnow(),
        )
        db.session.commit()
    run_worker(site.app)
    assert mails_to(site, site.anna) == []


@pytest.mark.parametrize("worker_between", [False, True])
def test_approved_hidden_and_approved_again_tells_once(site, worker_between):
    newcomer = site.make.user("neuling")
    answer = reply(site, newcomer, site.first, "Hin und her.")
    decide(site, answer, "approve")
    if worker_between:
        run_worker(site.app)
    decide(site, answer, "hide", reason="Zu scharf")
    run_worker(site.app)
    decide(site, answer, "unhide")
    run_worker(site.app)
    run_worker(site.app)
    assert len(mails_to(site, site.anna)) == 1
    assert len(notices(site.app, kind=NoticeKind.REPLY)) == 1


def test_a_reply_to_ones_own_comment_tells_nobody(site):
    reply(site, site.anna, site.first, "Nachtrag zu meinem eigenen Gedanken.")
    run_worker(site.app)
    assert site.mail.messages == []
    assert notices(site.app, kind=NoticeKind.REPLY) == []


def test_a_deleted_account_hears_nothing(site):
    with site.app.app_context():
        anna = db.session.get(User, site.anna.id)
        anna.state = AccountState.DELETED
        db.session.commit()
    reply(site, site.ben, site.first, "An niemanden mehr.")
    run_worker(site.app)
    assert site.mail.messages == []


@pytest.mark.writes_in_a_row
def test_a_banned_account_hears_nothing_of_replies(site):
    answer = reply(site, site.ben, site.first, "Noch vor dem Bann geschrieben.")
    with site.app.app_context():
        bans.ban(
            db.session,
            db.session.get(User, site.anna.id),
            actor=db.session.get(User, site.moderator.id),
            now=utcnow(),
            reason="Beleidigung",
        )
        db.session.commit()
    run_worker(site.app)
    kinds = {(n.kind, n.mail_state) for n in notices(site.app, recipient_id=site.anna.id)}
    assert (NoticeKind.REPLY, MailState.SKIPPED) in kinds  # written while she could hear
    assert (NoticeKind.BANNED, MailState.SENT) in kinds  # the ban itself she is told of
    assert all(answer.body not in site.mail.body(m) for m in mails_to(site, site.anna))
    reply(site, site.ben, site.first, "Nach dem Bann.")
    assert len(notices(site.app, recipient_id=site.anna.id, kind=NoticeKind.REPLY)) == 1


def test_a_rolled_back_reply_sends_nothing(site):
    with site.app.app_context():
        article = db.session.merge(site.article)
        comments.post_comment(
            db.session,
            article=article,
            author=db.session.get(User, site.ben.id),
            body="Nie gespeichert.",
            parent_id=site.first.id,
            now=utcnow(),
            settings=comment_settings(db.session, site.app.config),
        )
        assert len(notices_in_session()) == 1  # written in the same transaction ...
        db.session.rollback()  # ... and gone with it
    assert run_worker(site.app).sent == 0
    assert site.mail.messages == [] and notices(site.app) == []


def notices_in_session() -> list[Notice]:
    return list(db.session.scalars(select(Notice)))


def test_a_committed_reply_is_sent_by_a_worker_started_later(site, database_url, tmp_path):
    """The request's process may die right after its commit: the outbox row is all a
    worker in another process needs."""
    reply(site, site.ben, site.first, "Kurz vor dem Absturz.")
    with app_with(database_url, tmp_path / "later", **site.mail.settings) as fresh:
        assert run_worker(fresh).sent == 1
    assert len(mails_to(site, site.anna)) == 1


def test_a_reply_to_a_reply_tells_the_author_of_the_answered_comment(site):
    answer = reply(site, site.ben, site.first, "Eine Antwort.")
    run_worker(site.app)
    counter = reply(site, site.carla, answer, "Und eine Antwort darauf.")
    run_worker(site.app)
    [message] = mails_to(site, site.ben)
    assert f"/comments/{counter.id}" in site.mail.body(message)
    assert len(mails_to(site, site.anna)) == 1  # only about Ben's reply to her


def test_a_reader_who_opens_the_link_without_login_sees_the_reply(site):
    answer = reply(site, site.ben, site.first, "Öffentlich lesbar.")
    run_worker(site.app)
    link = site.mail.link(mails_to(site, site.anna)[0])
    response = site.client().get(link)
    assert response.status_code == 302
    assert response.location.endswith(f"#comment-{answer.id}")
