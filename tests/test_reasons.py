"""Reasons written by the system: stored as codes, worded per reader, language and audience."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.extensions import db
from app.models import Comment, CommentStatus, Reason, ReasonCode, User, utcnow
from app.services import bans, comments, reasons
from app.services.reasons import Audience, HoldRule, render_reason
from tests.moderation_support import build_scene, events, reload
from tests.support import login_as

HELD = reasons.held(links=3, link_limit=2, words=["krypto"], rule=HoldRule.FIRST)


@pytest.fixture
def scene(make):  # noqa: ANN001, ANN201
    return build_scene(make)


def words(app, reason: Reason, audience: Audience, locale: str) -> str:  # noqa: ANN001
    """As a mail would word it: an application context, no request."""
    with app.app_context():
        return render_reason(reason.code, reason.params, audience=audience, locale=locale)


@pytest.mark.parametrize(
    ("locale", "author", "moderator"),
    [
        (
            "en",
            "more than 2 links; a word our moderators look at first; your first comment "
            "here, which a moderator reads before it appears",
            "3 links (limit 2); hold list: krypto; first comment of this member",
        ),
        (
            "de",
            "mehr als 2 Links; ein Wort, das sich unsere Moderation zuerst ansieht; Ihr "
            "erster Kommentar hier, den die Moderation liest, bevor er erscheint",
            "3 Links (Grenze 2); Halteliste: krypto; erster Kommentar dieses Mitglieds",
        ),
    ],
)
def test_a_hold_is_worded_for_its_author_and_for_moderators(app, locale, author, moderator):
    assert words(app, HELD, Audience.AUTHOR, locale) == author
    assert words(app, HELD, Audience.MODERATOR, locale) == moderator
    assert "krypto" not in words(app, HELD, Audience.AUTHOR, locale)


def test_flags_and_notes_are_worded(app):
    flagged = reasons.flag_threshold(3, 3)
    assert words(app, flagged, Audience.MODERATOR, "en") == "3 flags (threshold 3)"
    assert words(app, flagged, Audience.MODERATOR, "de") == "3 Meldungen (Schwelle 3)"
    assert "3" not in words(app, flagged, Audience.AUTHOR, "de")
    typed = reasons.note("  Bitte   sachlich bleiben ")
    assert typed == Reason(ReasonCode.MODERATOR_NOTE, {"text": "Bitte sachlich bleiben"})
    for audience in Audience:
        assert words(app, typed, audience, "en") == "Bitte sachlich bleiben"
    assert reasons.note("   ") is None


def test_the_end_of_a_ban_is_given_in_the_sites_time_zone_and_language(app):
    ban = reasons.ban("Werbung", datetime(2026, 12, 5, 11, 0, tzinfo=UTC))
    german = words(app, ban, Audience.AUTHOR, "de")
    english = words(app, ban, Audience.AUTHOR, "en")
    assert german.startswith("Werbung (bis 05.12.2026, 12:00")  # Berlin: UTC+1 in December
    assert english.startswith("Werbung (until Dec 5, 2026, 12:00")
    assert "UTC" not in german
    assert words(app, reasons.ban("Werbung", None), Audience.AUTHOR, "de") == "Werbung"


def test_a_render_outside_a_request_follows_the_locale_asked_for(app):
    with app.app_context():
        assert render_reason(None, None, audience="author", locale="de") == ""
        german = render_reason("held", {"rule": "all"}, audience="author", locale="de")
        english = render_reason("held", {"rule": "all"}, audience="author", locale="en")
    assert german != english
    assert "Moderation" in german


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("links: 3 > 2", reasons.held(links=3, link_limit=2)),
        ("hold list: krypto, bitcoin", reasons.held(words=["krypto", "bitcoin"])),
        (
            "links: 4 > 2; hold list: krypto; policy: first comment of this member",
            reasons.held(links=4, link_limit=2, words=["krypto"], rule=HoldRule.FIRST),
        ),
        ("policy: all comments are reviewed", reasons.held(rule=HoldRule.ALL)),
        ("3 flags (threshold 3)", reasons.flag_threshold(3, 3)),
        (
            "Spam [until 2026-12-05 11:00 UTC]",
            reasons.ban("Spam", datetime(2026, 12, 5, 11, 0, tzinfo=UTC)),
        ),
        ("Beleidigend", reasons.note("Beleidigend")),
        ("links: viele; und mehr", reasons.note("links: viele; und mehr")),
        ("", None),
    ],
)
def test_old_english_reasons_are_recognised(text, expected):
    assert reasons.from_text(text) == expected


def test_the_author_reads_why_their_comment_waits_without_the_word(app, client, make, scene):
    with app.app_context():
        from app.services.site_settings import save_settings

        save_settings(db.session, {"COMMENT_HOLD_WORDS": ["krypto"]}, utcnow(), config=app.config)
        db.session.commit()
        author = db.session.get(User, scene.member.id)
        article = db.session.get(type(scene.article), scene.article.id)
        settings = comments.comment_settings(db.session, app.config)
        comment = comments.post_comment(
            db.session,
            article=article,
            author=author,
            body="Krypto? https://a.example https://b.example https://c.example",
            parent_id=None,
            now=utcnow(),
            settings=settings,
        )
        db.session.commit()
        comment_id = comment.id
    stored = reload(app, Comment, comment_id)
    assert stored.status is CommentStatus.PENDING
    assert stored.status_reason.code is ReasonCode.HELD
    assert stored.status_reason.params["words"] == ["krypto"]
    [posted] = events(app, comment_id=comment_id)
    assert posted.reason == stored.status_reason

    login_as(client, scene.member)
    german = {"Accept-Language": "de"}
    account = client.get("/account/comments", headers=german).text
    assert "mehr als 2 Links" in account and "ein Wort, das sich unsere Moderation" in account
    assert "krypto" not in account.replace("Krypto?", "")
    thread = client.get(f"/articles/{scene.article.slug}", headers=german).text
    assert "Wartet auf Freigabe: mehr als 2 Links" in thread
    english = client.get("/account/comments", headers={"Accept-Language": "en"}).text
    assert "more than 2 links" in english

    login_as(client, scene.moderator)
    queue = client.get("/moderation/", headers=german).text
    assert "3 Links (Grenze 2); Halteliste: krypto" in queue
    history = client.get(f"/moderation/comments/{comment_id}", headers=german).text
    assert "Halteliste: krypto" in history
    log = client.get("/moderation/log", headers=german).text
    assert "Halteliste: krypto" in log


def test_the_log_words_a_ban_in_the_readers_language(app, client, scene):
    until = utcnow() + timedelta(days=3)
    with app.app_context():
        bans.ban(
            db.session,
            db.session.get(User, scene.author.id),
            actor=db.session.get(User, scene.moderator.id),
            now=utcnow(),
            reason="Werbung",
            until=until,
        )
        db.session.commit()
    login_as(client, scene.moderator)
    german = client.get("/moderation/log", headers={"Accept-Language": "de"}).text
    english = client.get("/moderation/log", headers={"Accept-Language": "en"}).text
    assert "Werbung (bis " in german and "[until" not in german
    assert "Werbung (until " in english and " UTC" not in english
