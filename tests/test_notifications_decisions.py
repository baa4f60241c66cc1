"""Decisions on one's own comments and account: approved, hidden (with the reason), shown
again, banned (with reason and end) — by mail in the member's language and on the site."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.extensions import db
from app.models import MailState, NoticeKind, User, utcnow
from app.services import bans
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


def _held(site: Site, name: str = "neuling", locale: str | None = "de") -> tuple[User, object]:
    newcomer = site.make.user(name, locale=locale)
    comment = reply(site, newcomer, None, "Mein allererster Kommentar hier.")
    assert comment.status.value == "pending"
    return newcomer, comment


def test_an_approved_comment_is_told_to_its_author(site):
    newcomer, comment = _held(site)
    run_worker(site.app)
    assert mails_to(site, newcomer) == []  # waiting is no news
    decide(site, comment, "approve")
    run_worker(site.app)
    [message] = mails_to(site, newcomer)
    assert message["Subject"] == "Ihr Kommentar zu „Über Banken“ ist veröffentlicht"
    assert f"/comments/{comment.id}" in site.mail.body(message)
    page = site.client(newcomer).get("/notifications").text
    assert "wurde freigegeben" in page


def test_a_hidden_comment_is_told_with_the_reason_in_german(site):
    newcomer, comment = _held(site)
    decide(site, comment, "hide", reason="Werbung für ein Produkt")
    run_worker(site.app)
    [message] = mails_to(site, newcomer)
    body = site.mail.body(message)
    assert message["Subject"] == "Die Moderation hat Ihren Kommentar zu „Über Banken“ verborgen"
    assert "Grund: Werbung für ein Produkt" in body
    assert "Grund: Werbung für ein Produkt" in site.mail.html(message)
    assert "Grund: Werbung für ein Produkt" in site.client(newcomer).get("/notifications").text


def test_an_english_member_gets_english_mail(site):
    newcomer, comment = _held(site, "newbie", locale="en")
    decide(site, comment, "hide", reason="Advertising")
    run_worker(site.app)
    [message] = mails_to(site, newcomer)
    assert message["Subject"] == "A moderator has hidden your comment on “Über Banken”"
    assert "Reason: Advertising" in site.mail.body(message)


def test_a_member_without_a_language_gets_the_sites_default(site):
    newcomer, comment = _held(site, "ohnesprache", locale=None)
    decide(site, comment, "approve")
    run_worker(site.app)
    [message] = mails_to(site, newcomer)
    assert "veröffentlicht" in message["Subject"]  # DEFAULT_LOCALE is de


def test_a_hide_without_a_reason_says_so(site):
    newcomer, comment = _held(site)
    decide(site, comment, "hide")
    run_worker(site.app)
    assert "Es wurde kein Grund angegeben." in site.mail.body(mails_to(site, newcomer)[0])


def test_a_comment_shown_again_is_told_to_whoever_heard_it_was_hidden(site):
    newcomer, comment = _held(site)
    decide(site, comment, "hide", reason="Prüfen")
    run_worker(site.app)
    decide(site, comment, "unhide")
    run_worker(site.app)
    subjects = [m["Subject"] for m in mails_to(site, newcomer)]
    assert subjects == [
        "Die Moderation hat Ihren Kommentar zu „Über Banken“ verborgen",
        "Ihr Kommentar zu „Über Banken“ ist wieder sichtbar",
    ]
    page = site.client(newcomer).get("/notifications").text
    assert "ist wieder sichtbar" in page and "verborgen" not in page  # what holds now


def test_a_hide_undone_before_anyone_was_told_tells_nothing(site):
    newcomer, comment = _held(site)
    decide(site, comment, "approve")
    run_worker(site.app)
    decide(site, comment, "hide", reason="Versehen")
    decide(site, comment, "unhide")
    run_worker(site.app)
    subjects = [m["Subject"] for m in mails_to(site, newcomer)]
    assert subjects == ["Ihr Kommentar zu „Über Banken“ ist veröffentlicht"]
    states = {n.kind: n.mail_state for n in notices(site.app, recipient_id=newcomer.id)}
    assert states[NoticeKind.HIDDEN] is MailState.SKIPPED
    assert states[NoticeKind.UNHIDDEN] is MailState.SKIPPED


def test_deleting_ones_own_comment_tells_nobody(site):
    answer = reply(site, site.ben, site.first, "Zurückgezogen.")
    run_worker(site.app)
    client = site.client(site.ben)
    page = client.get(f"/articles/{site.article.slug}")
    from tests.support import csrf_token

    client.post(f"/comments/{answer.id}/delete", data={"csrf_token": csrf_token(page.data)})
    before = len(site.mail.messages)
    run_worker(site.app)
    assert len(site.mail.messages) == before


def _ban(site: Site, target: User, **kwargs) -> int:  # noqa: ANN003
    """Ban *target*; the number of comments hidden with the ban."""
    with site.app.app_context():
        event = bans.ban(
            db.session,
            db.session.get(User, target.id),
            actor=db.session.get(User, site.moderator.id),
            now=utcnow(),
            **kwargs,
        )
        hidden = len((event.previous or {}).get("hidden", []))
        db.session.commit()
        return hidden


def test_a_ban_tells_its_reason_and_end(site):
    until = datetime(2040, 12, 6, 14, 30, tzinfo=ZoneInfo("UTC"))
    _ban(site, site.anna, reason="Wiederholte Beleidigungen", until=until)
    run_worker(site.app)
    [message] = mails_to(site, site.anna)
    body = site.mail.body(message)
    assert "Grund: Wiederholte Beleidigungen" in body
    local = until.astimezone(ZoneInfo("Europe/Berlin"))
    assert f"Bis {local.day}. Dezember {local.year}, {local:%H:%M} können Sie" in body
    page = site.client(site.anna).get("/notifications").text
    assert "Wiederholte Beleidigungen" in page


@pytest.mark.writes_in_a_row
def test_a_ban_that_hides_all_comments_sends_one_mail_not_one_per_comment(site):
    reply(site, site.anna, None, "Noch ein Kommentar.")
    reply(site, site.anna, None, "Und noch einer.")
    assert _ban(site, site.anna, reason="Spam", hide_comments=True) >= 3
    run_worker(site.app)
    [message] = mails_to(site, site.anna)
    assert "Ihre Kommentare wurden ebenfalls verborgen." in site.mail.body(message)


def test_a_ban_lifted_before_the_worker_ran_is_not_mailed(site):
    _ban(site, site.anna, reason="Versehen")
    with site.app.app_context():
        bans.unban(
            db.session,
            db.session.get(User, site.anna.id),
            actor=db.session.get(User, site.moderator.id),
            now=utcnow(),
        )
        db.session.commit()
    run_worker(site.app)
    assert mails_to(site, site.anna) == []


def _unban(site: Site, member: User) -> None:
    with site.app.app_context():
        bans.unban(
            db.session,
            db.session.get(User, member.id),
            actor=db.session.get(User, site.moderator.id),
            now=utcnow(),
        )
        db.session.commit()


def test_a_lifted_ban_is_told_to_the_member_who_heard_of_it(site):
    _ban(site, site.anna, reason="Versehen")
    run_worker(site.app)
    assert len(mails_to(site, site.anna)) == 1
    _unban(site, site.anna)
    run_worker(site.app)
    _, lifted = mails_to(site, site.anna)
    assert "Sie dürfen wieder Kommentare schreiben" in site.mail.body(lifted)
    assert "wieder schreiben" in lifted["Subject"]
    page = site.client(site.anna).get("/notifications").text
    assert "aufgehoben" in page


def test_a_ban_lifted_unseen_leaves_no_notice_on_the_site(site):
    _ban(site, site.anna, reason="Versehen")
    _unban(site, site.anna)
    run_worker(site.app)
    assert mails_to(site, site.anna) == []
    page = site.client(site.anna).get("/notifications").text
    assert "Versehen" not in page and "aufgehoben" not in page
