"""The site's Atom feeds: valid (RFC 4287), threaded (RFC 4685), only what readers may see."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app.models import CommentStatus, utcnow
from tests.atom_check import A, T, check_feed, parse

BASE = "http://localhost"


@pytest.fixture
def site(make):  # noqa: ANN001, ANN201
    """Two topics, articles in every state, comments in every state."""
    member, other = make.user("Mitglied"), make.user("Andere")
    old = make.article("Alt", topics=["Geldanlage"], published_at=utcnow() - timedelta(days=9))
    new = make.article(
        "Neu & <frisch>", topics=["Geldanlage", "Banken"], published_at=utcnow() - timedelta(days=1)
    )
    draft = make.article("Entwurf", topics=["Geldanlage"], published_at=None)
    gone = make.article("Gelöscht", topics=["Geldanlage"], deleted_at=utcnow())
    top = make.comment(new, member, "Erster Kommentar")
    reply = make.comment(new, other, "Eine Antwort mit <b>Tags</b>", parent=top)
    held = make.comment(new, other, "Wartet", status=CommentStatus.PENDING)
    hidden = make.comment(old, other, "Verborgen", status=CommentStatus.HIDDEN)
    under_draft = make.comment(draft, member, "Unter dem Entwurf")
    under_gone = make.comment(gone, member, "Unter dem Gelöschten")
    return {
        "old": old, "new": new, "draft": draft, "gone": gone, "top": top, "reply": reply,
        "hidden_ids": {held.id, hidden.id, under_draft.id, under_gone.id},
    }  # fmt: skip


FEEDS = [
    "/feed.atom",
    "/comments.atom",
    "/topics/geldanlage/feed.atom",
    "/topics/banken/feed.atom",
    "/articles/neu-frisch/comments.atom",
    "/articles/alt/comments.atom",
]


@pytest.mark.parametrize("path", FEEDS)
def test_every_feed_is_valid_atom(client, site, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    assert check_feed(response.data, BASE) == []


@pytest.mark.parametrize("path", ["/feed.atom", "/comments.atom", "/topics/leer/feed.atom"])
def test_feeds_of_an_empty_site_are_valid_too(client, make, path):
    make.article("Entwurf", topics=["Leer"], published_at=None)
    response = client.get(path)
    assert response.status_code == 200 and check_feed(response.data, BASE) == []


def test_the_checker_finds_broken_feeds():
    broken = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>'
        b"<updated>yesterday</updated><entry><title>e</title></entry></feed>"
    )
    problems = check_feed(broken, BASE)
    assert any("atom:id" in p for p in problems) and any("RFC 3339" in p for p in problems)
    assert any("rel=self" in p for p in problems) and any("author" in p for p in problems)


def _entries(client, path: str) -> list:  # noqa: ANN001
    return parse(client.get(path).data).findall(A + "entry")


def test_article_entries_carry_their_comment_count_and_feed(client, site):
    entries = {e.findtext(A + "title"): e for e in _entries(client, "/feed.atom")}
    assert set(entries) == {"Alt", "Neu & <frisch>"}
    fresh = entries["Neu & <frisch>"]
    assert fresh.findtext(T + "total") == "2"  # the held comment does not count
    replies = {link.get("type"): link for link in fresh.findall(A + "link[@rel='replies']")}
    assert (
        replies["application/atom+xml"].get("href") == f"{BASE}/articles/neu-frisch/comments.atom"
    )
    assert replies["application/atom+xml"].get(T + "count") == "2"
    assert replies["text/html"].get("href") == f"{BASE}/articles/neu-frisch#comments"
    assert entries["Alt"].findtext(T + "total") == "0"


def test_a_topic_feed_holds_the_topics_public_articles(client, site):
    titles = [e.findtext(A + "title") for e in _entries(client, "/topics/geldanlage/feed.atom")]
    assert titles == ["Neu & <frisch>", "Alt"]
    root = parse(client.get("/topics/banken/feed.atom").data)
    assert [e.findtext(A + "title") for e in root.findall(A + "entry")] == ["Neu & <frisch>"]
    self_link = root.find(A + "link[@rel='self']").get("href")
    assert self_link == f"{BASE}/topics/banken/feed.atom"
    assert client.get("/topics/keins/feed.atom").status_code == 404


def test_the_site_comment_feed_holds_only_visible_comments_of_public_articles(client, site):
    entries = _entries(client, "/comments.atom")
    ids = [e.findtext(A + "id") for e in entries]
    assert ids == [
        f"{BASE}/comments/{site['reply'].id}",
        f"{BASE}/comments/{site['top'].id}",
    ]
    for hidden in site["hidden_ids"]:
        assert f"{BASE}/comments/{hidden}" not in ids
    reply, top = entries
    assert reply.find(T + "in-reply-to").get("ref") == f"{BASE}/comments/{site['top'].id}"
    assert top.find(T + "in-reply-to").get("ref") == f"{BASE}/articles/neu-frisch"
    assert "Andere" in reply.findtext(A + "title") and "Neu & <frisch>" in reply.findtext(
        A + "title"
    )
    assert "&lt;b&gt;" in reply.findtext(A + "content")  # typed tags stay text


def test_every_page_advertises_its_feeds(client, site):
    site_feeds = ['href="/feed.atom"', 'href="/comments.atom"']
    pages = {
        "/": [],
        "/topics": [],
        "/topics/geldanlage": ['href="/topics/geldanlage/feed.atom"'],
        "/articles/neu-frisch": ['href="/articles/neu-frisch/comments.atom"'],
        "/search?q=neu": [],
    }
    for path, own in pages.items():
        head = client.get(path).get_data(as_text=True).split("</head>")[0]
        links = re.findall(r'<link rel="alternate" type="application/atom\+xml" [^>]+>', head)
        for feed in site_feeds + own:
            assert any(feed in link for link in links), (path, feed)
