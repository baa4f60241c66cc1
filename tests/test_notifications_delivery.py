"""Delivery: exactly once with several workers, retries while the mail server is down,
failed mails for admins, the worker command, and what every mail carries."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, update

from app.extensions import db
from app.models import MailState, Notice, User, utcnow
from app.services.notifications.delivery import LEASE, claim_singles
from tests.notification_support import (
    Site,
    later,
    mails_to,
    notices,
    notification_site,
    replies_to_many,
    reply,
    run_worker,
)
from tests.support import csrf_token


@pytest.fixture
def site(database_url: str, tmp_path: Path, marked_settings: dict) -> Iterator[Site]:
    yield from notification_site(
        database_url, tmp_path, NOTIFICATION_MAX_ATTEMPTS=3, **marked_settings
    )


@pytest.mark.writes_in_a_row
def test_a_claimed_notice_is_not_claimed_again_until_its_lease_runs_out(site):
    replies_to_many(site, 2)
    now = utcnow()
    with site.app.app_context():
        first = claim_singles(db.session, "worker-a", now)
        assert len(first) == 2
        assert claim_singles(db.session, "worker-b", now) == []
        # Worker a died holding them: after its lease another worker sends them.
        assert claim_singles(db.session, "worker-b", now + LEASE + LEASE) == first
        db.session.remove()


def test_the_mail_server_down_then_up_delivers_once(site):
    reply(site, site.ben, site.first, "Während der Server schläft.")
    site.mail.stop()
    report = run_worker(site.app)
    assert (report.sent, report.retrying) == (0, 1)
    [notice] = notices(site.app)
    assert notice.mail_state is MailState.PENDING and notice.attempts == 1
    assert "Connection" in (notice.last_error or "") or "refused" in (notice.last_error or "")
    run_worker(site.app)  # too early for the next try
    site.mail.start()
    assert run_worker(site.app).sent == 0  # still too early
    assert run_worker(site.app, later(2)).sent == 1
    assert run_worker(site.app, later(60)).sent == 0
    assert len(mails_to(site, site.anna)) == 1


def test_retries_wait_longer_each_time_then_the_notice_fails(site):
    reply(site, site.ben, site.first, "Nie zugestellt.")
    site.mail.stop()
    waits = []
    moment = utcnow()
    for _ in range(3):
        run_worker(site.app, moment)
        [notice] = notices(site.app)
        waits.append(notice.next_attempt_at - moment)
        moment = notice.next_attempt_at
    assert waits[1] > waits[0]
    assert notice.mail_state is MailState.FAILED and notice.attempts == 3
    site.mail.start()
    assert run_worker(site.app, later(600)).sent == 0  # failed stays failed until retried
    assert mails_to(site, site.anna) == []


def test_admins_see_failed_mails_and_send_them_again(site):
    reply(site, site.ben, site.first, "Scheitert dreimal.")
    site.mail.stop()
    for minutes in (0, 10, 60):
        run_worker(site.app, later(minutes))
    site.mail.start()
    admin = site.client(site.admin)
    page = admin.get("/admin/notifications")
    assert page.status_code == 200
    assert "anna" in page.text and "Antwort" in page.text and "3 Versuche" in page.text
    assert "anna@example.org" not in page.text  # the address is not needed there
    [notice] = notices(site.app)
    response = admin.post(
        f"/admin/notifications/{notice.id}/retry", data={"csrf_token": csrf_token(page.data)}
    )
    assert response.status_code == 302
    assert run_worker(site.app).sent == 1
    assert len(mails_to(site, site.anna)) == 1
    assert "Keine Mail ist gescheitert." in admin.get("/admin/notifications").text


@pytest.mark.parametrize("role", ["reader", "member", "moderator"])
def test_only_admins_see_and_retry_failed_mails(site, role):
    reply(site, site.ben, site.first, "Scheitert.")
    with site.app.app_context():
        db.session.execute(update(Notice).values(mail_state=MailState.FAILED, attempts=3))
        db.session.commit()
    user = {"reader": None, "member": site.ben, "moderator": site.moderator}[role]
    client = site.client(user)
    expected = 302 if user is None else 403
    assert client.get("/admin/notifications").status_code == expected
    token = csrf_token(site.client(site.admin).get("/admin/notifications").data)
    [notice] = notices(site.app)
    for path in (f"/admin/notifications/{notice.id}/retry", "/admin/notifications/retry"):
        assert client.post(path, data={"csrf_token": token}).status_code in (302, 400, 403)
    assert notices(site.app)[0].mail_state is MailState.FAILED


def test_retrying_needs_the_csrf_token(site):
    reply(site, site.ben, site.first, "Scheitert.")
    with site.app.app_context():
        db.session.execute(update(Notice).values(mail_state=MailState.FAILED))
        db.session.commit()
    response = site.client(site.admin).post("/admin/notifications/retry")
    assert response.status_code in (302, 400)
    assert notices(site.app)[0].mail_state is MailState.FAILED


def test_the_worker_command_sends_once(site):
    reply(site, site.ben, site.first, "Über die Kommandozeile.")
    result = site.app.test_cli_runner().invoke(args=["notifications", "work", "--once"])
    assert result.exit_code == 0, result.output
    assert "mails sent: 1;" in result.output
    assert len(mails_to(site, site.anna)) == 1


def test_every_mail_has_two_parts_headers_and_absolute_links(site):
    answer = reply(site, site.ben, site.first, "Mit allem Drum und Dran.")
    run_worker(site.app)
    [message] = mails_to(site, site.anna)
    assert message.get_content_type() == "multipart/alternative"
    assert site.mail.html(message).startswith("<!DOCTYPE html>")
    assert re.fullmatch(r"<notice-\d+@[^>]+>", message["Message-ID"])
    assert message["In-Reply-To"] == message["References"]
    assert message["References"].startswith(f"<article-{site.article.id}@")
    unsubscribe = message["List-Unsubscribe"]
    assert re.fullmatch(r"<http://localhost/unsubscribe/[^>\s]+>", unsubscribe)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    links = re.findall(r"https?://[^\s\"<>]+", site.mail.body(message) + site.mail.html(message))
    assert links and all(link.startswith("http://localhost/") for link in links)
    assert f"http://localhost/comments/{answer.id}" in links


def test_links_in_mails_come_from_base_url(database_url, tmp_path):
    settings = {"BASE_URL": "https://diskurs.example.org"}
    for site in notification_site(database_url, tmp_path, **settings):
        reply(site, site.ben, site.first, "Von woanders.")
        run_worker(site.app)
        body = site.mail.body(mails_to(site, site.anna)[0])
        assert re.findall(r"https?://[^/\s]+", body) and all(
            host == "https://diskurs.example.org" for host in re.findall(r"https?://[^/\s]+", body)
        )


def test_no_mail_shows_another_members_address(site):
    site.make.comment(site.article, site.carla, "Carla schreibt auch.")
    client = site.client(site.carla)
    page = client.get(f"/articles/{site.article.slug}")
    client.post(
        f"/articles/{site.article.slug}/follow",
        data={"csrf_token": csrf_token(page.data), "follow": "1"},
    )
    reply(site, site.ben, site.first, "An Anna, von Ben.")
    run_worker(site.app)
    assert len(site.mail.messages) == 2
    with site.app.app_context():
        addresses = {u.email: u.id for u in db.session.scalars(select(User))}
    for raw, message in zip(site.mail.raw, site.mail.messages, strict=True):
        text = raw.decode("utf-8", "replace").lower()
        own = message["X-Envelope-To"].lower()
        others = [a for a in addresses if a and a.lower() != own]
        assert not [a for a in others if a.lower() in text]
        assert message["To"].lower() == own
        assert message["Cc"] is None and message["Bcc"] is None
