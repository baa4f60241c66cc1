"""Decisions on comments and discussions, as services: each writes exactly one event."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import (
    Article,
    Comment,
    CommentStatus,
    Flag,
    FlagReason,
    ModerationAction,
    User,
    UserRole,
    utcnow,
)
from app.services import moderation
from app.services.errors import Conflict, InvalidInput, NotAllowed
from tests.moderation_support import build_scene, event_count, events, note, reload

P, V, H, D = (
    CommentStatus.PENDING,
    CommentStatus.VISIBLE,
    CommentStatus.HIDDEN,
    CommentStatus.DELETED,
)


@pytest.fixture
def scene(make):  # noqa: ANN001, ANN201
    return build_scene(make)


def decide(app, decision, comment_id, actor_id, **kwargs):  # noqa: ANN001, ANN201
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        actor = db.session.get(User, actor_id)
        moderation.DECISIONS[decision](db.session, comment, actor=actor, now=utcnow(), **kwargs)
        db.session.commit()


@pytest.mark.parametrize(
    ("decision", "start", "end", "action"),
    [
        ("approve", P, V, ModerationAction.APPROVE),
        ("hide", P, H, ModerationAction.HIDE),
        ("hide", V, H, ModerationAction.HIDE),
        ("unhide", H, V, ModerationAction.UNHIDE),
        ("delete", P, D, ModerationAction.DELETE),
        ("delete", V, D, ModerationAction.DELETE),
        ("delete", H, D, ModerationAction.DELETE),
    ],
)
def test_each_transition_writes_exactly_one_event_with_from_and_to(
    app, make, scene, decision, start, end, action
):
    comment = make.comment(scene.article, scene.author, "Text", status=start)
    before = event_count(app)
    decide(app, decision, comment.id, scene.moderator.id, reason="  Grund  genug ")
    assert reload(app, Comment, comment.id).status is end
    assert event_count(app) == before + 1
    [event] = events(app, comment_id=comment.id)
    assert event.action is action
    assert (event.from_state, event.to_state) == (start.value, end.value)
    assert event.actor_id == scene.moderator.id
    assert event.target_user_id == scene.author.id
    assert event.article_id == scene.article.id
    assert event.reason == note("Grund genug")
    assert reload(app, Comment, comment.id).status_reason == note("Grund genug")


@pytest.mark.parametrize(
    ("decision", "start"),
    [
        ("approve", V),
        ("approve", H),
        ("approve", D),
        ("hide", H),
        ("hide", D),
        ("unhide", P),
        ("unhide", V),
        ("unhide", D),
        ("delete", D),
    ],
)
def test_decisions_that_do_not_fit_the_state_are_refused(app, make, scene, decision, start):
    comment = make.comment(scene.article, scene.author, "Text", status=start)
    before = event_count(app)
    with pytest.raises(InvalidInput):
        decide(app, decision, comment.id, scene.moderator.id)
    assert reload(app, Comment, comment.id).status is start
    assert event_count(app) == before


@pytest.mark.parametrize("decision", ["approve", "hide", "unhide", "delete"])
def test_members_may_not_decide(app, scene, decision):
    target = {"approve": scene.pending, "hide": scene.visible, "unhide": scene.hidden}.get(
        decision, scene.visible
    )
    with pytest.raises(NotAllowed):
        decide(app, decision, target.id, scene.author.id)
    assert reload(app, Comment, target.id).status is target.status


def test_a_decision_on_a_stale_page_is_refused(app, scene):
    decide(app, "hide", scene.pending.id, scene.admin.id)
    before = event_count(app)
    with pytest.raises(Conflict):
        decide(app, "delete", scene.pending.id, scene.moderator.id, expected=P)
    assert reload(app, Comment, scene.pending.id).status is H
    assert event_count(app) == before


def test_visible_count_and_discussion_version_follow_the_decisions(app, scene):
    article = reload(app, Article, scene.article.id)
    assert article.visible_comment_count == 1
    decide(app, "approve", scene.pending.id, scene.moderator.id)
    after = reload(app, Article, scene.article.id)
    assert after.visible_comment_count == 2
    assert after.discussion_version > article.discussion_version
    decide(app, "delete", scene.visible.id, scene.moderator.id)
    assert reload(app, Article, scene.article.id).visible_comment_count == 1


def test_a_too_long_reason_is_refused(app, scene):
    with pytest.raises(InvalidInput):
        decide(app, "hide", scene.visible.id, scene.moderator.id, reason="x" * 501)
    assert reload(app, Comment, scene.visible.id).status is V


def _flag(app, comment_id, user_id):  # noqa: ANN001, ANN202
    with app.app_context():
        db.session.add(
            Flag(
                comment_id=comment_id, user_id=user_id, reason=FlagReason.SPAM, created_at=utcnow()
            )
        )
        comment = db.session.get(Comment, comment_id)
        comment.flag_count += 1
        db.session.commit()


def test_approving_settles_open_flags(app, scene):
    _flag(app, scene.pending.id, scene.member.id)
    decide(app, "approve", scene.pending.id, scene.moderator.id)
    comment = reload(app, Comment, scene.pending.id)
    assert (comment.status, comment.flag_count) == (V, 0)
    assert [e.action for e in events(app, comment_id=comment.id)] == [ModerationAction.APPROVE]


def test_approving_a_flagged_visible_comment_dismisses_its_flags(app, scene):
    _flag(app, scene.visible.id, scene.member.id)
    decide(app, "approve", scene.visible.id, scene.moderator.id)
    comment = reload(app, Comment, scene.visible.id)
    assert (comment.status, comment.flag_count) == (V, 0)
    [event] = events(app, comment_id=comment.id)
    assert event.action is ModerationAction.DISMISS_FLAGS
    assert (event.from_state, event.to_state) == ("visible", "visible")


# --- bulk ----------------------------------------------------------------------------------


def bulk(app, decision, ids, actor_id, reason=None):  # noqa: ANN001, ANN201
    with app.app_context():
        actor = db.session.get(User, actor_id)
        result = moderation.bulk(
            db.session, decision, ids, actor=actor, now=utcnow(), reason=reason
        )
        db.session.commit()
        return result


def test_bulk_approve_approves_each_and_logs_each(app, make, scene):
    extra = make.comment(scene.article, scene.author, "Noch einer", status=P)
    before = event_count(app)
    result = bulk(app, "approve", [scene.pending.id, extra.id], scene.moderator.id)
    assert sorted(result.done) == sorted([scene.pending.id, extra.id])
    assert result.skipped == []
    assert reload(app, Comment, scene.pending.id).status is V
    assert reload(app, Comment, extra.id).status is V
    assert event_count(app) == before + 2


def test_bulk_hide_skips_what_no_longer_fits(app, scene):
    result = bulk(
        app,
        "hide",
        [scene.pending.id, scene.visible.id, scene.hidden.id, 999_999],
        scene.moderator.id,
        reason="Werbung",
    )
    assert sorted(result.done) == sorted([scene.pending.id, scene.visible.id])
    assert sorted(result.skipped) == sorted([scene.hidden.id, 999_999])
    for ident in (scene.pending.id, scene.visible.id):
        comment = reload(app, Comment, ident)
        assert (comment.status, comment.status_reason) == (H, note("Werbung"))


@pytest.mark.parametrize(("decision", "ids"), [("delete", [1]), ("approve", []), ("", [1])])
def test_bulk_refuses_other_actions_and_empty_selections(app, scene, decision, ids):
    before = event_count(app)
    with pytest.raises(InvalidInput):
        bulk(app, decision, ids, scene.moderator.id)
    assert event_count(app) == before


def test_bulk_is_for_moderators_only(app, scene):
    with pytest.raises(NotAllowed):
        bulk(app, "approve", [scene.pending.id], scene.member.id)
    assert reload(app, Comment, scene.pending.id).status is P


# --- closing -------------------------------------------------------------------------------


def set_open(app, article_id, is_open, actor_id):  # noqa: ANN001, ANN201
    with app.app_context():
        article = db.session.get(Article, article_id)
        actor = db.session.get(User, actor_id)
        moderation.set_comments_open(
            db.session, article, is_open, actor=actor, now=utcnow(), reason="Ruhe"
        )
        db.session.commit()


def test_closing_and_reopening_are_logged_and_change_the_version(app, scene):
    version = reload(app, Article, scene.article.id).discussion_version
    set_open(app, scene.article.id, False, scene.moderator.id)
    closed = reload(app, Article, scene.article.id)
    assert closed.comments_open is False
    assert closed.discussion_version > version
    set_open(app, scene.article.id, True, scene.admin.id)
    assert reload(app, Article, scene.article.id).comments_open is True
    close, reopen = events(app, article_id=scene.article.id)
    assert (close.action, close.from_state, close.to_state) == (
        ModerationAction.CLOSE,
        "open",
        "closed",
    )
    assert (reopen.action, reopen.from_state, reopen.to_state) == (
        ModerationAction.REOPEN,
        "closed",
        "open",
    )
    assert close.reason == note("Ruhe")
    assert close.comment_id is None


def test_closing_twice_or_as_a_member_is_refused(app, make, scene):
    set_open(app, scene.article.id, False, scene.moderator.id)
    before = event_count(app)
    with pytest.raises(InvalidInput):
        set_open(app, scene.article.id, False, scene.moderator.id)
    with pytest.raises(NotAllowed):
        set_open(app, scene.article.id, True, scene.member.id)
    assert reload(app, Article, scene.article.id).comments_open is False
    assert event_count(app) == before


def test_a_moderator_role_is_needed_not_just_a_login(app, make, scene):
    deleted_mod = make.user("weg", role=UserRole.MODERATOR, state="deleted")
    with pytest.raises(NotAllowed):
        decide(app, "approve", scene.pending.id, deleted_mod.id)
