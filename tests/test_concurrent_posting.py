"""No lost writes: 20 members post 200 comments at the same moment, on PostgreSQL.

Each member has their own client and session; all start together, and every comment goes
through the real form (CSRF token, route, services, commit). Afterwards every comment must
be stored exactly once, with its log entry, and the numbers kept on the articles (visible
count, discussion version) must agree with the rows. Flood limits are set aside by the
test settings (no interval, 10,000 per hour, no rate limit).

Runs against PostgreSQL in both CI passes: in the PostgreSQL pass on the suite's database,
in the SQLite pass on a database of its own.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    Article,
    Comment,
    CommentStatus,
    ModerationAction,
    ModerationEvent,
)
from tests.support import (
    Factory,
    csrf_token,
    login_as,
)

MEMBERS = 20
PER_MEMBER = 10

pytestmark = pytest.mark.postgres


def _post_all(app, member, slugs: list[str], parent_id: int, barrier, failures: list) -> None:  # noqa: ANN001
    client = app.test_client()
    login_as(client, member)
    token = csrf_token(client.get(f"/articles/{slugs[0]}").data)
    barrier.wait()
    for n in range(PER_MEMBER):
        slug = slugs[1] if n % 5 == 4 else slugs[0]
        data = {"csrf_token": token, "body": f"Beitrag {member.username} Nr. {n}"}
        if slug == slugs[0] and n % 4 == 0:
            data["parent_id"] = str(parent_id)
        try:
            response = client.post(f"/articles/{slug}/comments", data=data)
        except Exception as error:  # noqa: BLE001 - reported below, with the others
            failures.append((member.username, n, repr(error)))
            continue
        if response.status_code != 302:
            failures.append((member.username, n, response.status_code))


@pytest.mark.writes_in_a_row
def test_concurrent_comments_all_land_once_and_counts_agree(postgres_app):
    pg_app = postgres_app
    make = Factory(pg_app)
    first = make.article("Erster Beitrag zum Gleichzeitigen")
    second = make.article("Zweiter Beitrag zum Gleichzeitigen")
    host = make.user("gastgeberin")
    opening = make.comment(first, host, "Der Anfang.")
    members = [make.user(f"schreiber{n}") for n in range(MEMBERS)]
    # Half of them have an approved comment already: the default policy lets theirs through
    # and holds the others', so both states are written at once.
    trusted = {m.id for m in members[: MEMBERS // 2]}
    for member in members[: MEMBERS // 2]:
        make.comment(second, member, "Schon einmal geschrieben.")
    with pg_app.app_context():
        before = {
            a.id: (a.discussion_version, a.visible_comment_count)
            for a in db.session.scalars(select(Article))
        }

    # Twenty members, one address (the test client's): its limit would refuse most of them.
    pg_app.config["COMMENT_WRITES_PER_ADDRESS"] = 1_000_000
    barrier = threading.Barrier(MEMBERS)
    failures: list = []
    workers = [
        threading.Thread(
            target=_post_all,
            args=(pg_app, m, [first.slug, second.slug], opening.id, barrier, failures),
        )
        for m in members
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert not any(worker.is_alive() for worker in workers)
    assert failures == []

    with pg_app.app_context():
        bodies = Counter(
            db.session.scalars(select(Comment.body).where(Comment.body.like("Beitrag %")))
        )
        expected = {f"Beitrag {m.username} Nr. {n}" for m in members for n in range(PER_MEMBER)}
        assert set(bodies) == expected
        assert set(bodies.values()) == {1}

        new = db.session.scalars(select(Comment).where(Comment.body.like("Beitrag %"))).all()
        for comment in new:
            wanted = (
                CommentStatus.VISIBLE if comment.author_id in trusted else CommentStatus.PENDING
            )
            assert comment.status is wanted
            if comment.parent_id is not None:
                assert comment.parent_id == opening.id and comment.depth == 2

        logged = db.session.scalar(
            select(func.count(ModerationEvent.id)).where(
                ModerationEvent.action == ModerationAction.POST,
                ModerationEvent.comment_id.in_([c.id for c in new]),
            )
        )
        assert logged == MEMBERS * PER_MEMBER

        posts = Counter(c.article_id for c in new)
        for article in db.session.scalars(select(Article)):
            visible = db.session.scalar(
                select(func.count(Comment.id)).where(
                    Comment.article_id == article.id, Comment.status == CommentStatus.VISIBLE
                )
            )
            assert article.visible_comment_count == visible
            version, _count = before[article.id]
            assert article.discussion_version == version + posts[article.id]
