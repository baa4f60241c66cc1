"""A 5,000-comment thread: its first page loads the comments it shows, not all of them.

Pages are counted in top-level threads, so the first page of a long discussion shows a
few hundred comments. Counted from outside: the rows each statement of the request returned
(PostgreSQL reports them for a SELECT), and among them the rows of whole comments (those
with their text) against the comments the page shows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from app.extensions import db
from app.models import utcnow
from bench import prepare
from tests.accounts_support import login
from tests.conftest import make_app

pytestmark = pytest.mark.postgres

SPEC = prepare.Spec(
    articles=40, small_thread=200, big_thread=5_000, pending=10, comments=5_400, members=60,
    flagged=4,
)  # fmt: skip


@contextmanager
def rows_read(app) -> Iterator[list[tuple[int, str]]]:  # noqa: ANN001
    """(rows returned, statement) of every statement sent meanwhile."""
    seen: list[tuple[int, str]] = []

    def after(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001, ANN202
        seen.append((max(cursor.rowcount, 0), statement))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield seen
    finally:
        event.remove(engine, "after_cursor_execute", after)


@pytest.fixture
def big_site(postgres_app, tmp_path):
    """The site, served by an app with its page cache on whatever --page-cache says: the
    thread is loaded by pages as production loads it."""
    with postgres_app.app_context():
        manifest = prepare.fill(db.session, SPEC, utcnow())
        db.session.commit()
        url = db.engine.url.render_as_string(hide_password=False)
    application = make_app(url, tmp_path / "kept", PAGE_CACHE=True)
    yield application, manifest
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def _whole_comment_rows(seen: list[tuple[int, str]]) -> int:
    return sum(rows for rows, statement in seen if "comments.body_html" in statement)


def test_the_first_page_of_a_huge_thread_loads_only_what_it_shows(big_site):
    app, manifest = big_site
    client = app.test_client()
    with rows_read(app) as seen:
        answer = client.get(f"/articles/{manifest.big_slug}")
    assert answer.status_code == 200
    shown = len(set(re.findall(rb'<article id="comment-(\d+)"', answer.data)))
    assert 0 < shown < 1_000
    assert _whole_comment_rows(seen) <= shown + 50, (_whole_comment_rows(seen), shown)


def test_a_moderators_page_of_a_huge_thread_loads_only_what_it_shows(big_site):
    """Moderators see every comment, waiting and hidden ones too, so their page is never
    kept; it is built from the light rows, and whole comments are loaded for its page."""
    app, manifest = big_site
    client = app.test_client()
    assert login(client, "bench-moderator", prepare.PASSWORD).status_code == 302
    for page in ("", "?page=2"):
        with rows_read(app) as seen:
            answer = client.get(f"/articles/{manifest.big_slug}{page}")
        assert answer.status_code == 200
        assert b"bench-moderator" in answer.data  # seen as the moderator
        shown = len(set(re.findall(rb'<article id="comment-(\d+)"', answer.data)))
        assert 0 < shown < 1_000
        assert _whole_comment_rows(seen) <= shown + 50, (page, _whole_comment_rows(seen), shown)


def test_the_first_page_of_a_huge_thread_is_paged_by_top_level_threads(big_site):
    app, manifest = big_site
    answer = app.test_client().get(f"/articles/{manifest.big_slug}")
    html = answer.data.decode()
    shown = set(re.findall(r'<article id="comment-(\d+)"', html))
    assert 200 < len(shown) < 1_000  # 50 top-level threads with their replies
    assert "page=2" in html  # and links on to the next pages
    with app.app_context():
        from sqlalchemy import func, select

        from app.models import Article, Comment

        article = db.session.scalar(select(Article).where(Article.slug == manifest.big_slug))
        total = db.session.scalar(
            select(func.count(Comment.id)).where(Comment.article_id == article.id)
        )
    assert total > 5_000
