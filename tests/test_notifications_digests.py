"""Digests: followers get new visible comments at most once per article and interval;
moderators who ask for it get what waits for review, at most once per interval."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.extensions import db
from app.models import Comment, MailState, NoticeKind, User, utcnow
from app.services import flags
from app.services.notifications import compose, preferences
from tests.comment_helpers import post_comment
from tests.notification_support import (
    Site,
    decide,
    follows,
    later,
    mails_to,
    notices,
    notification_site,
    reply,
    run_worker,
)
from tests.support import csrf_token


@pytest.fixture
def site(database_url: str, tmp_path: Path, marked_settings: dict) -> Iterator[Site]:
    yield from notification_site(database_url, tmp_path, **marked_settings)


def _follow(site: Site, user: User) -> None:
    client = site.client(user)
    page = client.get(f"/articles/{site.article.slug}")
    response = client.post(
        f"/articles/{site.article.slug}/follow",
        data={"csrf_token": csrf_token(page.data), "follow": "1"},
    )
    assert response.status_code == 302


def _settings(site: Site, user: User, **values) -> None:  # noqa: ANN003
    with site.app.app_context():
        preferences.save_settings(
            db.session,
            db.session.get(User, user.id),
            values,
            now=utcnow(),
            config=site.app.config,
        )
        db.session.commit()


@pytest.mark.writes_in_a_row
def test_followers_get_new_comments_as_one_digest(site):
    _follow(site, site.carla)
    written = [reply(site, site.ben, None, f"Neuer Gedanke Nummer {n}.") for n in (1, 2, 3)]
    run_worker(site.app)
    messages = mails_to(site, site.carla)
    # The first comment may go at once; whatever came with it in the same round is in it.
    assert len(messages) == 1
    body = site.mail.body(messages[0])
    for comment in written:
        assert f"/comments/{comment.id}" in body
    assert messages[0]["Subject"] == "3 neue Kommentare zu „Über Banken“"


@pytest.mark.writes_in_a_row
def test_at_most_one_digest_per_article_and_interval(site):
    _follow(site, site.carla)
    reply(site, site.ben, None, "Der erste.")
    run_worker(site.app)
    assert len(mails_to(site, site.carla)) == 1
    second = reply(site, site.ben, None, "Der zweite.")
    third = reply(site, site.anna, None, "Der dritte.")
    run_worker(site.app)
    run_worker(site.app, later(30))
    assert len(mails_to(site, site.carla)) == 1  # the hour is not over
    run_worker(site.app, later(61))
    messages = mails_to(site, site.carla)
    assert len(messages) == 2
    body = site.mail.body(messages[1])
    assert f"/comments/{second.id}" in body and f"/comments/{third.id}" in body
    assert "Der erste" not in body
    run_worker(site.app, later(200))
    assert len(mails_to(site, site.carla)) == 2


@pytest.mark.writes_in_a_row
def test_the_interval_is_the_members_choice(site):
    _settings(site, site.carla, digest_minutes=15)
    _follow(site, site.carla)
    reply(site, site.ben, None, "Eins.")
    run_worker(site.app)
    reply(site, site.ben, None, "Zwei.")
    run_worker(site.app, later(16))
    assert len(mails_to(site, site.carla)) == 2


@pytest.mark.writes_in_a_row
def test_digests_of_two_articles_are_separate_mails_in_their_own_threads(site):
    other = site.make.article("Zinsen")
    _follow(site, site.carla)
    client = site.client(site.carla)
    page = client.get(f"/articles/{other.slug}")
    client.post(
        f"/articles/{other.slug}/follow", data={"csrf_token": csrf_token(page.data), "follow": "1"}
    )
    reply(site, site.ben, None, "Hier.")
    post_comment(site.client(site.ben), other, "Und dort.")
    run_worker(site.app)
    messages = mails_to(site, site.carla)
    assert len(messages) == 2
    assert len({m["References"] for m in messages}) == 2


@pytest.mark.writes_in_a_row
def test_a_comment_hidden_before_the_digest_is_left_out(site):
    _follow(site, site.carla)
    kept = reply(site, site.ben, None, "Bleibt stehen.")
    gone = reply(site, site.ben, None, "Wird verborgen.")
    decide(site, gone, "hide", reason="Spam")
    run_worker(site.app)
    [message] = mails_to(site, site.carla)
    body = site.mail.body(message)
    assert f"/comments/{kept.id}" in body and f"/comments/{gone.id}" not in body


def test_writing_a_comment_follows_the_article_unless_switched_off(site):
    reply(site, site.carla, None, "Ich schreibe mit.")
    assert site.article.id in follows(site.app, site.carla)
    _settings(site, site.ben, follow_when_writing=False)
    reply(site, site.ben, None, "Ich schreibe nur einmal.")
    assert site.article.id not in follows(site.app, site.ben)
    reply(site, site.anna, None, "Noch jemand.")
    run_worker(site.app)
    assert len(mails_to(site, site.carla)) == 1
    assert mails_to(site, site.ben) == []


def test_the_author_of_a_reply_is_not_told_twice(site):
    """Anna follows the article and is answered: the reply notice says it; the digest
    does not repeat it."""
    _follow(site, site.anna)
    reply(site, site.ben, site.first, "Eine Antwort an Anna.")
    run_worker(site.app)
    [message] = mails_to(site, site.anna)
    assert "geantwortet" in message["Subject"]


def test_unfollowing_stops_the_digest(site):
    _follow(site, site.carla)
    reply(site, site.ben, None, "Noch gefolgt.")
    client = site.client(site.carla)
    page = client.get(f"/articles/{site.article.slug}")
    assert "Nicht mehr folgen" in page.text
    client.post(
        f"/articles/{site.article.slug}/follow",
        data={"csrf_token": csrf_token(page.data), "follow": "0"},
    )
    run_worker(site.app)
    assert mails_to(site, site.carla) == []


def test_follow_mails_switched_off_keep_the_list_on_the_site(site):
    _follow(site, site.carla)
    _settings(site, site.carla, follow_mails=False)
    reply(site, site.ben, None, "Nur auf der Seite.")
    run_worker(site.app)
    assert mails_to(site, site.carla) == []
    assert "Nur auf der Seite." in site.client(site.carla).get("/notifications").text


# --- moderators -----------------------------------------------------------------------


def test_moderators_who_asked_get_a_digest_of_waiting_comments(site):
    _settings(site, site.moderator, moderation_mails=True)
    held = [reply(site, site.make.user(f"neu{n}"), None, f"Erstling {n}.") for n in (1, 2)]
    run_worker(site.app)
    [message] = mails_to(site, site.moderator)
    body = site.mail.body(message)
    assert all(c.body in body for c in held)
    assert "/moderation/" in body
    assert mails_to(site, site.admin) == []  # did not ask for it


def test_the_moderators_digest_leaves_out_what_was_decided_meanwhile(site):
    _settings(site, site.moderator, moderation_mails=True)
    decided = reply(site, site.make.user("neu1"), None, "Schon entschieden.")
    waiting = reply(site, site.make.user("neu2"), None, "Wartet noch.")
    decide(site, decided, "approve", user=site.admin)
    run_worker(site.app)
    body = site.mail.body(mails_to(site, site.moderator)[0])
    assert waiting.body in body and decided.body not in body


def test_the_moderators_digest_comes_at_most_once_per_interval(site):
    _settings(site, site.moderator, moderation_mails=True)
    reply(site, site.make.user("neu1"), None, "Erster.")
    run_worker(site.app)
    reply(site, site.make.user("neu2"), None, "Zweiter.")
    run_worker(site.app, later(10))
    assert len(mails_to(site, site.moderator)) == 1
    run_worker(site.app, later(61))
    assert len(mails_to(site, site.moderator)) == 2


def test_nothing_waiting_any_more_means_no_mail(site):
    _settings(site, site.moderator, moderation_mails=True)
    held = reply(site, site.make.user("neu1"), None, "Kurz.")
    decide(site, held, "hide", user=site.admin)
    run_worker(site.app)
    assert mails_to(site, site.moderator) == []
    [notice] = notices(site.app, kind=NoticeKind.WAITING)
    assert notice.mail_state is MailState.SKIPPED


def test_a_flagged_comment_reaches_the_moderators_digest(site):
    _settings(site, site.moderator, moderation_mails=True)
    with site.app.app_context():
        flags.flag_comment(
            db.session,
            db.session.get(Comment, site.first.id),
            user=db.session.get(User, site.ben.id),
            reason="abuse",
            note=None,
            now=utcnow(),
            threshold=3,
        )
        db.session.commit()
    run_worker(site.app)
    [message] = mails_to(site, site.moderator)
    assert site.first.body in site.mail.body(message)


def test_members_cannot_ask_for_the_moderators_digest(site):
    client = site.client(site.ben)
    page = client.get("/account")
    assert "notifications-moderation_mails" not in page.text
    client.post(
        "/account/notifications",
        data={
            "csrf_token": csrf_token(page.data),
            "notifications-reply_mails": "y",
            "notifications-moderation_mails": "y",
            "notifications-digest_minutes": "60",
        },
    )
    with site.app.app_context():
        assert not preferences.settings_of(db.session, site.ben.id).moderation_mails


@pytest.mark.writes_in_a_row
def test_a_long_digest_lists_the_first_comments_and_counts_the_rest(site, monkeypatch):
    monkeypatch.setattr(compose, "DIGEST_ENTRIES", 3)
    _follow(site, site.carla)
    for number in range(5):
        reply(site, site.ben, None, f"Kommentar Nummer {number}.")
    run_worker(site.app)
    [message] = mails_to(site, site.carla)
    body = site.mail.body(message)
    assert message["Subject"] == "5 neue Kommentare zu „Über Banken“"
    assert body.count("/comments/") == 3 and "… und 2 weitere." in body
