"""An instance stopped, instances restarted one after the other: under a bounded load.

nginx passes a request that failed to connect, or an idempotent one whose instance failed,
to the other instance; a comment the site acknowledged is stored, once. An instance that
restarts keeps its socket (diskurs-web@.socket), so what arrives meanwhile waits for it.
"""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Comment
from tests.deploy.load import Load

pytestmark = [pytest.mark.deploy, pytest.mark.postgres, pytest.mark.redis]


def _load(stack) -> Load:  # noqa: ANN001
    article = f"/articles/{stack.slug}"
    readers = [stack.client(), stack.client(), stack.member("gustav")]  # the member: uncached
    return Load(readers, [article, "/", "/healthz"], stack.member("mira"), stack.slug)


def _stored(stack, bodies: list[str]) -> dict[str, int]:  # noqa: ANN001
    with stack.app.app_context():
        rows = db.session.execute(
            select(Comment.body, func.count())
            .where(Comment.body.in_(bodies))
            .group_by(Comment.body)
        ).all()
        db.session.rollback()
    return dict(rows)


def _check_comments(stack, load: Load) -> None:  # noqa: ANN001
    posts = load.outcome.posts
    assert posts, "the load posted nothing"
    stored = _stored(stack, [body for body, _status, _id in posts])
    for body, number in load.outcome.acknowledged.items():
        assert stored.get(body) == 1, (
            f"acknowledged comment {number} stored {stored.get(body)} times"
        )
    assert all(count == 1 for count in stored.values())  # none twice, acknowledged or not


def test_stopping_an_instance_under_load_loses_nothing_nginx_could_retry(stack):
    first, _second = stack.instances
    try:
        with _load(stack) as load:
            time.sleep(2)
            first.stop(close_socket=True)  # running requests finish, then it is gone
            time.sleep(4)
    finally:
        first.start()
    reads = load.outcome.reads
    assert set(reads) == {200}, reads  # every GET answered, retried on the other instance
    assert sum(reads.values()) > 20
    _check_comments(stack, load)
    # A POST that had reached the stopped instance is not repeated by nginx; everything else
    # was acknowledged.
    statuses = {status for _body, status, _id in load.outcome.posts}
    assert statuses <= {302, 502, 504}, statuses


def test_restarting_the_instances_one_after_the_other_answers_every_request(stack):
    with _load(stack) as load:
        time.sleep(1)
        for instance in stack.instances:
            instance.stop()
            instance.start()  # waits until it answers
            time.sleep(1)
    reads = load.outcome.reads
    assert set(reads) == {200}, reads
    statuses = {status for _body, status, _id in load.outcome.posts}
    assert statuses == {302}, load.outcome.posts
    _check_comments(stack, load)
