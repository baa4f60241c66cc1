"""Two people deciding on one comment at the same moment: exactly one decision happens and
the log shows exactly that, on PostgreSQL (row locks) and on SQLite (one writer at a time).

Each person has their own client, session and database connection; they start together at
a barrier and go through the real routes (CSRF token, views, services, commit). Both
databases run in both CI passes: the one the pass is about on the suite's database, the
other on a database of its own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.extensions import db
from app.models import (
    Article,
    Comment,
    CommentStatus,
    Flag,
    FlagReason,
    ModerationAction,
    ModerationEvent,
    User,
    UserRole,
    utcnow,
)
from app.services import moderation
from app.services.errors import Conflict
from tests.conftest import make_app, migrate_to_head
from tests.support import (
    Factory,
    csrf_token,
    login_as,
)

ROUNDS = 6  # comments decided on at once, one after the other
ENGLISH = {"Accept-Language": "en"}

pytestmark = pytest.mark.postgres


@pytest.fixture(params=["sqlite", "postgresql"])
def racing_app(request, database_kind: str, tmp_path: Path) -> Iterator[Flask]:  # noqa: ANN001
    """An app on SQLite or PostgreSQL: the suite's database if it is that kind, else its own."""
    kind = request.param
    if kind == database_kind:
        yield request.getfixturevalue("app")
        return
    if kind == "sqlite":
        application = make_app(f"sqlite:///{tmp_path / 'race.sqlite3'}", tmp_path)
        migrate_to_head(application)
        yield application
        with application.app_context():
            db.session.remove()
            db.engine.dispose()
        return
    yield request.getfixturevalue("postgres_app")  # a database of its own, as conftest makes it


