"""Previewing a change of the moderation settings: what it would have held or refused among
the last comments, and the reverse; nothing is written until the settings are saved."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import CommentStatus, ModerationEvent, SiteSetting, UserRole, utcnow
from app.services.policy_preview import preview_policy
from tests.moderation_support import statuses
from tests.support import csrf_token, login_as

IN_FORCE = {
    "COMMENT_MODERATION": "none",
    "COMMENT_MAX_LINKS": 2,
    "COMMENT_HOLD_WORDS": ["casino"],
    "COMMENT_BLOCK_WORDS": [],
}
FORM = {
    "COMMENT_MODERATION": "none",
    "COMMENT_MAX_LINKS": "2",
    "COMMENT_MAX_LENGTH": "5000",
    "COMMENT_HOLD_WORDS": "",
    "COMMENT_BLOCK_WORDS": "",
    "FLAG_THRESHOLD": "3",
    "COMMENT_EDIT_MINUTES": "15",
}


@pytest.fixture
def site(make):  # noqa: ANN001, ANN201
    """Comments of a newcomer, a regular and a moderator, some with links or words."""
    article = make.article("Über Geld")
    newcomer, regular = make.user("neu"), make.user("stamm")
    moderator = make.user("aufsicht", role=UserRole.MODERATOR)
    start = utcnow() - timedelta(hours=5)
    made = {}
    texts = [
        ("earlier", regular, "Schon lange dabei.", CommentStatus.VISIBLE),
        ("links", regular, "https://a.example https://b.example", CommentStatus.VISIBLE),
        ("krypto", regular, "Krypto ist die Zukunft.", CommentStatus.VISIBLE),
        ("casino", regular, "Im Casino verloren.", CommentStatus.PENDING),
        ("first", newcomer, "Mein erster Beitrag.", CommentStatus.VISIBLE),
        ("second", newcomer, "Mein zweiter Beitrag.", CommentStatus.VISIBLE),
        ("staff", moderator, "Krypto, sagt die Aufsicht.", CommentStatus.VISIBLE),
    ]
    for minutes, (key, author, body, status) in enumerate(texts):
        made[key] = make.comment(
            article, author, body, status=status, created_at=start + timedelta(minutes=minutes)
        )
    return made


def preview(app, **proposed):  # noqa: ANN001, ANN201
    with app.app_context():
        return preview_policy(db.session, IN_FORCE, {**IN_FORCE, **proposed})


def ids(changes) -> set[int]:  # noqa: ANN001
    return {change.comment.id for change in changes}


def test_a_new_hold_word_shows_what_it_would_have_held(app, site):
    result = preview(app, COMMENT_HOLD_WORDS=["casino", "krypto"])
    assert result.examined == 7
    assert ids(result.held) == {site["krypto"].id}  # the moderator's is never held
    assert result.held[0].proposed.held.params["words"] == ["krypto"]
    assert (result.refused, result.released, result.allowed) == ([], [], [])


def test_a_lower_link_limit_and_the_block_list(app, site):
    result = preview(app, COMMENT_MAX_LINKS=1, COMMENT_BLOCK_WORDS=["casino"])
    assert ids(result.held) == {site["links"].id}
    assert ids(result.refused) == {site["casino"].id}
    assert result.refused[0].proposed.blocked == "casino"


def test_removing_a_word_shows_what_would_have_gone_live(app, site):
    result = preview(app, COMMENT_HOLD_WORDS=[])
    assert ids(result.released) == {site["casino"].id}
    assert result.held == []


def test_first_comment_mode_knows_who_had_an_approved_comment_then(app, site):
    result = preview(app, COMMENT_MODERATION="first")
    # Each member's first comment would have waited; later ones came after an approval.
    assert ids(result.held) == {site["earlier"].id, site["first"].id}


def test_only_the_last_comments_are_replayed(app, site):
    with app.app_context():
        result = preview_policy(
            db.session, IN_FORCE, {**IN_FORCE, "COMMENT_MODERATION": "all"}, limit=3
        )
    assert result.examined == 3
    assert ids(result.held) == {site["first"].id, site["second"].id}


def counts(app) -> tuple:  # noqa: ANN001
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(SiteSetting)),
            db.session.scalar(select(func.count(ModerationEvent.id))),
        )


def test_the_settings_page_previews_and_writes_nothing(app, client, make, site):
    admin = make.user("chefin", role=UserRole.ADMIN)
    login_as(client, admin)
    page = client.get("/admin/settings")
    assert "Auswirkung ansehen" in page.text
    before, rows = statuses(app), counts(app)
    answer = client.post(
        "/admin/settings",
        data={
            **FORM,
            "COMMENT_HOLD_WORDS": "krypto",
            "csrf_token": csrf_token(page.data),
            "preview": "1",
        },
    )
    assert answer.status_code == 200
    assert 'id="policy-preview"' in answer.text
    assert "1 Kommentar wäre zurückgehalten worden" in answer.text
    assert f"/moderation/comments/{site['krypto'].id}" in answer.text
    assert "Halteliste: krypto" in answer.text
    assert "krypto</textarea>" in answer.text  # the typed value is kept for saving
    assert (statuses(app), counts(app)) == (before, rows)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SiteSetting)) == 0


def test_a_preview_with_a_bad_value_is_refused_like_saving(app, client, make, site):
    admin = make.user("chefin", role=UserRole.ADMIN)
    login_as(client, admin)
    page = client.get("/admin/settings")
    before = counts(app)
    answer = client.post(
        "/admin/settings",
        data={
            **FORM,
            "COMMENT_MAX_LINKS": "viele",
            "csrf_token": csrf_token(page.data),
            "preview": "1",
        },
    )
    assert answer.status_code == 400
    assert 'id="policy-preview"' not in answer.text
    assert counts(app) == before


@pytest.mark.parametrize("role", [None, UserRole.MEMBER, UserRole.MODERATOR])
def test_only_admins_may_preview(app, client, make, site, role):
    from tests.moderation_support import mint_csrf

    if role is not None:
        login_as(client, make.user("jemand", role=role))
    token = mint_csrf(app, client)
    answer = client.post("/admin/settings", data={**FORM, "csrf_token": token, "preview": "1"})
    assert answer.status_code == (302 if role is None else 403)
    assert "policy-preview" not in answer.text
