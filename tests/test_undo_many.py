"""Undoing a bulk decision: offered with its confirmation, taken back as a whole, skipping
what has changed since, refused to everyone but the moderator who took it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import Comment, CommentStatus, ModerationAction, User, UserRole, utcnow
from app.services import moderation, undo
from app.services.errors import NotAllowed
from tests.moderation_support import build_scene, events, mint_csrf, reload, statuses
from tests.support import csrf_token, login_as

P, V, H = CommentStatus.PENDING, CommentStatus.VISIBLE, CommentStatus.HIDDEN
WINDOW = timedelta(minutes=5)


@pytest.fixture
def scene(make):  # noqa: ANN001, ANN201
    scene = build_scene(make)
    scene.others = [
        make.comment(scene.article, scene.member, f"Wartet auch {n}.", status=P) for n in (1, 2)
    ]
    return scene


def _bulk(client, scene, action: str = "approve"):  # noqa: ANN001, ANN202
    """The moderator approves (or hides) the three waiting comments from the queue."""
    ids = [scene.pending.id, *(c.id for c in scene.others)]
    token = csrf_token(client.get("/moderation/").data)
    data = {"csrf_token": token, "action": action, "ids": [str(i) for i in ids]}
    return client.post("/moderation/bulk", data=data, follow_redirects=True), ids


def _offer(page: str) -> dict:
    """The fields of the undo form on *page*, as the browser would send them."""
    form = re.search(r'<form class="flash flash--undo undo-offer"[^>]*>(.*?)</form>', page, re.S)
    assert form, "no offer to undo"
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(1))
    data: dict = {"event_ids": []}
    for name, value in fields:
        if name == "event_ids":
            data["event_ids"].append(value)
        else:
            data[name] = value
    return data


def test_a_bulk_approval_is_offered_and_taken_back_as_a_whole(app, client, scene):
    login_as(client, scene.moderator)
    page, ids = _bulk(client, scene)
    assert "3 Kommentare freigegeben." in page.text
    assert "Sie können diese 3 Entscheidungen bis" in page.text
    offer = _offer(page.text)
    approvals = events(app, action=ModerationAction.APPROVE)
    assert sorted(offer["event_ids"]) == sorted(str(e.id) for e in approvals)

    undone = client.post("/moderation/undo-many", data=offer, follow_redirects=True)
    assert "3 Entscheidungen wurden rückgängig gemacht." in undone.text
    assert all(reload(app, Comment, i).status is P for i in ids)
    assert len(events(app, action=ModerationAction.UNDO)) == 3
    assert "undo-offer" not in client.get("/moderation/").text  # offered once

    again = client.post("/moderation/undo-many", data=offer, follow_redirects=True)
    assert "3 Entscheidungen ließen sich nicht rückgängig machen" in again.text
    assert len(events(app, action=ModerationAction.UNDO)) == 3


def test_a_decision_changed_since_is_skipped_and_the_rest_taken_back(app, client, make, scene):
    login_as(client, scene.moderator)
    page, ids = _bulk(client, scene, "hide")
    offer = _offer(page.text)
    other = make.user("zweite", role=UserRole.MODERATOR)
    with app.app_context():  # another moderator shows one of them again meanwhile
        moderation.unhide(
            db.session, db.session.get(Comment, ids[0]), actor=db.session.get(User, other.id),
            now=utcnow(),
        )  # fmt: skip
        db.session.commit()
    undone = client.post("/moderation/undo-many", data=offer, follow_redirects=True)
    assert "2 Entscheidungen wurden rückgängig gemacht." in undone.text
    assert "1 Entscheidung ließ sich nicht rückgängig machen" in undone.text
    assert [reload(app, Comment, i).status for i in ids] == [V, P, P]


def test_after_the_window_nothing_is_taken_back(app, client, scene):
    login_as(client, scene.moderator)
    _bulk(client, scene)
    approvals = [e.id for e in events(app, action=ModerationAction.APPROVE)]
    before = statuses(app)
    with app.app_context():
        result = undo.undo_many(
            db.session, approvals, actor=db.session.get(User, scene.moderator.id),
            now=utcnow() + WINDOW + timedelta(seconds=1), window=WINDOW,
        )  # fmt: skip
        db.session.commit()
    assert result.done == [] and sorted(result.skipped) == sorted(approvals)
    assert statuses(app) == before


@pytest.mark.parametrize("role", ["reader", "member", "admin", "other moderator"])
def test_only_the_moderator_who_decided_takes_it_back(app, client, make, scene, role):
    moderator = app.test_client()
    login_as(moderator, scene.moderator)
    page, _ids = _bulk(moderator, scene)
    offer = _offer(page.text)
    if role == "member":
        login_as(client, scene.member)
    elif role == "admin":
        login_as(client, scene.admin)
    elif role == "other moderator":
        login_as(client, make.user("zweite", role=UserRole.MODERATOR))
    before = statuses(app)
    response = client.post(
        "/moderation/undo-many", data=dict(offer, csrf_token=mint_csrf(app, client))
    )
    if role == "reader":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    elif role == "member":
        assert response.status_code == 403
    else:
        refused = client.get(response.headers["Location"]).text
        assert "Nur wer eine Entscheidung getroffen hat" in refused
    assert statuses(app) == before
    assert all(e.undone_at is None for e in events(app, action=ModerationAction.APPROVE))


@pytest.mark.parametrize(
    "change",
    [
        {"csrf_token": ""},
        {"event_ids": []},
        {"event_ids": ["abc", "-1", "0"]},
        {"event_ids": ["999999"]},
    ],
    ids=["no token", "no ids", "bad ids", "unknown id"],
)
def test_bad_requests_change_nothing(app, client, scene, change):
    login_as(client, scene.moderator)
    page, _ids = _bulk(client, scene)
    offer = _offer(page.text)
    before = statuses(app)
    response = client.post("/moderation/undo-many", data=dict(offer, **change))
    assert response.status_code in (302, 400)
    assert statuses(app) == before
    assert events(app, action=ModerationAction.UNDO) == []


def test_the_service_refuses_other_moderators_decisions_whole(app, make, scene):
    with app.app_context():
        mine = moderation.approve(
            db.session, db.session.get(Comment, scene.pending.id),
            actor=db.session.get(User, scene.moderator.id), now=utcnow(),
        )  # fmt: skip
        db.session.commit()
        other = make.user("zweite", role=UserRole.MODERATOR)
        with pytest.raises(NotAllowed):
            undo.undo_many(
                db.session, [mine.id], actor=db.session.get(User, other.id), now=utcnow(),
                window=WINDOW,
            )  # fmt: skip
        db.session.rollback()
    assert reload(app, Comment, scene.pending.id).status is V


def test_the_page_with_the_offer_is_valid_html(client, scene):
    from tests.html_checker import check_documents

    login_as(client, scene.moderator)
    page, _ids = _bulk(client, scene)
    assert "undo-offer" in page.text
    assert check_documents({"queue-with-bulk-undo-offer": page.data}) == {
        "queue-with-bulk-undo-offer": []
    }