def at_once(*calls: Callable[[], object]) -> list[object]:
    """Run *calls* in threads that start together; their results (or errors), in order."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        barrier.wait()
        try:
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - the test shows it
            results[index] = error

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results


def client_for(app: Flask, user) -> tuple:  # noqa: ANN001
    client = app.test_client()
    login_as(client, user)
    return client, csrf_token(client.get("/moderation/", headers=ENGLISH).data)


def post_decision(client, token: str, path: str, **data: str) -> Callable[[], object]:  # noqa: ANN001
    def call() -> tuple[int, dict]:
        response = client.post(
            path,
            data={"csrf_token": token, **data},
            headers={**ENGLISH, "Accept": "application/json"},
        )
        return response.status_code, response.get_json()

    return call


def flag_call(client, token: str, path: str) -> Callable[[], int]:  # noqa: ANN001
    def call() -> int:
        data = {"csrf_token": token, "reason": "spam"}
        return client.post(path, data=data, headers=ENGLISH).status_code

    return call


def decision_events(app: Flask, comment_id: int) -> list[ModerationEvent]:
    with app.app_context():
        rows = list(
            db.session.scalars(
                select(ModerationEvent)
                .where(ModerationEvent.comment_id == comment_id)
                .order_by(ModerationEvent.id)
            )
        )
        for row in rows:
            db.session.expunge(row)
        return rows


def test_two_moderators_deciding_at_once_one_wins(racing_app):
    app, make = racing_app, Factory(racing_app)
    article = make.article("Gleichzeitig entschieden")
    author = make.user("autor")
    first = make.user("erste", role=UserRole.MODERATOR)
    second = make.user("zweiter", role=UserRole.MODERATOR)
    waiting = [
        make.comment(article, author, f"Wartet {n}", status=CommentStatus.PENDING)
        for n in range(ROUNDS)
    ]
    one, one_token = client_for(app, first)
    two, two_token = client_for(app, second)
    for comment in waiting:
        path = f"/moderation/comments/{comment.id}"
        results = at_once(
            post_decision(one, one_token, f"{path}/approve", expected="pending"),
            post_decision(two, two_token, f"{path}/hide", expected="pending", reason="Nein"),
        )
        assert all(isinstance(result, tuple) for result in results), results
        statuses = sorted(status for status, _body in results)
        assert statuses == [200, 409], results
        winner = 0 if results[0][0] == 200 else 1
        [event] = decision_events(app, comment.id)
        assert event.action is (ModerationAction.APPROVE, ModerationAction.HIDE)[winner]
        assert event.actor_id == (first.id, second.id)[winner]
        with app.app_context():
            stored = db.session.get(Comment, comment.id)
            assert stored.status.value == event.to_state
        loser = results[1 - winner][1]
        assert "Someone else has dealt with this comment" in loser["message"]
    with app.app_context():
        stored = db.session.get(Article, article.id)
        visible = db.session.scalar(
            select(func.count(Comment.id)).where(
                Comment.article_id == article.id, Comment.status == CommentStatus.VISIBLE
            )
        )
        assert stored.visible_comment_count == visible


def test_a_dismissal_and_a_hide_at_once_do_not_both_happen(racing_app):
    app, make = racing_app, Factory(racing_app)
    article = make.article("Gemeldet und entschieden")
    author = make.user("autor")
    first = make.user("erste", role=UserRole.MODERATOR)
    second = make.user("zweiter", role=UserRole.MODERATOR)
    one, one_token = client_for(app, first)
    two, two_token = client_for(app, second)
    for n in range(ROUNDS):
        comment = make.comment(article, author, f"Gemeldet {n}")
        with app.app_context():
            db.session.add(Flag(comment_id=comment.id, user_id=first.id, reason=FlagReason.SPAM))
            db.session.get(Comment, comment.id).flag_count = 1
            db.session.commit()
        path = f"/moderation/comments/{comment.id}"
        results = at_once(
            post_decision(one, one_token, f"{path}/approve", expected="visible", flags="1"),
            post_decision(two, two_token, f"{path}/hide", expected="visible", flags="1"),
        )
        assert sorted(status for status, _body in results) == [200, 409], results
        assert len(decision_events(app, comment.id)) == 1


def test_an_undo_racing_another_decision_happens_or_not_at_all(racing_app):
    app, make = racing_app, Factory(racing_app)
    article = make.article("Zurückgenommen")
    author = make.user("autor")
    first = make.user("erste", role=UserRole.MODERATOR)
    second = make.user("zweiter", role=UserRole.MODERATOR)
    one, one_token = client_for(app, first)
    two, two_token = client_for(app, second)
    for n in range(ROUNDS):
        comment = make.comment(article, author, f"Verborgen {n}")
        path = f"/moderation/comments/{comment.id}"
        status, body = post_decision(one, one_token, f"{path}/hide", expected="visible")()
        assert status == 200
        results = at_once(
            post_decision(one, one_token, body["undo"]["url"]),
            post_decision(two, two_token, f"{path}/delete", expected="hidden", confirmed="1"),
        )
        assert sorted(status for status, _body in results) == [200, 409], results
        actions = [event.action for event in decision_events(app, comment.id)]
        assert actions[0] is ModerationAction.HIDE and len(actions) == 2
        with app.app_context():
            stored = db.session.get(Comment, comment.id)
            expected = (
                CommentStatus.VISIBLE
                if actions[1] is ModerationAction.UNDO
                else CommentStatus.DELETED
            )
            assert stored.status is expected


def test_simultaneous_flags_send_a_comment_back_to_review_once(racing_app):
    app, make = racing_app, Factory(racing_app)
    app.config["FLAG_THRESHOLD"] = 2
    article = make.article("Oft gemeldet")
    author = make.user("autor")
    for n in range(ROUNDS):
        comment = make.comment(article, author, f"Umstritten {n}")
        members = [make.user() for _ in range(3)]
        clients = []
        for member in members:
            client = app.test_client()
            login_as(client, member)
            page = client.get(f"/comments/{comment.id}/flag", headers=ENGLISH)
            clients.append((client, csrf_token(page.data)))

        path = f"/comments/{comment.id}/flag"
        results = at_once(*(flag_call(client, token, path) for client, token in clients))
        # A flag that arrives once the comment is back under review finds it gone from view
        # and is told so (404, the page that explains); every other flag is taken.
        assert set(results) <= {302, 404} and results.count(302) >= 2, results
        events = decision_events(app, comment.id)
        assert [event.action for event in events] == [ModerationAction.FLAG_THRESHOLD]
        with app.app_context():
            stored = db.session.get(Comment, comment.id)
            open_flags = db.session.scalar(
                select(func.count(Flag.id)).where(
                    Flag.comment_id == comment.id, Flag.dismissed_at.is_(None)
                )
            )
            assert stored.status is CommentStatus.PENDING
            assert stored.flag_count == open_flags >= 2


def test_a_decision_on_a_stale_read_changes_nothing(racing_app):
    """The conditional UPDATE itself: a comment read before another decision committed is
    not moved again, even when nothing else notices that the read is stale."""
    app, make = racing_app, Factory(racing_app)
    article = make.article("Veraltet gelesen")
    comment = make.comment(article, make.user("autor"), "Wartet", status=CommentStatus.PENDING)
    first = make.user("erste", role=UserRole.MODERATOR)
    second = make.user("zweiter", role=UserRole.MODERATOR)
    with app.app_context():
        engine = db.engine
    # The second moderator, on a connection of their own.
    with engine.connect() as other, Session(other) as session:
        stale = session.get(Comment, comment.id)  # read: pending
        with app.app_context():
            moderation.approve(
                db.session,
                db.session.get(Comment, comment.id),
                actor=db.session.get(User, first.id),
                now=utcnow(),
            )
            db.session.commit()
        with pytest.raises(Conflict):
            moderation.hide(
                session,
                stale,
                actor=session.get(User, second.id),
                now=utcnow(),
                expected=CommentStatus.PENDING,
            )
        session.rollback()
    [event] = decision_events(app, comment.id)
    assert event.action is ModerationAction.APPROVE
    with app.app_context():
        assert db.session.get(Comment, comment.id).status is CommentStatus.VISIBLE
