"""The article page costs the same number of queries with 1 or 60 comments, and what a reader
sees of the thread depends only on the discussion's version, the page and the language."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from unittest.mock import patch

import pytest
from sqlalchemy import event, update

from app.caching.nesting import CommentRenderer
from app.caching.store import store_of
from app.extensions import db
from app.models import Article, Comment, CommentStatus, User, UserRole
from app.services import transitions
from tests.comment_helpers import comments_of, get, page_url, post_comment, section
from tests.support import Factory, login_as


@contextmanager
def counted(app) -> Iterator[list[str]]:  # noqa: ANN001
    statements: list[str] = []

    def remember(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001, ANN202
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", remember)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", remember)


@contextmanager
def comments_rendered() -> Iterator[list[int]]:
    """The ids of the comments rendered meanwhile, in order."""
    rendered: list[int] = []
    original = CommentRenderer.__call__

    def spying(self, node, **overrides):  # noqa: ANN001, ANN202
        rendered.append(node.comment.id)
        return original(self, node, **overrides)

    with patch.object(CommentRenderer, "__call__", spying):
        yield rendered


def _fill(make, article, count: int) -> None:  # noqa: ANN001
    """*count* comments from several authors, a third of them replies, some not visible."""
    authors = [make.user() for _ in range(4)]
    made = []
    for number in range(count):
        parent = made[number // 2] if number % 3 == 2 and made else None
        status = CommentStatus.PENDING if number % 11 == 5 else CommentStatus.VISIBLE
        made.append(make.comment(article, authors[number % 4], f"Nr. {number}", parent=parent,
                                 status=status))  # fmt: skip


def _queries_for_page(app, client, article) -> int:  # noqa: ANN001
    client.get(page_url(article))  # warm up: the first request of a client loads more
    with counted(app) as statements:
        response = client.get(page_url(article))
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize("role", [None, UserRole.MEMBER, UserRole.MODERATOR])
def test_article_page_queries_do_not_grow_with_the_comments(app, make, role):
    small, large = make.article(), make.article()
    viewer = make.user(role=role) if role else None
    _fill(make, small, 1)
    _fill(make, large, 60)
    counts = []
    for article in (small, large):
        client = app.test_client()
        if viewer:
            login_as(client, viewer)
        counts.append(_queries_for_page(app, client, article))
    assert counts[0] == counts[1], counts


def test_the_comments_shown_load_in_two_queries_after_one_for_the_shape(cached):
    """On a miss: the thread's shape from one light query (no text), then whole comments
    with their authors: those the structured data names, and the rest the page shows."""
    app, make = cached, Factory(cached)  # what the page cache keeps
    article = make.article()
    _fill(make, article, 30)
    client = app.test_client()
    client.get(page_url(article))
    store_of(app).clear()  # rendered anew, not answered from the kept page
    with counted(app) as statements:
        client.get(page_url(article))
    loading = [s for s in statements if "FROM comments" in s]
    whole = [s for s in loading if "comments.body_html" in s]
    assert len(whole) == 2, loading
    assert all("JOIN users" in statement for statement in whole)
    shape = [s for s in loading if s not in whole]
    assert len(shape) == 1, loading
    assert "body" not in shape[0]


def test_the_readers_thread_depends_only_on_the_discussion_version(app, make):
    article = make.article()
    _fill(make, article, 12)
    first, second = app.test_client(), app.test_client()
    seen = section(first.get(page_url(article)).text)
    assert "csrf_token" not in seen  # nothing personal in a reader's thread
    assert section(second.get(page_url(article)).text) == seen
    version = get(app, Article, article.id).discussion_version
    make.comment(article, make.user(), "Neu")
    assert get(app, Article, article.id).discussion_version > version
    assert section(first.get(page_url(article)).text) != seen


def test_a_new_reply_renders_its_own_thread_again_and_no_other(cached):
    """Kept threads are keyed by their own shape: a reply changes one top-level thread."""
    app, make = cached, Factory(cached)  # what the page cache keeps
    article, author = make.article(), make.user()
    roots = [make.comment(article, author, f"Anfang {n}") for n in range(3)]
    for root in roots:
        make.comment(article, author, f"Antwort auf {root.id}", parent=root)
    reader = app.test_client()
    assert reader.get(page_url(article)).status_code == 200
    new = make.comment(article, make.user(), "Die neue Antwort", parent=roots[1])
    with comments_rendered() as rendered:
        page = reader.get(page_url(article))
    assert "Die neue Antwort" in page.text
    assert all(f"Anfang {n}" in page.text for n in range(3))
    # The other comments of its thread come kept, each on its own; the other threads whole.
    assert rendered == [new.id]


@pytest.mark.writes_in_a_row
def test_after_posting_only_the_new_comment_is_rendered_for_its_author(cached):
    """The page a member lands on after posting (it greets them, so it is put together for
    them) takes their other threads as kept for them, filled in with this request's token."""
    app, make = cached, Factory(cached)  # what the page cache keeps
    article, author = make.article(), make.user()
    for n in range(3):
        make.comment(article, author, f"Früher {n}")
    member = app.test_client()
    login_as(member, author)
    assert member.get(page_url(article)).status_code == 200  # their threads, kept for them
    with comments_rendered() as rendered:
        sent = post_comment(member, article, "Ganz neu")
        landed = member.get(sent.headers["Location"]).text
    new = comments_of(app, article)[-1]
    assert new.body == "Ganz neu" and rendered == [new.id]
    assert "Ganz neu" in landed and all(f"Früher {n}" in landed for n in range(3))
    # Every form of the page, the kept ones' included, carries this session's token.
    tokens = re.findall(r'name="csrf_token" value="([^"]*)"', landed)
    assert len(tokens) >= 5 and len(set(tokens)) == 1, tokens


