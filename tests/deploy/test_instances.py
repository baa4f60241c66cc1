"""Two instances, one site: what one instance did, the other and nginx show.

PostgreSQL and Redis are the only shared state: a comment, a moderation decision, failed
logins and the flood limits are seen and counted alike whichever instance a request meets.
"""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import ModerationEvent
from tests.deploy.web import Client, comment_id
from tests.support import PASSWORD, csrf_token

pytestmark = [pytest.mark.deploy, pytest.mark.postgres, pytest.mark.redis]


def freshness(answer) -> int:  # noqa: ANN001
    """How long a copy of *answer* may be kept: its max-age when marked public, else 0."""
    control = (answer.header("Cache-Control") or "").lower()
    if "public" not in control:
        return 0
    found = re.search(r"max-age=(\d+)", control)
    return int(found.group(1)) if found else 0


def seen_within(client: Client, path: str, text: str, seconds: float) -> float:
    """Seconds until *text* shows on *path* for *client*; fails after *seconds*."""
    started = time.monotonic()
    while True:
        answer = client.get(path)
        assert answer.status == 200, answer.status
        if text in answer.text:
            return time.monotonic() - started
        waited = time.monotonic() - started
        assert waited < seconds, f"{text!r} not seen on {path} after {waited:.1f} s"
        time.sleep(0.25)


def gone_within(client: Client, path: str, text: str, seconds: float) -> None:
    started = time.monotonic()
    while text in client.get(path).text:
        assert time.monotonic() - started < seconds, f"{text!r} still shown after {seconds} s"
        time.sleep(0.25)


def test_a_comment_posted_through_one_instance_is_seen_everywhere(stack):
    first, second = stack.instances
    path = f"/articles/{stack.slug}"
    reader = stack.client()
    warm = [reader.get(path), reader.get(path)]  # nginx keeps a copy if it may
    assert all(answer.status == 200 for answer in warm)
    allowed = freshness(warm[0]) + 2  # one request to notice the copy ran out, and its refresh

    writer = stack.member("anna", port=first.port)
    body = "Gesehen auf beiden Instanzen, ganz sicher."
    answer = writer.post_comment(stack.slug, body, port=first.port)
    assert comment_id(answer), (answer.status, answer.header("Location"))

    # Members see it at once, through the other instance and through nginx.
    assert body in writer.get(path, port=second.port).text
    assert body in writer.get(path).text
    other_member = stack.member("ben", port=second.port)
    assert body in other_member.get(path, port=second.port).text
    assert body in other_member.get(path).text
    # Readers within the freshness the page announced (at once where it is not kept).
    assert seen_within(stack.client(second.port), path, body, allowed) <= allowed
    assert seen_within(reader, path, body, allowed) <= allowed


def test_a_moderation_decision_through_one_instance_holds_on_the_other(stack):
    first, second = stack.instances
    path = f"/articles/{stack.slug}"
    author = stack.member("carla", port=second.port)
    body = "Dieser Kommentar wird gleich verborgen."
    answer = author.post_comment(stack.slug, body, port=second.port)
    number = comment_id(answer)
    assert number

    moderator = stack.member("moni", port=first.port)
    queue = moderator.get("/moderation/", port=first.port)
    decision = {"csrf_token": csrf_token(queue.body), "reason": "Test", "expected": "visible"}
    hidden = moderator.post(f"/moderation/comments/{number}/hide", decision, port=first.port)
    assert hidden.status in (302, 303), hidden.status

    # Through the other instance: the comment is gone for another member at once, and a
    # second decision on what the first moderator saw is refused there (it happened).
    assert body not in stack.member("dirk", port=second.port).get(path, port=second.port).text
    again = stack.member("mats", port=second.port)
    token = csrf_token(again.get("/moderation/", port=second.port).body)
    repeated = again.post(
        f"/moderation/comments/{number}/hide",
        {"csrf_token": token, "reason": "Noch einmal", "expected": "visible"},
        port=second.port,
    )
    assert repeated.status in (302, 303, 409), repeated.status
    with stack.app.app_context():
        events = db.session.scalars(
            select(ModerationEvent).where(ModerationEvent.comment_id == number)
        ).all()
        hides = [e.actor_id for e in events if e.to_state == "hidden"]
        assert hides == [stack.users["moni"].id]
    gone_within(stack.client(), path, body, stack.reader_max_age + 2)


def test_failed_logins_are_counted_across_both_instances(stack):
    first, second = stack.instances
    limit = int(stack.env.get("DISKURS_LOGIN_FAILURES_PER_ACCOUNT", "5"))
    statuses = []
    for attempt in range(limit):
        port = (first, second)[attempt % 2].port
        statuses.append(Client(port).log_in("emil", "falsch falsch falsch", port=port).status)
    assert 429 not in statuses
    # The next attempt meets a full count on either instance and through nginx, even with
    # the right password: no password is checked while the account is throttled.
    for port in (first.port, second.port, stack.nginx.port):
        answer = Client(port).log_in("emil", PASSWORD, port=port)
        assert answer.status == 429, (port, answer.status)
        assert "session" not in Client(port).cookies


def test_the_flood_limit_counts_comments_sent_to_either_instance(stack):
    first, second = stack.instances
    member = stack.member("frieda", port=first.port)
    posted = member.post_comment(stack.slug, "Der erste von zweien.", port=first.port)
    assert comment_id(posted)
    refused = member.post_comment(stack.slug, "Der zweite, zu schnell.", port=second.port)
    assert refused.status == 422, refused.status
    assert (
        "Der zweite, zu schnell."
        not in member.get(f"/articles/{stack.slug}").text.split("<textarea")[0]
    )
