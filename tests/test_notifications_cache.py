"""The follow button and the unread count are personal: with the page cache on, each member
sees their own, whether the page comes from the kept shell (app/caching/shell.py) or is
rendered whole (the moderation queue, for each moderator)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask

from app.models import UserRole, utcnow
from tests.cache_support import ENGLISH, logged_in
from tests.comment_helpers import post_comment
from tests.support import Factory, csrf_token


@pytest.fixture
def site(cached: Flask) -> dict:
    make = Factory(cached)
    article = make.article("Die Diskussion")
    people = {name: make.user(name) for name in ("folgerin", "leser", "antworter")}
    people["aufsicht"] = make.user("aufsicht", role=UserRole.MODERATOR)
    yesterday = utcnow() - timedelta(days=1)  # long enough ago for the flood rules
    for person in people.values():
        earlier = make.article(f"Vorher {person.username}")
        make.comment(earlier, person, "Früher geschrieben.", created_at=yesterday)
    return {"make": make, "article": article, "path": f"/articles/{article.slug}", **people}


def _badge(page: str) -> int:
    match = re.search(r'class="site-nav__notices"[^>]*>[^<]*<span class="badge"[^>]*>(\d+)<', page)
    return int(match.group(1)) if match else 0


def _twice(client, path: str) -> str:  # noqa: ANN001
    assert client.get(path, headers=ENGLISH).status_code == 200
    return client.get(path, headers=ENGLISH).text


def _follow(client, site: dict, value: str = "1") -> None:  # noqa: ANN001
    page = client.get(site["path"], headers=ENGLISH).text
    response = client.post(
        f"{site['path']}/follow", data={"csrf_token": csrf_token(page), "follow": value}
    )
    assert response.status_code == 302


def test_each_member_sees_their_own_follow_state_and_count(cached, site):
    reader = logged_in(cached, "leser")
    plain = _twice(reader, site["path"])  # the shell and thread are kept now
    assert "Follow this discussion" in plain and _badge(plain) == 0
    follower = logged_in(cached, "folgerin")
    _follow(follower, site)
    own_comment = site["make"].comment(site["article"], site["folgerin"], "Ihr Beitrag.")
    answerer = logged_in(cached, "antworter")
    post_comment(answerer, site["article"], "Eine Antwort an sie.", own_comment.id)
    page = _twice(follower, site["path"])
    assert "Stop following" in page and "Follow this discussion" not in page
    assert _badge(page) == 1
    # The token in her follow form is her session's: it works.
    _follow(follower, site, "0")
    assert "Follow this discussion" in _twice(follower, site["path"])
    # Nobody else gets any of it, from kept pieces or pages.
    assert "Stop following" not in reader.get(site["path"], headers=ENGLISH).text
    again = reader.get(site["path"], headers=ENGLISH).text
    assert "Stop following" not in again and _badge(again) == 0
    assert "site-nav__notices" not in _twice(cached.test_client(), site["path"])


def test_a_member_who_follows_without_own_comments_gets_her_state_from_the_kept_page(cached, site):
    reader = logged_in(cached, "leser")
    _twice(reader, site["path"])
    follower = logged_in(cached, "folgerin")
    _follow(follower, site)
    page = _twice(follower, site["path"])
    assert "Stop following" in page
    assert "Stop following" not in reader.get(site["path"], headers=ENGLISH).text


def test_reading_the_notices_clears_the_badge_on_kept_pages(cached, site):
    own_comment = site["make"].comment(site["article"], site["leser"], "Mein Beitrag.")
    answerer = logged_in(cached, "antworter")
    answerer.get(site["path"], headers=ENGLISH)
    post_comment(answerer, site["article"], "Antwort.", own_comment.id)
    reader = logged_in(cached, "leser")
    assert _badge(_twice(reader, site["path"])) == 1
    reader.get("/notifications")
    assert _badge(reader.get(site["path"], headers=ENGLISH).text) == 0


def test_the_kept_moderation_queue_shows_the_current_count(cached, site):
    moderator = logged_in(cached, "aufsicht")
    own_comment = site["make"].comment(site["article"], site["aufsicht"], "Moderiert mit.")
    assert _badge(_twice(moderator, "/moderation/")) == 0
    answerer = logged_in(cached, "antworter")
    answerer.get(site["path"], headers=ENGLISH)
    post_comment(answerer, site["article"], "Antwort an die Moderatorin.", own_comment.id)
    assert _badge(_twice(moderator, "/moderation/")) == 1
    moderator.get("/notifications")
    assert _badge(_twice(moderator, "/moderation/")) == 0
