"""Marks in the thread: the article's author's comments for everyone, one's own comments for
oneself alone (with the page cache on, as in production), and an avatar for every author."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask

from app.avatars import avatar, initials, tone
from app.extensions import db
from app.models import Article, utcnow
from tests.cache_support import logged_in
from tests.support import Factory

OWN = "comment__badge--own"
AUTHOR = "comment__badge--author"


@pytest.fixture
def site(cached: Flask) -> dict:
    make = Factory(cached)
    author = make.user("clara")
    article = make.article("Ein Beitrag", published_at=utcnow() - timedelta(days=1))
    with cached.app_context():
        db.session.get(Article, article.id).author_id = author.id
        db.session.commit()
    writer, reader = make.user("schreiberin"), make.user("leserin")
    mine = make.comment(article, writer, "Mein Beitrag zur Diskussion.")
    answer = make.comment(article, author, "Die Autorin antwortet.", parent=mine)
    other = make.comment(article, reader, "Noch eine Meinung.")
    return {
        "path": f"/articles/{article.slug}",
        "mine": mine.id,
        "answer": answer.id,
        "other": other.id,
    }


def _comment(page: str, comment_id: int) -> str:
    found = re.search(rf'<article id="comment-{comment_id}".*?</article>', page, re.S)
    assert found, comment_id
    return found.group()


def _marked_as_own(page: str) -> list[int]:
    return [
        int(i) for i in re.findall(r'<article id="comment-(\d+)" class="[^"]*comment--own', page)
    ]


def test_ones_own_comments_are_marked_for_oneself_only(cached, site):
    viewers = {
        "schreiberin": ([site["mine"]], logged_in(cached, "schreiberin")),
        "leserin": ([site["other"]], logged_in(cached, "leserin")),
        "reader": ([], cached.test_client()),
    }
    for _ in range(2):  # the second round comes from the page cache
        for expected, client in viewers.values():
            page = client.get(site["path"]).get_data(as_text=True)
            assert _marked_as_own(page) == expected
            assert page.count(OWN) == len(expected)


def test_the_article_authors_comments_are_marked_for_everyone(cached, site):
    for viewer in (cached.test_client(), logged_in(cached, "leserin")):
        page = viewer.get(site["path"]).get_data(as_text=True)
        assert AUTHOR in _comment(page, site["answer"])
        assert AUTHOR not in _comment(page, site["mine"])
        assert AUTHOR not in _comment(page, site["other"])


def test_every_comment_has_its_authors_initials_avatar(cached, site):
    page = cached.test_client().get(site["path"]).get_data(as_text=True)
    block = _comment(page, site["answer"])
    assert str(avatar("clara")) in block
    assert 'aria-hidden="true"' in str(avatar("clara"))  # the name is written beside it


def test_initials_and_tones():
    assert initials("Clara Hoffmann") == "CH"
    assert initials("Mia") == "M"
    assert initials("ein_sehr_langer_name_3") == "EN"
    assert initials("123") == "?"
    assert tone("Mia") == tone("mia")  # one person, one colour, however the name is written
    assert len({tone(f"name{n}") for n in range(100)}) > 4
    drawn = str(avatar('<b>"x'))
    assert "<b>" not in drawn and "style=" not in drawn
    assert "avatar--tone-8" in str(avatar("gelöscht", deleted=True))