def test_a_renamed_commenter_is_shown_renamed_in_every_kept_thread(cached):
    app, make = cached, Factory(cached)  # what the page cache keeps
    article, author = make.article(), make.user("vorher")
    for n in range(2):
        make.comment(article, author, f"Gedanke {n}")
    reader = app.test_client()
    assert "vorher" in reader.get(page_url(article)).text
    with app.app_context():
        db.session.get(User, author.id).username = "nachher"
        db.session.commit()
    page = reader.get(page_url(article)).text
    assert "nachher" in page and "vorher" not in page


def test_comments_moved_to_another_author_in_bulk_show_the_new_name(cached):
    """Claiming moves comments with one UPDATE, which no flush sees: kept threads and kept
    comments must still show the new author, to readers and to members alike."""
    app, make = cached, Factory(cached)
    article, guest, owner = make.article(), make.user("gastname"), make.user("kontoname")
    first = make.comment(article, guest, "Eine Frage")
    make.comment(article, make.user("andere"), "Eine Antwort", parent=first)
    member = app.test_client()
    login_as(member, make.user("leserin"))
    reader = app.test_client()
    for client in (reader, member):
        assert "gastname" in client.get(page_url(article)).text
    with app.app_context():
        db.session.execute(
            update(Comment).where(Comment.author_id == guest.id).values(author_id=owner.id)
        )
        transitions.discussion_changed(db.session, article.id)
        db.session.commit()
    for client in (reader, member):
        shown = section(client.get(page_url(article)).text)
        assert "kontoname" in shown and "gastname" not in shown


def test_search_engines_data_is_kept_until_the_first_page_changes(database_url, tmp_path):
    """The structured data names the first page's comments: a comment further down leaves
    them kept, one on the first page renews them."""
    from app.articles import structured_data
    from tests.conftest import make_app
    from tests.head_parsing import read_head

    app = make_app(database_url, tmp_path, PAGE_CACHE=True, COMMENTS_PER_PAGE=2)
    make = Factory(app)
    article, author = make.article(), make.user()
    roots = [make.comment(article, author, f"Anfang {n}") for n in range(3)]
    reader = app.test_client()

    def structured() -> dict:
        (data,) = read_head(reader.get(page_url(article)).text).structured()
        return data

    assert [c["text"] for c in structured()["comment"]] == ["Anfang 0", "Anfang 1"]
    built: list[int] = []
    original = structured_data._comment_data

    def spying(comment):  # noqa: ANN001, ANN202
        built.append(comment.id)
        return original(comment)

    with patch.object(structured_data, "_comment_data", spying):
        make.comment(article, author, "Weiter unten")  # a fourth thread: on the second page
        data = structured()
        assert data["commentCount"] == 4 and built == []
        make.comment(article, author, "Die Antwort", parent=roots[0])
        data = structured()
    assert [c["text"] for c in data["comment"]] == ["Anfang 0", "Die Antwort"]
    assert data["commentCount"] == 5 and built
    with app.app_context():
        db.engine.dispose()
