"""Input no route can handle is refused before any view runs, alike on SQLite and PostgreSQL.

Numbers beyond what a database integer holds are "not found"; NUL characters anywhere in the
path, the query or a form are a bad request; a body larger than the largest form is refused
before it is read.
"""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Article, Comment, User, UserRole
from app.services.publishing import BODY_MAX
from app.whole_numbers import DB_INT_MAX, parse_id
from tests.comment_helpers import post_comment
from tests.support import csrf_token, login_as

HUGE = "9223372036854775808"


@pytest.mark.parametrize(
    "path",
    [
        "/comments/2147483648",
        f"/comments/{HUGE}",
        "/comments/2147483648/edit",
        "/comments/2147483648/flag",
        f"/moderation/comments/{HUGE}",
        f"/moderation/members/{HUGE}",
        f"/admin/users/{HUGE}",
        f"/admin/articles/{HUGE}/edit",
        f"/admin/pages/{HUGE}/edit",
        f"/?page={HUGE}",
        "/?page=2147483648",
        f"/?page={'9' * 5000}",
        f"/admin/articles?page={HUGE}",
        f"/admin/users?page={HUGE}",
        f"/moderation/?page={HUGE}",
        f"/moderation/log?page={HUGE}",
        f"/account/comments?page={HUGE}",
    ],
)
def test_numbers_beyond_the_database_range_are_not_found(client, make, path):
    login_as(client, make.user("chefin", role=UserRole.ADMIN))
    assert client.get(path).status_code == 404


def test_numbers_beyond_the_range_in_ids_and_filters_are_ignored(client, make):
    login_as(client, make.user("chefin", role=UserRole.ADMIN))
    article = make.article()
    for query in (f"moderator={HUGE}", f"comment={HUGE}", "member=²", f"article={'9' * 5000}"):
        assert client.get(f"/moderation/log?{query}").status_code == 200
    assert client.get(f"/articles/{article.slug}?reply_to={HUGE}").status_code == 200


def test_parse_id_accepts_only_plain_digits_in_range():
    assert parse_id("17") == 17 and parse_id(" 17 ") == 17
    assert parse_id(str(DB_INT_MAX)) == DB_INT_MAX
    for raw in (None, "", "0", "-1", "²", "١٢", str(DB_INT_MAX + 1), "9" * 5000, "1e3", "0x10"):
        assert parse_id(raw) is None


def test_the_last_id_in_range_is_looked_up(client, make):
    article = make.article()
    comment = make.comment(article, make.user())
    assert client.get(f"/comments/{comment.id}").status_code == 302
    assert client.get(f"/comments/{DB_INT_MAX}").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/articles/%00",
        "/articles/a%00b",
        "/topics/%00",
        "/pages/x%00",
        "/?page=%00",
        "/?q=a%00",
        "/?a%00=1",
        "/confirm/%00",
        "/reset/x%00y",
    ],
)
def test_nul_in_path_or_query_is_a_bad_request(client, path):
    assert client.get(path).status_code == 400


def test_nul_in_any_form_field_is_refused_and_changes_nothing(app, client, make):
    login_as(client, make.user("anna"))
    article = make.article()
    for fields in ({"body": "Hallo\x00Welt"}, {"parent_id": "\x00"}, {"bo\x00dy": "x"}):
        response = post_comment(client, article, fields.pop("body", "Text"), **fields)
        assert response.status_code == 400
    anonymous = app.test_client()
    page = anonymous.get("/register")
    response = anonymous.post(
        "/register",
        data={
            "csrf_token": csrf_token(page.data),
            "username": "berta\x00",
            "email": "berta@example.org",
            "password": "ein langes Passwort",
            "password_confirm": "ein langes Passwort",
        },
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(Comment.id))) == 0
        assert db.session.scalar(select(func.count(User.id))) == 1


class CountingStream(io.RawIOBase):
    """A request body of *size* bytes that records how much of it was read."""

    def __init__(self, size: int) -> None:
        self.size, self.position, self.read_bytes = size, 0, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:  # the test client measures the body by seeking to its end
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        self.position = {0: offset, 1: self.position + offset, 2: self.size + offset}[whence]
        return self.position

    def tell(self) -> int:
        return self.position

    def readinto(self, buffer) -> int:  # noqa: ANN001
        count = max(min(len(buffer), self.size - self.position), 0)
        buffer[:count] = b"a" * count
        self.position += count
        self.read_bytes += count
        return count


@pytest.mark.parametrize("path", ["/login", "/register", "/articles/x/comments", "/"])
def test_a_100_mb_body_is_refused_with_413_before_it_is_read(client, path):
    body = CountingStream(100 * 1024 * 1024)
    response = client.post(
        path,
        input_stream=body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert body.read_bytes == 0


def test_the_largest_legitimate_article_fits(app, client, make):
    """The editor's body at its longest, in characters that take the most bytes to send."""
    admin = make.user("chefin", role=UserRole.ADMIN)
    login_as(client, admin)
    page = client.get("/admin/articles/new")
    body = "😀" * (BODY_MAX - 1) + "\n"
    response = client.post(
        "/admin/articles/new",
        data={
            "csrf_token": csrf_token(page.data),
            "title": "Der längste Artikel",
            "author_name": "Redaktion",
            "summary": "ä" * 1999,
            "body": body,
            "action": "draft",
        },
    )
    assert response.status_code == 302, response.status_code
    with app.app_context():
        stored = db.session.scalar(select(Article).where(Article.title == "Der längste Artikel"))
        assert stored is not None and len(stored.body) == BODY_MAX


def test_the_limit_is_a_setting(database_url, tmp_path):
    from tests.accounts_support import app_with

    with app_with(database_url, tmp_path, MAX_CONTENT_LENGTH=1000) as app:
        client = app.test_client()
        response = client.post("/login", data={"username": "x" * 2000, "password": "y"})
        assert response.status_code == 413
        assert app.config["MAX_FORM_MEMORY_SIZE"] == 1000
