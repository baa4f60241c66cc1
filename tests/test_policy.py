"""The moderation policy: which new or edited comment goes live, waits, or is refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.extensions import db
from app.models import CommentStatus, Reason, ReasonCode, User, UserRole
from app.services import reasons
from app.services.policy import Verdict, judge_comment
from app.services.site_settings import effective_settings
from app.text import render_comment

BASE = {
    "COMMENT_MODERATION": "none",
    "COMMENT_MAX_LINKS": 2,
    "COMMENT_HOLD_WORDS": [],
    "COMMENT_BLOCK_WORDS": [],
}


def judge(app, user, body, **settings):  # noqa: ANN001, ANN201
    with app.app_context():
        author = db.session.get(User, user.id)
        return judge_comment(db.session, author, body, render_comment(body), {**BASE, **settings})


@pytest.fixture
def member(make):  # noqa: ANN001, ANN201
    return make.user("schreiber")


# --- COMMENT_MODERATION -------------------------------------------------------------------


def test_none_publishes_a_plain_comment(app, member):
    decision = judge(app, member, "Ein ganz normaler Kommentar.")
    assert decision.verdict is Verdict.PUBLISH
    assert decision.held is None


def test_all_holds_every_comment_even_of_a_trusted_member(app, make, member):
    article = make.article()
    make.comment(article, member, "Früher freigegeben.")
    decision = judge(app, member, "Noch einer.", COMMENT_MODERATION="all")
    assert decision.verdict is Verdict.HOLD
    assert decision.held == reasons.held(rule=reasons.HoldRule.ALL)


def test_first_holds_until_the_member_has_one_approved_comment(app, make, member):
    assert judge(app, member, "Mein erster.", COMMENT_MODERATION="first").verdict is Verdict.HOLD
    article = make.article()
    make.comment(article, member, "Wartet.", status=CommentStatus.PENDING)
    make.comment(article, member, "Verborgen.", status=CommentStatus.HIDDEN)
    make.comment(article, member, "Gelöscht.", status=CommentStatus.DELETED)
    # Neither a waiting, a hidden nor a deleted comment counts as approved.
    assert judge(app, member, "Zweiter.", COMMENT_MODERATION="first").verdict is Verdict.HOLD
    make.comment(article, member, "Freigegeben.")
    assert judge(app, member, "Dritter.", COMMENT_MODERATION="first").verdict is Verdict.PUBLISH


def test_first_looks_at_the_author_only(app, make, member):
    other = make.user("andere")
    make.comment(make.article(), other, "Die andere ist freigegeben.")
    assert judge(app, member, "Ich nicht.", COMMENT_MODERATION="first").verdict is Verdict.HOLD


@pytest.mark.parametrize("role", [UserRole.MODERATOR, UserRole.ADMIN])
def test_moderators_are_never_held(app, make, role):
    moderator = make.user("mod", role=role)
    body = "http://a.example http://b.example http://c.example spam"
    decision = judge(app, moderator, body, COMMENT_MODERATION="all", COMMENT_HOLD_WORDS=["spam"])
    assert decision.verdict is Verdict.PUBLISH


def test_moderators_are_refused_by_the_block_list_too(app, make):
    moderator = make.user("mod", role=UserRole.MODERATOR)
    decision = judge(app, moderator, "Ein Schimpfwort.", COMMENT_BLOCK_WORDS=["schimpfwort"])
    assert decision.verdict is Verdict.REFUSE


# --- links --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "verdict"),
    [
        ("Keine Links.", Verdict.PUBLISH),
        ("Siehe https://example.org/a und https://example.org/b", Verdict.PUBLISH),
        ("https://a.example https://b.example https://c.example", Verdict.HOLD),
        (
            "[eins](https://a.example) [zwei](https://b.example) [drei](https://c.example)",
            Verdict.HOLD,
        ),
        # The same address three times is three links: spam often repeats one.
        ("https://a.example https://a.example https://a.example", Verdict.HOLD),
    ],
)
def test_more_links_than_the_limit_are_held(app, member, body, verdict):
    assert judge(app, member, body).verdict is verdict


def test_the_link_limit_is_a_setting(app, member):
    body = "https://a.example"
    assert judge(app, member, body, COMMENT_MAX_LINKS=0).verdict is Verdict.HOLD
    assert judge(app, member, body, COMMENT_MAX_LINKS=1).verdict is Verdict.PUBLISH
    many = " ".join(f"https://{n}.example" for n in range(10))
    assert judge(app, member, many, COMMENT_MAX_LINKS=10).verdict is Verdict.PUBLISH


def test_the_reason_names_the_links(app, member):
    decision = judge(app, member, "https://a.example https://b.example https://c.example")
    assert decision.held == Reason(ReasonCode.HELD, {"links": 3, "link_limit": 2})


# --- hold list and block list -------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Kauft jetzt Casino-Chips!",
        "CASINO",
        "casino.",
        "Das Ｃａｓｉｎｏ ist offen.",  # fullwidth letters
        "Das Ca\u00adsino ist offen.",  # a soft hyphen inside
        "Das Cas\u200bino ist offen.",  # a zero-width space inside
    ],
)
def test_a_word_of_the_hold_list_holds(app, member, body):
    decision = judge(app, member, body, COMMENT_HOLD_WORDS=["casino"])
    assert decision.verdict is Verdict.HOLD
    assert decision.held == Reason(ReasonCode.HELD, {"words": ["casino"]})


@pytest.mark.parametrize("body", ["Casinos gibt es viele.", "Ein Kasino.", "occasional", ""])
def test_only_whole_words_count(app, member, body):
    assert judge(app, member, body, COMMENT_HOLD_WORDS=["casino"]).verdict is Verdict.PUBLISH


def test_phrases_match_across_line_breaks_and_spaces(app, member):
    body = "Jetzt   billig\nkaufen!"
    decision = judge(app, member, body, COMMENT_HOLD_WORDS=["billig kaufen"])
    assert decision.verdict is Verdict.HOLD


def test_umlauts_and_sharp_s_match_their_case_variants(app, member):
    assert judge(app, member, "DIE STRASSE", COMMENT_HOLD_WORDS=["Straße"]).verdict is Verdict.HOLD
    assert judge(app, member, "Ärger!", COMMENT_HOLD_WORDS=["ärger"]).verdict is Verdict.HOLD


def test_blank_entries_of_the_lists_match_nothing(app, member):
    decision = judge(app, member, "Text", COMMENT_HOLD_WORDS=["", "  "], COMMENT_BLOCK_WORDS=[""])
    assert decision.verdict is Verdict.PUBLISH


def test_list_entries_are_literal_text_not_patterns(app, member):
    settings = {"COMMENT_HOLD_WORDS": [".*", "a+"]}
    assert judge(app, member, "Ganz harmlos.", **settings).verdict is Verdict.PUBLISH
    assert judge(app, member, "Das ist .* hier", **settings).verdict is Verdict.HOLD


def test_a_word_of_the_block_list_refuses_with_a_clear_message(app, member):
    decision = judge(app, member, "Du bist ein Idiot!", COMMENT_BLOCK_WORDS=["idiot"])
    assert decision.verdict is Verdict.REFUSE
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert str(decision.refusal) == (
            "Your comment contains a word that is not allowed here: idiot"
        )


def test_the_block_list_wins_over_everything_else(app, member):
    decision = judge(
        app,
        member,
        "idiot https://a.example https://b.example https://c.example casino",
        COMMENT_MODERATION="all",
        COMMENT_HOLD_WORDS=["casino"],
        COMMENT_BLOCK_WORDS=["idiot"],
    )
    assert decision.verdict is Verdict.REFUSE


def test_every_reason_to_hold_is_given(app, member):
    decision = judge(
        app,
        member,
        "casino https://a.example https://b.example https://c.example",
        COMMENT_MODERATION="first",
        COMMENT_HOLD_WORDS=["casino"],
    )
    assert decision.verdict is Verdict.HOLD
    assert decision.held == Reason(
        ReasonCode.HELD, {"links": 3, "link_limit": 2, "words": ["casino"], "rule": "first"}
    )


def test_naughty_strings_never_break_the_policy(app, member, shared_dir: Path):
    strings = json.loads((shared_dir / "corpora" / "blns.json").read_text())
    words = [s for s in strings[:200] if s.strip()][:40]
    for body in strings:
        if not body.strip():
            continue
        decision = judge(app, member, body, COMMENT_HOLD_WORDS=words, COMMENT_MODERATION="first")
        assert decision.verdict in (Verdict.HOLD, Verdict.PUBLISH)


# --- the settings the comments feature passes in ----------------------------------------------


def test_saved_settings_are_what_the_policy_applies(app, make, member):
    from app.models import utcnow
    from app.services.site_settings import save_settings

    with app.app_context():
        save_settings(db.session, {"COMMENT_BLOCK_WORDS": ["verboten"]}, utcnow())
        db.session.commit()
        settings = effective_settings(db.session, app.config)
        author = db.session.get(User, member.id)
        decision = judge_comment(
            db.session, author, "Das ist verboten.", render_comment("x"), settings
        )
    assert decision.verdict is Verdict.REFUSE
