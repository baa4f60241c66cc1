"""Error pages: drawn after a rollback, and on their own (503) while the database is away."""

from __future__ import annotations

import contextlib
import html

import pytest
from flask import abort
from sqlalchemy import text

from app.extensions import db
from tests.accounts_support import app_with
from tests.support import PASSWORD

# Databases that cannot be reached: a file in a folder that does not exist, a closed port.
UNREACHABLE = {
    "sqlite": "sqlite:////nonexistent-folder/diskurs.sqlite3",
    "postgresql": "postgresql+psycopg://postgres@127.0.0.1:9/diskurs?connect_timeout=2",
}


def test_an_error_page_after_a_failed_statement_is_drawn_in_a_fresh_transaction(
    database_url, tmp_path, make
):
    """PostgreSQL refuses every statement after a failed one until the rollback."""
    make.user("anna")
    with app_with(database_url, tmp_path) as app:

        def broken() -> None:
            # A view that swallowed a failure, then gave up.
            with contextlib.suppress(Exception):
                db.session.execute(text("SELECT * FROM no_such_table"))
            abort(404)

        app.add_url_rule("/broken", view_func=broken)
        response = app.test_client().get("/broken")
        assert response.status_code == 404
        assert 'class="site-footer' in response.text or "<footer" in response.text


@pytest.mark.parametrize("kind", sorted(UNREACHABLE))
@pytest.mark.parametrize("cache_mb", [0, 32])
def test_without_a_database_every_page_is_a_self_contained_503(tmp_path, kind, cache_mb):
    with app_with(UNREACHABLE[kind], tmp_path, PAGE_CACHE=bool(cache_mb)) as app:
        client = app.test_client()
        for path in ("/", "/articles/ein-artikel", "/comments/1", "/nothing-here", "/healthz"):
            response = client.get(path, headers={"Accept-Language": "en"})
            assert response.status_code == 503, path
            if path == "/healthz":
                continue
            assert response.headers["Retry-After"].isdigit()
            assert "briefly unavailable" in response.text
            assert "<footer" not in response.text  # the footer's pages live in the database
        german = client.get("/", headers={"Accept-Language": "de"})
        assert "kurz nicht erreichbar" in german.text


@pytest.mark.parametrize("kind", sorted(UNREACHABLE))
def test_a_logged_in_member_gets_the_503_too(tmp_path, kind):
    with app_with(UNREACHABLE[kind], tmp_path) as app:
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = "1:1"
            session["_fresh"] = True
        for path in ("/account", "/moderation/", "/articles/ein-artikel"):
            response = client.get(path)
            assert response.status_code == 503, path
            assert response.headers["Retry-After"].isdigit()
        response = client.post("/logout")
        assert response.status_code in (400, 503)


@pytest.mark.parametrize("kind", sorted(UNREACHABLE))
def test_a_comment_sent_while_the_database_is_away_comes_back_in_a_form(tmp_path, kind):
    typed = "Mein Beitrag <b>mit</b> allem,\nwas ich & du geschrieben haben."
    with app_with(UNREACHABLE[kind], tmp_path) as app:
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = "1:1"
        response = client.post(
            "/articles/ein-artikel/comments?page=2",
            data={"body": typed, "parent_id": "7", "submission": "abc123", "csrf_token": "x"},
            headers={"Accept-Language": "de"},
        )
        assert response.status_code == 503
        page = response.text
        assert 'action="/articles/ein-artikel/comments?page=2"' in page
        textarea = page.split('name="body"', 1)[1].split(">", 1)[1].split("</textarea>")[0]
        assert html.unescape(textarea).strip("\n") == typed
        assert 'name="parent_id" value="7"' in page
        assert 'name="submission" value="abc123"' in page
        assert 'name="csrf_token"' in page
        assert "Nichts, was Sie geschrieben haben, ist verloren" in page
        edited = client.post("/comments/3/edit", data={"body": "Geändert", "csrf_token": "x"})
        assert edited.status_code == 503 and "Geändert" in edited.text


def test_a_failure_that_is_no_outage_stays_an_error(database_url, tmp_path, make):
    """Only an unreachable database is a 503; a broken query is a fault (raised in tests)."""
    make.user("anna", password=PASSWORD)
    with app_with(database_url, tmp_path) as app:

        def faulty() -> str:
            db.session.execute(text("SELECT * FROM no_such_table"))
            return "never"

        app.add_url_rule("/faulty", view_func=faulty)
        with pytest.raises(Exception) as raised:
            app.test_client().get("/faulty")
        assert "no_such_table" in str(raised.value)


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_503_page_with_a_kept_comment_is_valid_html(tmp_path, language):
    from tests.html_checker import check_documents, require_checker

    require_checker()
    with app_with(UNREACHABLE["sqlite"], tmp_path) as app:
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = "1:1"
        response = client.post(
            "/articles/ein-artikel/comments",
            data={"body": "Text & <mehr>", "parent_id": "7", "submission": "a" * 22},
            headers={"Accept-Language": language},
        )
        plain = client.get("/", headers={"Accept-Language": language})
    assert response.status_code == plain.status_code == 503
    problems = check_documents({"kept": response.data, "plain": plain.data})
    assert problems == {"kept": [], "plain": []}
