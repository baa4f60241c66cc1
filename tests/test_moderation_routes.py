"""Every moderation route for every role; CSRF; decisions in place on the article page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from app.extensions import db
from app.models import AccountState, Article, Comment, CommentStatus, Flag, FlagReason, User, utcnow
from tests.moderation_support import (
    ROLES,
    Scene,
    act_as,
    build_scene,
    event_count,
    events,
    mint_csrf,
    note,
    reload,
    statuses,
)
from tests.support import csrf_token, login_as


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    path: Callable[[Scene], str]
    data: Callable[[Scene], dict] = field(default=lambda s: {})
    admin_only: bool = False


ROUTES = [
    Route("queue", "GET", lambda s: "/moderation/"),
    Route("queue-filtered", "GET", lambda s: f"/moderation/?article={s.article.id}&kind=pending"),
    Route("log", "GET", lambda s: "/moderation/log"),
    Route("bans", "GET", lambda s: "/moderation/bans"),
    Route("history", "GET", lambda s: f"/moderation/comments/{s.visible.id}"),
    Route("member", "GET", lambda s: f"/moderation/members/{s.author.id}"),
    Route("approve", "POST", lambda s: f"/moderation/comments/{s.pending.id}/approve"),
    Route(
        "hide",
        "POST",
        lambda s: f"/moderation/comments/{s.visible.id}/hide",
        lambda s: {"reason": "Werbung"},
    ),
    Route("unhide", "POST", lambda s: f"/moderation/comments/{s.hidden.id}/unhide"),
    Route(
        "delete",
        "POST",
        lambda s: f"/moderation/comments/{s.visible.id}/delete",
        lambda s: {"confirmed": "1"},
    ),
    Route("dismiss-flags", "POST", lambda s: f"/moderation/comments/{s.visible.id}/dismiss-flags"),
    Route(
        "bulk",
        "POST",
        lambda s: "/moderation/bulk",
        lambda s: {"action": "approve", "ids": [str(s.pending.id)]},
    ),
    Route("close", "POST", lambda s: f"/moderation/articles/{s.article.id}/close"),
    Route(
        "ban",
        "POST",
        lambda s: f"/moderation/members/{s.author.id}/ban",
        lambda s: {"reason": "Spam", "hide_comments": "y"},
    ),
    Route("unban", "POST", lambda s: f"/moderation/members/{s.author.id}/unban"),
    Route("settings", "GET", lambda s: "/admin/settings", admin_only=True),
    Route(
        "settings-save",
        "POST",
        lambda s: "/admin/settings",
        lambda s: {
            "COMMENT_MODERATION": "all",
            "COMMENT_MAX_LINKS": "3",
            "COMMENT_MAX_LENGTH": "4000",
            "COMMENT_HOLD_WORDS": "",
            "COMMENT_BLOCK_WORDS": "",
            "FLAG_THRESHOLD": "3",
            "COMMENT_EDIT_MINUTES": "15",
        },
        admin_only=True,
    ),
]
POSTS = [route for route in ROUTES if route.method == "POST"]


@pytest.fixture
def scene(app, make):  # noqa: ANN001, ANN201
    scene = build_scene(make)
    # Something for "dismiss flags" and "unban" to act on.
    with app.app_context():
        db.session.add(
            Flag(
                comment_id=scene.visible.id,
                user_id=scene.member.id,
                reason=FlagReason.SPAM,
                created_at=utcnow(),
            )
        )
        db.session.get(Comment, scene.visible.id).flag_count = 1
        db.session.get(User, scene.author.id).state = AccountState.BANNED
        db.session.commit()
    return scene


def request(app, client, route: Route, scene: Scene, token: str | None):  # noqa: ANN001, ANN201
    if route.method == "GET":
        return client.get(route.path(scene))
    data = dict(route.data(scene))
    if token is not None:
        data["csrf_token"] = token
    return client.post(route.path(scene), data=data)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_every_route_for_every_role(app, client, scene, route, role):
    user = scene.user(role)
    act_as(client, user)
    # A browser would have a token from any page with a form; readers too.
    token = mint_csrf(app, client) if route.method == "POST" else None
    before = statuses(app)
    before_events = event_count(app)
    response = request(app, client, route, scene, token)
    allowed = role == "admin" or (role == "moderator" and not route.admin_only)
    if role == "reader":
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]
    elif not allowed:
        assert response.status_code == 403
    elif route.method == "GET":
        assert response.status_code == 200
    else:
        assert response.status_code == 302, response.text
        assert "/login" not in response.headers["Location"]
    if not allowed:
        assert statuses(app) == before
        assert event_count(app) == before_events
    elif route.method == "POST" and not route.admin_only:
        assert event_count(app) > before_events, "a decision always leaves a trace in the log"


@pytest.mark.parametrize("route", POSTS, ids=lambda r: r.name)
def test_a_post_without_csrf_token_is_refused_and_changes_nothing(app, client, scene, route):
    act_as(client, scene.admin)
    before = statuses(app)
    before_events = event_count(app)
    response = request(app, client, route, scene, None)
    assert response.status_code == 400
    assert statuses(app) == before
    assert event_count(app) == before_events


@pytest.mark.parametrize("route", POSTS, ids=lambda r: r.name)
def test_a_post_with_a_forged_token_is_refused(app, client, scene, route):
    act_as(client, scene.admin)
    mint_csrf(app, client)
    before = statuses(app)
    response = request(app, client, route, scene, "forged-token")
    assert response.status_code == 400
    assert statuses(app) == before


# --- decisions in place on the article page -------------------------------------------------


def article_url(scene: Scene) -> str:
    return f"/articles/{scene.article.slug}"


def test_moderators_see_controls_on_every_comment_and_hidden_ones_marked(app, client, scene):
    login_as(client, scene.moderator)
    page = client.get(article_url(scene)).text
    for comment in (scene.pending, scene.visible):
        assert f"/moderation/comments/{comment.id}/hide" in page
        assert f"/moderation/comments/{comment.id}/delete" in page
    assert f"/moderation/comments/{scene.pending.id}/approve" in page
    assert f"/moderation/comments/{scene.hidden.id}/unhide" in page
    assert "Längst verborgen." in page  # hidden, yet shown to moderators
    assert "Wartet auf Freigabe" in page
    for text in ("Freigeben", "Verbergen", "Wieder anzeigen", "Löschen"):
        assert text in page


@pytest.mark.parametrize("role", ["reader", "member"])
def test_others_see_no_moderation_controls(app, client, scene, role):
    act_as(client, scene.user(role))
    page = client.get(article_url(scene)).text
    assert "/moderation/comments/" not in page
    assert "Längst verborgen." not in page
    assert "Wartet noch." not in page


def test_the_author_sees_the_state_of_their_own_comments(app, client, scene):
    with app.app_context():
        db.session.get(User, scene.author.id).state = AccountState.ACTIVE
        db.session.get(Comment, scene.hidden.id).status_reason = note("Beleidigend")
        db.session.commit()
    login_as(client, scene.author)
    page = client.get(article_url(scene)).text
    assert "Wartet noch." in page and "Wartet auf Freigabe" in page
    assert "Längst verborgen." in page and "Beleidigend" in page


def test_a_decision_in_place_returns_to_the_comment(app, client, scene):
    login_as(client, scene.moderator)
    page = client.get(article_url(scene))
    response = client.post(
        f"/moderation/comments/{scene.visible.id}/hide",
        data={
            "csrf_token": csrf_token(page.data),
            "reason": "Beleidigend",
            "expected": "visible",
            "next": f"{article_url(scene)}#comment-{scene.visible.id}",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"{article_url(scene)}#comment-{scene.visible.id}"
    comment = reload(app, Comment, scene.visible.id)
    assert (comment.status, comment.status_reason) == (CommentStatus.HIDDEN, note("Beleidigend"))
    shown = client.get(article_url(scene)).text
    assert "Beleidigend" in shown
    assert f"/moderation/comments/{scene.visible.id}/unhide" in shown


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", ""],
)
def test_next_must_be_a_local_path(app, client, scene, target):
    login_as(client, scene.moderator)
    token = csrf_token(client.get("/moderation/").data)
    response = client.post(
        f"/moderation/comments/{scene.pending.id}/approve",
        data={"csrf_token": token, "next": target},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/moderation/"


def test_a_stale_decision_is_refused_with_a_message(app, client, scene):
    login_as(client, scene.moderator)
    token = csrf_token(client.get("/moderation/").data)
    before = event_count(app)
    response = client.post(
        f"/moderation/comments/{scene.hidden.id}/delete",
        data={"csrf_token": token, "expected": "visible"},
        follow_redirects=True,
    )
    assert "inzwischen" in response.text
    assert reload(app, Comment, scene.hidden.id).status is CommentStatus.HIDDEN
    assert event_count(app) == before


def test_decisions_on_unknown_comments_and_articles_are_404(app, client, scene):
    login_as(client, scene.moderator)
    token = csrf_token(client.get("/moderation/").data)
    for path in (
        "/moderation/comments/999999/approve",
        "/moderation/comments/999999/dismiss-flags",
        "/moderation/articles/999999/close",
        "/moderation/members/999999/ban",
    ):
        assert client.post(path, data={"csrf_token": token}).status_code == 404
    assert client.get("/moderation/comments/999999").status_code == 404
    assert client.get("/moderation/members/999999").status_code == 404


def test_closing_in_place_closes_the_article_and_says_so(app, client, scene):
    login_as(client, scene.moderator)
    page = client.get(article_url(scene))
    assert f"/moderation/articles/{scene.article.id}/close" in page.text
    response = client.post(
        f"/moderation/articles/{scene.article.id}/close",
        data={"csrf_token": csrf_token(page.data), "next": article_url(scene)},
        follow_redirects=True,
    )
    assert "Kommentare zu diesem Artikel sind geschlossen" in response.text
    assert reload(app, Article, scene.article.id).comments_open is False
    assert f"/moderation/articles/{scene.article.id}/reopen" in response.text
    [event] = events(app, article_id=scene.article.id, comment_id=None)
    assert event.to_state == "closed"
