"""A member's article page from kept parts (app/caching/shell.py): what a request still asks
the database, what is filled in for each request, and what is never kept.

Complements tests/test_member_cache.py, which checks that nobody gets another person's page.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

import pytest
from flask import Flask

from app.caching import holes, shell
from app.caching.store import store_of
from app.extensions import db
from app.models import CommentStatus, NoticeKind, utcnow
from app.services.notifications import outbox
from tests.cache_support import ENGLISH, logged_in, statements
from tests.conftest import make_app
from tests.support import Factory, csrf_token


@pytest.fixture
def site(cached: Flask) -> dict:
    make = Factory(cached)
    article = make.article("Die Diskussion", published_at=utcnow() - timedelta(days=1))
    other, guest, author = make.user("leserin"), make.user("gast"), make.user("autorin")
    first = make.comment(article, other, "Ein Gedanke für alle.")
    make.comment(
        article, author, "Ihre Antwort, noch zu prüfen.", status=CommentStatus.PENDING, parent=first
    )
    make.comment(article, other, "Ein zweiter Strang.")
    path = f"/articles/{article.slug}"
    return {
        "make": make,
        "article": article,
        "path": path,
        "other": other,
        "guest": guest,
        "author": author,
    }


def _submission(page: str) -> str:
    match = re.search(r'name="submission" value="([^"]*)"', page)
    assert match
    return match.group(1)


def _marks_left(page: str) -> list[str]:
    return re.findall(r"<!--personal-|<!--pieces-|hole[0-9a-f]{24}", page)


def _third_visit(cached: Flask, username: str, path: str) -> tuple[str, list[str]]:
    """The page a member gets from kept parts (after it was rendered and kept), and the
    statements it asked."""
    member = logged_in(cached, username)
    for _ in range(2):
        member.get(path, headers=ENGLISH)
    with statements(cached) as seen:
        page = member.get(path, headers=ENGLISH).text
    return page, [s for s in seen if s.lstrip().upper().startswith("SELECT")]


def test_a_kept_member_page_asks_two_statements_and_never_loads_the_article(cached, site):
    page, selects = _third_visit(cached, "gast", site["path"])
    # The account; the versions with the member's standing (app/caching/versions.py).
    assert len(selects) == 2, selects
    assert not any("articles.body_html" in s for s in selects)
    assert "Ein Gedanke für alle." in page and not _marks_left(page)


def test_each_request_fills_in_the_sessions_token_and_a_new_submission_key(cached, site):
    alice = logged_in(cached, "gast")
    pages = [alice.get(site["path"], headers=ENGLISH).text for _ in range(3)]
    keys = {_submission(page) for page in pages}
    assert len(keys) == 3 and all(len(key) >= 20 for key in keys)
    assert 'class="site-nav__user" href="/account">gast<' in pages[-1]
    posted = alice.post(
        f"{site['path']}/comments",
        data={
            "csrf_token": csrf_token(pages[-1]),
            "body": "Vom Teil.",
            "submission": _submission(pages[-1]),
        },
    )
    assert posted.status_code == 302


def test_following_and_new_notices_show_at_once_on_a_kept_page(cached, site):
    alice = logged_in(cached, "gast")
    page = alice.get(site["path"], headers=ENGLISH).text
    page = alice.get(site["path"], headers=ENGLISH).text
    assert "Follow this discussion" in page and 'class="badge"' not in page
    followed = alice.post(
        f"{site['path']}/follow", data={"csrf_token": csrf_token(page), "follow": "1"}
    )
    assert followed.status_code == 302
    alice.get(site["path"], headers=ENGLISH)  # shows the flashed confirmation
    page = alice.get(site["path"], headers=ENGLISH).text
    assert "You follow this discussion." in page
    make, article, guest = site["make"], site["article"], site["guest"]
    answer = make.comment(article, site["other"], "Antwort.")
    with cached.app_context():
        outbox.write_notices(
            db.session,
            outbox.one(guest.id),
            NoticeKind.REPLY,
            dedupe_key=f"reply:{answer.id}",
            now=utcnow(),
            comment_id=answer.id,
            article_id=article.id,
        )
        db.session.commit()
    assert (
        '<span class="badge" aria-hidden="true">1</span>'
        in alice.get(site["path"], headers=ENGLISH).text
    )


@pytest.mark.parametrize("username", ["gast", "autorin"])
def test_parts_kept_by_another_process_are_filled_in_here(cached, site, monkeypatch, username):
    """Parts in a shared store were rendered by workers with other marks: they hold names."""
    member = logged_in(cached, username)
    member.get(site["path"], headers=ENGLISH)
    expected = member.get(site["path"], headers=ENGLISH).text
    nonce = secrets.token_hex(12)
    for name in shell.SLOTS:
        monkeypatch.setitem(shell._SLOT_MARKS, name, f"<!--personal-{nonce}-{name}-->")
    for name in holes.VALUES:
        monkeypatch.setitem(holes.VALUE_MARKS, name, f"hole{nonce}{name}")
    monkeypatch.setitem(shell._PIECES_MARK, "pieces", f"<!--pieces-{nonce}-->")
    page = member.get(site["path"], headers=ENGLISH).text
    assert not _marks_left(page)
    assert page.replace(_submission(page), "") == expected.replace(_submission(expected), "")
    own = "Ihre Antwort, noch zu prüfen."
    assert (own in page) is (username == "autorin")


def test_a_part_that_shows_the_token_itself_is_never_kept(cached, site, monkeypatch):
    unmarked = shell._render_holes

    def leaking(name, values, now, token):  # noqa: ANN001, ANN202
        return unmarked(name, values, now, token="no token to replace")

    monkeypatch.setattr(shell, "_render_holes", leaking)
    alice = logged_in(cached, "gast")
    kept: list[tuple] = []
    store = store_of(cached)
    original = store.put

    def put(key, *args, **kwargs):  # noqa: ANN001, ANN202
        kept.append(key)
        return original(key, *args, **kwargs)

    monkeypatch.setattr(store, "put", put)
    for _ in range(3):
        page = alice.get(site["path"], headers=ENGLISH).text
        assert csrf_token(page) and not _marks_left(page)
    assert not any(key[0] in ("member-account", "member-write") for key in kept)
    assert any(key[0] == "member-shell" for key in kept)


def _own_section(page: str) -> str:
    start = page.index("Ihre Antwort, noch zu prüfen.")
    return page[page.rindex("<article", 0, start) : page.index("</article>", start)]


def test_an_authors_kept_page_asks_two_statements_and_keeps_their_controls(cached, site):
    page, selects = _third_visit(cached, "autorin", site["path"])
    # The account; the versions with the standing (their own comments and flags here are
    # kept with the discussion's version).
    assert len(selects) == 2, selects
    assert not any("articles.body_html" in s for s in selects)
    own = _own_section(page)
    assert "Edit" in own and csrf_token(own) == csrf_token(page)
    assert "Awaiting moderation" in own and not _marks_left(page)
    # Nobody else gets the thread kept for her.
    other = logged_in(cached, "gast")
    for _ in range(2):
        assert "Ihre Antwort, noch zu prüfen." not in other.get(site["path"]).text


def test_the_edit_link_goes_when_the_edit_window_closes(cached, site, monkeypatch):
    author = logged_in(cached, "autorin")
    for _ in range(2):
        assert "Edit" in _own_section(author.get(site["path"], headers=ENGLISH).text)
    later = utcnow() + timedelta(minutes=16)  # the window is 15 minutes
    monkeypatch.setattr("app.articles.routes.utcnow", lambda: later)
    for _ in range(2):
        own = _own_section(author.get(site["path"], headers=ENGLISH).text)
        assert "Edit" not in own and "Delete" in own


def _entries(app: Flask) -> set[str]:
    return set(store_of(app).cache.cache._cache)  # the worker's own store (SimpleCache)


@pytest.mark.parametrize("who", [None, "gast", "autorin"])
def test_addresses_of_ones_own_making_keep_nothing(cached, site, who):
    """Only the site's own spelling of an address is kept under: a client inventing query
    strings gets its pages, but cannot fill the store with copies of them."""
    client = logged_in(cached, who) if who else cached.test_client()
    for query in ("", "?page=1", "?first=1"):  # what is kept whatever the address
        client.get(site["path"] + query, headers=ENGLISH)
        client.get(site["path"] + query, headers=ENGLISH)
    before = _entries(cached)
    spellings = [f"?x={n}" for n in range(5)]
    spellings += ["?page=01", "?page=001", "?%70age=1", "?page=1&page=1", "?page=1&x=2"]
    for query in spellings:
        page = client.get(site["path"] + query, headers=ENGLISH)
        assert page.status_code == 200 and "Ein Gedanke für alle." in page.text
        assert page.headers["Cache-Control"] == "private, no-store"
    assert _entries(cached) == before


def test_each_author_gets_the_pager_of_their_own_thread(cached, site, tmp_path):
    """An author's own waiting thread is a page only they have: a frame kept for one
    author never tells another how many pages there are."""
    paged = make_app(
        cached.config["DATABASE_URL"], tmp_path / "paged", PAGE_CACHE=True, COMMENTS_PER_PAGE=1
    )
    try:
        make = Factory(paged)
        article, other = site["article"], site["other"]
        second = make.user("zweite")
        make.comment(
            article,
            second,
            "Ihre sichtbare Antwort.",
            parent=make.comment(article, other, "Noch einer."),
        )
        make.comment(
            article, site["author"], "Ein eigener Strang, wartend.", status=CommentStatus.PENDING
        )
        pagers = {}
        for name in ("autorin", "zweite", "autorin", "zweite"):
            page = logged_in(paged, name).get(site["path"], headers=ENGLISH).text
            pagers.setdefault(name, set()).add(re.search(r"Page 1 of (\d+)", page).group(1))
        assert pagers["autorin"] == {"4"} and pagers["zweite"] == {"3"}
    finally:
        with paged.app_context():
            db.session.remove()
            db.engine.dispose()
