"""Refusals: every route that changes something, for everyone who may not, with missing
tokens and with hostile input. A refusal changes nothing and never breaks the page."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import ArticleFollow, MailState, Notice, NotificationSettings
from tests.notification_support import Site, notification_site, reply
from tests.support import csrf_token


@pytest.fixture
def site(database_url: str, tmp_path: Path, marked_settings: dict) -> Iterator[Site]:
    yield from notification_site(database_url, tmp_path, **marked_settings)


@pytest.fixture(scope="module")
def naughty(shared_dir) -> list[str]:  # noqa: ANN001
    strings = json.loads((shared_dir / "corpora" / "blns.json").read_text(encoding="utf-8"))
    return [s for s in strings if isinstance(s, str)][::4] + ["x" * 3000, "\x00"]


def snapshot(site: Site) -> dict:
    with site.app.app_context():
        return {
            "notices": [
                (n.id, n.read_at, n.cleared_at, n.mail_state, n.attempts)
                for n in db.session.scalars(select(Notice).order_by(Notice.id))
            ],
            "follows": sorted(
                tuple(row)
                for row in db.session.execute(
                    select(ArticleFollow.user_id, ArticleFollow.article_id)
                )
            ),
            "settings": sorted(
                (s.user_id, s.reply_mails, s.follow_mails, s.moderation_mails, s.digest_minutes)
                for s in db.session.scalars(select(NotificationSettings))
            ),
        }


def _routes(site: Site, notice_id: int) -> list[tuple[str, dict]]:
    return [
        ("/notifications", {}),
        (f"/articles/{site.article.slug}/follow", {"follow": "1"}),
        (
            "/account/notifications",
            {"notifications-reply_mails": "", "notifications-digest_minutes": "15"},
        ),
        (f"/admin/notifications/{notice_id}/retry", {}),
        ("/admin/notifications/retry", {}),
    ]


def _prepared(site: Site) -> int:
    reply(site, site.ben, site.first, "Etwas für Anna.")
    with site.app.app_context():
        notice = db.session.scalars(select(Notice)).one()
        notice.mail_state = MailState.FAILED  # something an admin could send again
        db.session.commit()
        return notice.id


@pytest.mark.parametrize("role", ["reader", "member", "moderator", "admin"])
def test_no_change_without_a_token(site, role):
    notice_id = _prepared(site)
    user = {"reader": None, "member": site.anna, "moderator": site.moderator, "admin": site.admin}[
        role
    ]
    before = snapshot(site)
    client = site.client(user)
    for path, data in _routes(site, notice_id):
        response = client.post(path, data=data)
        assert response.status_code in (302, 400, 403), (path, response.status_code)
        if user is None and response.status_code == 302:
            assert "/login" in response.location
    assert snapshot(site) == before


@pytest.mark.parametrize("role", ["reader", "member", "moderator"])
def test_only_admins_send_failed_mails_again_even_with_a_token(site, role):
    notice_id = _prepared(site)
    user = {"reader": None, "member": site.anna, "moderator": site.moderator}[role]
    client = site.client(user)
    token = csrf_token(client.get("/login" if user is None else "/account").data)
    before = snapshot(site)
    for path in (f"/admin/notifications/{notice_id}/retry", "/admin/notifications/retry"):
        response = client.post(path, data={"csrf_token": token})
        assert response.status_code in (302, 403)
    assert snapshot(site) == before


def test_hostile_input_changes_nothing_it_should_not(site, naughty):
    _prepared(site)
    site.app.config["UNSUBSCRIBES_PER_ADDRESS"] = 1_000_000  # the corpus from one address
    anna = site.client(site.anna)
    token = csrf_token(anna.get("/account").data)
    before = snapshot(site)
    for value in naughty:
        if _meaningful(value):
            continue  # "1" follows, "60" is an interval offered: not hostile
        for path, data in (
            (f"/articles/{site.article.slug}/follow", {"follow": value}),
            ("/account/notifications", {"notifications-digest_minutes": value}),
        ):
            response = anna.post(path, data={"csrf_token": token, **data})
            # NUL anywhere in a request is refused before any view (app/input_guard.py).
            assert response.status_code == (400 if "\x00" in value else 302), (path, value)
        assert anna.get(f"/notifications?page={quote(value)}").status_code in (200, 400, 404)
        response = site.client().post(f"/unsubscribe/{quote(value, safe='')}")
        assert response.status_code in (400, 404, 405), value
    assert snapshot(site)["follows"] == before["follows"]
    assert snapshot(site)["settings"] == before["settings"]
    anna.post(
        "/account/notifications",
        data={"csrf_token": token, "notifications-digest_minutes": "ein Tag"},
    )
    assert "Bitte wählen Sie einen der angebotenen Abstände." in anna.get("/account").text


def _meaningful(value: str) -> bool:
    try:
        return int(value) in (0, 1, 15, 30, 60, 180, 720, 1440)
    except ValueError:
        return False


def test_following_a_missing_or_unpublished_article_is_refused(site):
    draft = site.make.article("Entwurf", published_at=None)
    anna = site.client(site.anna)
    token = csrf_token(anna.get("/account").data)
    before = snapshot(site)
    for slug in ("gibt-es-nicht", draft.slug, "%00", "x" * 300):
        refused = 400 if slug == "%00" else 404  # NUL is refused before any view
        response = anna.post(f"/articles/{slug}/follow", data={"csrf_token": token, "follow": "1"})
        assert response.status_code == refused
        assert anna.get(f"/articles/{slug}").status_code == refused
    assert snapshot(site) == before
