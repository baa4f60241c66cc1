"""On the site: the notifications page and the header's unread count, following an article,
the settings on /account, and unsubscribing from a mail without logging in."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.extensions import db
from app.models import ArticleFollow, NoticeKind, NotificationSettings, User
from app.services.notifications import preferences
from tests.moderation_support import count_queries
from tests.notification_support import (
    Site,
    decide,
    follows,
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


def unread_badge(html: str) -> int:
    match = re.search(r'class="site-nav__notices"[^>]*>[^<]*<span class="badge"[^>]*>(\d+)<', html)
    return int(match.group(1)) if match else 0


def test_the_header_counts_unread_notices_and_opening_the_page_reads_them(site):
    first = reply(site, site.ben, site.first, "Erste Antwort.")
    second = reply(site, site.carla, site.first, "Zweite Antwort.")
    anna = site.client(site.anna)
    assert unread_badge(anna.get("/").text) == 2
    page = anna.get("/notifications").text
    assert page.index(f"/comments/{second.id}") < page.index(f"/comments/{first.id}")
    assert page.count("notice-entry--unread") == 2
    assert unread_badge(page) == 0
    assert unread_badge(anna.get("/").text) == 0
    assert "notice-entry--unread" not in anna.get("/notifications").text


def test_a_notice_leads_to_the_comment(site):
    answer = reply(site, site.ben, site.first, "Hier entlang.")
    anna = site.client(site.anna)
    link = re.search(r'href="(/comments/\d+)"', anna.get("/notifications").text).group(1)
    response = anna.get(link)
    assert response.status_code == 302
    assert response.location.endswith(f"#comment-{answer.id}")


def test_a_reply_hidden_later_leaves_the_list_and_the_count(site):
    answer = reply(site, site.ben, site.first, "Bald verborgen.")
    anna = site.client(site.anna)
    assert unread_badge(anna.get("/").text) == 1
    decide(site, answer, "hide", reason="Spam")
    assert unread_badge(anna.get("/").text) == 0
    assert "Bald verborgen." not in anna.get("/notifications").text
    decide(site, answer, "unhide")
    assert unread_badge(anna.get("/").text) == 1  # back, and still not seen


def test_notices_are_the_readers_own(site):
    reply(site, site.ben, site.first, "Nur für Anna.")
    assert "Nur für Anna." not in site.client(site.carla).get("/notifications").text
    assert unread_badge(site.client(site.carla).get("/").text) == 0


def test_readers_are_sent_to_log_in(site):
    response = site.client().get("/notifications")
    assert response.status_code == 302 and "/login" in response.location
    assert "site-nav__notices" not in site.client().get("/").text


@pytest.mark.writes_in_a_row
def test_clearing_takes_seen_notices_off_the_list(site):
    reply(site, site.ben, site.first, "Gelesen und weg.")
    anna = site.client(site.anna)
    page = anna.get("/notifications")
    assert anna.post("/notifications").status_code == 400  # no token: nothing happens
    assert "Gelesen und weg." in anna.get("/notifications").text
    response = anna.post("/notifications", data={"csrf_token": csrf_token(page.data)})
    assert response.status_code == 302
    assert "Gelesen und weg." not in anna.get("/notifications").text
    reply(site, site.ben, site.first, "Noch ungelesen.")
    anna.post("/notifications", data={"csrf_token": csrf_token(page.data)})  # unseen stays
    assert "Noch ungelesen." in anna.get("/notifications").text


@pytest.mark.writes_in_a_row
def test_the_notifications_page_is_paged(site):
    for number in range(32):
        parent = site.make.comment(site.article, site.anna, f"Gedanke {number}.")
        site.make.comment(site.article, site.ben, f"Antwort {number}.", parent=parent)
    # Written directly (no notices): one real reply, then the list has one entry.
    reply(site, site.ben, site.first, "Die einzige echte.")
    anna = site.client(site.anna)
    assert anna.get("/notifications?page=2").status_code == 404
    assert anna.get("/notifications").status_code == 200


# --- following ------------------------------------------------------------------------


def _follow_post(client, site: Site, value: str, token: str | None = None):  # noqa: ANN001, ANN202
    if token is None:
        token = csrf_token(client.get(f"/articles/{site.article.slug}").data)
    return client.post(
        f"/articles/{site.article.slug}/follow", data={"csrf_token": token, "follow": value}
    )


def test_the_follow_button_sits_beside_the_form_and_shows_the_state(site):
    carla = site.client(site.carla)
    page = carla.get(f"/articles/{site.article.slug}").text
    assert "Dieser Diskussion folgen" in page
    assert page.index('id="comment-form"') < page.index('id="follow"')
    response = _follow_post(carla, site, "1")
    assert response.status_code == 302 and response.location.endswith("#follow")
    assert follows(site.app, site.carla) == {site.article.id}
    page = carla.get(f"/articles/{site.article.slug}").text
    assert "Nicht mehr folgen" in page and "Sie folgen dieser Diskussion." in page
    _follow_post(carla, site, "0")
    assert follows(site.app, site.carla) == set()


def test_following_twice_keeps_one_follow(site):
    carla = site.client(site.carla)
    _follow_post(carla, site, "1")
    _follow_post(carla, site, "1")
    with site.app.app_context():
        assert db.session.query(ArticleFollow).count() == 1


def test_following_needs_a_login_and_a_token(site):
    reader = site.client()
    response = reader.post(f"/articles/{site.article.slug}/follow", data={"follow": "1"})
    assert response.status_code in (302, 400)
    carla = site.client(site.carla)
    assert (
        carla.post(f"/articles/{site.article.slug}/follow", data={"follow": "1"}).status_code == 400
    )
    assert follows(site.app, site.carla) == set()
    token = csrf_token(carla.get(f"/articles/{site.article.slug}").data)
    assert (
        carla.post(
            "/articles/gibt-es-nicht/follow", data={"csrf_token": token, "follow": "1"}
        ).status_code
        == 404
    )
    assert "Dieser Diskussion folgen" not in reader.get(f"/articles/{site.article.slug}").text


def test_unpublished_articles_cannot_be_followed(site):
    draft = site.make.article("Entwurf", published_at=None)
    carla = site.client(site.carla)
    token = csrf_token(carla.get(f"/articles/{site.article.slug}").data)
    response = carla.post(
        f"/articles/{draft.slug}/follow", data={"csrf_token": token, "follow": "1"}
    )
    assert response.status_code == 404
    assert follows(site.app, site.carla) == set()


# --- settings -------------------------------------------------------------------------


def _save(client, **fields) -> object:  # noqa: ANN001, ANN003
    page = client.get("/account")
    data = {"csrf_token": csrf_token(page.data)}
    data.update({f"notifications-{name}": value for name, value in fields.items()})
    return client.post("/account/notifications", data=data)


def test_the_account_page_switches_each_kind_and_the_interval(site):
    ben = site.client(site.ben)
    page = ben.get("/account").text
    assert 'id="notifications"' in page
    assert 'name="notifications-reply_mails"' in page and "checked" in page
    response = _save(ben, decision_mails="y", follow_mails="y", digest_minutes="180")
    assert response.status_code == 302 and response.location.endswith("/account#notifications")
    with site.app.app_context():
        saved = preferences.settings_of(db.session, site.ben.id)
        assert (saved.reply_mails, saved.decision_mails, saved.follow_mails) == (False, True, True)
        assert (saved.follow_when_writing, saved.digest_minutes) == (False, 180)
    reply(site, site.anna, _ben_comment(site), "Ben will das nicht per Mail.")
    run_worker(site.app)
    assert mails_to(site, site.ben) == []
    assert "Ben will das nicht per Mail." in ben.get("/notifications").text


def _ben_comment(site: Site):  # noqa: ANN202
    return site.make.comment(site.article, site.ben, "Bens Beitrag.")


def test_an_interval_not_offered_is_refused(site):
    ben = site.client(site.ben)
    _save(ben, reply_mails="y", digest_minutes="7")
    with site.app.app_context():
        assert preferences.settings_of(db.session, site.ben.id).digest_minutes is None
    assert "Please choose one of the intervals offered." in ben.get("/account").text


def test_settings_need_a_login_and_a_token(site):
    assert site.client().post("/account/notifications", data={}).status_code in (302, 400)
    ben = site.client(site.ben)
    assert ben.post(
        "/account/notifications", data={"notifications-digest_minutes": "15"}
    ).status_code in (302, 400)
    with site.app.app_context():
        assert (
            db.session.get(type(preferences.settings_of(db.session, site.ben.id)), site.ben.id)
            is None
        )


# --- unsubscribing --------------------------------------------------------------------


def _unsubscribe_path(site: Site, user: User) -> str:
    message = mails_to(site, user)[-1]
    return re.sub(r"^<https?://[^/]+|>$", "", message["List-Unsubscribe"])


def test_one_click_unsubscribe_without_a_session_stops_that_kind(site):
    reply(site, site.ben, site.first, "Erste Mail.")
    run_worker(site.app)
    path = _unsubscribe_path(site, site.anna)
    stranger = site.client()
    page = stranger.get(path)  # what a link scanner does: nothing changes
    assert page.status_code == 200 and "Ja, abbestellen" in page.text
    with site.app.app_context():
        assert preferences.settings_of(db.session, site.anna.id).reply_mails
    response = stranger.post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "Erledigt." in response.text
    with site.app.app_context():
        settings = preferences.settings_of(db.session, site.anna.id)
        assert not settings.reply_mails and settings.decision_mails
    reply(site, site.carla, site.first, "Zweite Antwort, keine Mail.")
    run_worker(site.app)
    assert len(mails_to(site, site.anna)) == 1
    assert "schon abbestellt" in stranger.post(path).text  # again: nothing left to stop


def test_the_link_in_the_mail_body_is_the_same_unsubscribe_link(site):
    reply(site, site.ben, site.first, "Mit Link.")
    run_worker(site.app)
    message = mails_to(site, site.anna)[0]
    assert _unsubscribe_path(site, site.anna) in site.mail.body(message)


def test_unsubscribing_from_a_digest_unfollows_that_article_only(site):
    other = site.make.article("Zinsen")
    carla = site.client(site.carla)
    _follow_post(carla, site, "1")
    token = csrf_token(carla.get(f"/articles/{other.slug}").data)
    carla.post(f"/articles/{other.slug}/follow", data={"csrf_token": token, "follow": "1"})
    reply(site, site.ben, None, "Neu hier.")
    run_worker(site.app)
    path = _unsubscribe_path(site, site.carla)
    assert "Über Banken" in site.client().get(path).text
    site.client().post(path)
    assert follows(site.app, site.carla) == {other.id}


@pytest.mark.parametrize("token", ["kaputt", "eyJ1IjoxLCJ0IjoicmVwbGllcyJ9.falsch", "x" * 300])
def test_a_broken_unsubscribe_link_changes_nothing(site, token):
    reply(site, site.ben, site.first, "Noch eine.")
    run_worker(site.app)
    for method in ("get", "post"):
        response = getattr(site.client(), method)(f"/unsubscribe/{token}")
        assert response.status_code == 404
    with site.app.app_context():
        assert preferences.settings_of(db.session, site.anna.id).reply_mails


def test_the_unsubscribe_page_speaks_the_members_language(site):
    answer = reply(site, site.anna, None, "Ein eigener Beitrag.")
    reply(site, site.ben, answer, "Antwort von Ben.")
    decide(site, reply(site, site.make.user("newbie", locale="en"), None, "Hi."), "approve")
    run_worker(site.app)
    newbie = [n for n in notices(site.app) if n.kind is NoticeKind.APPROVED][0].recipient_id
    with site.app.app_context():
        address = db.session.get(User, newbie).email
    message = site.mail.to(address)[0]
    path = re.sub(r"^<https?://[^/]+|>$", "", message["List-Unsubscribe"])
    page = site.client().get(path, headers={"Accept-Language": "de"})
    assert "Yes, stop them" in page.text


def test_deleting_the_account_erases_its_notices_follows_and_settings(site):
    reply(site, site.ben, site.first, "Eine Antwort vor dem Abschied.")
    anna = site.client(site.anna)
    _follow_post(anna, site, "1")
    _save(anna, reply_mails="y", digest_minutes="15")
    page = anna.get("/account")
    response = anna.post(
        "/account/delete",
        data={"csrf_token": csrf_token(page.data), "delete-password": "correct horse battery"},
    )
    assert response.status_code == 302
    assert notices(site.app, recipient_id=site.anna.id) == []
    assert follows(site.app, site.anna) == set()
    with site.app.app_context():
        assert db.session.get(NotificationSettings, site.anna.id) is None
    run_worker(site.app)
    assert site.mail.messages == []


@pytest.mark.writes_in_a_row
def test_the_list_and_the_count_need_the_same_queries_for_few_and_many(site):
    def queries() -> int:
        anna = site.client(site.anna)
        anna.get("/notifications")
        with count_queries(site.app) as statements:
            anna.get("/notifications")
        return len(statements)

    reply(site, site.ben, site.first, "Eine.")
    few = queries()
    for number in range(8):
        reply(site, site.carla if number % 2 else site.ben, site.first, f"Noch eine {number}.")
    assert queries() == few


def test_page_numbers_past_the_databases_range_are_no_page(site):
    """Both lists compute an offset from the page: beyond any page they answer 404 before
    PostgreSQL could refuse the number."""
    huge = "200000000000000000"
    assert site.client(site.anna).get(f"/notifications?page={huge}").status_code == 404
    admin = site.client(site.admin)
    assert admin.get(f"/admin/notifications?page={huge}").status_code == 404
    assert admin.get("/admin/notifications?page=-3").status_code == 200  # the first page
