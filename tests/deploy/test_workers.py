"""Notification workers on both machines: each notice still goes out once."""

from __future__ import annotations

import time

import pytest

from tests.deploy.web import comment_id

pytestmark = [pytest.mark.deploy, pytest.mark.postgres, pytest.mark.redis]


def test_a_notification_is_sent_once_although_two_workers_run(stack):
    parent = stack.users["gustav-comment"]
    replier = stack.member("ben")
    answer = replier.post_comment(stack.slug, "Eine Antwort, die Gustav hören soll.", parent.id)
    assert comment_id(answer), answer.status

    workers = stack.start_workers(2)
    try:
        message = stack.mailbox.wait_for("gustav@example.org", timeout=30)
        assert "ben" in message["Subject"]
        time.sleep(4)  # several more rounds of both workers
        assert all(worker.running for worker in workers)
        assert len(stack.mailbox.to("gustav@example.org")) == 1
    finally:
        stack.stop_workers()
    # Both workers ran (each logged its start) and both stopped on SIGTERM.
    assert all("started" in worker.output() for worker in workers)
    assert all(worker.popen.returncode == 0 for worker in workers)
