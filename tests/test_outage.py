"""While the database is down nothing typed is lost, and afterwards the site recovers alone.

A PostgreSQL server of the test's own is stopped under the running application and started
again; the application is not restarted in between.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.extensions import db
from app.models import Comment, utcnow
from tests.comment_helpers import page_url
from tests.conftest import make_app, migrate_to_head
from tests.support import Factory, csrf_token, login_as
from tests.throwaway_postgres import ThrowawayPostgres

pytestmark = pytest.mark.postgres

TYPED = "Ein langer Gedanke,\nüber <b>Zinsen</b> & Inflation, mühsam getippt."


@pytest.fixture
def server() -> Iterator[ThrowawayPostgres]:
    postgres = ThrowawayPostgres()
    try:
        postgres.start()
        yield postgres
    finally:
        postgres.remove()


@pytest.fixture
def outage_app(server: ThrowawayPostgres, tmp_path: Path) -> Iterator[Flask]:
    application = make_app(server.create_database("diskurs"), tmp_path)
    migrate_to_head(application)
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def hidden_fields(page: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))


def comments(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Comment.id)))


def test_a_comment_sent_during_an_outage_is_kept_and_the_site_recovers(server, outage_app):
    make = Factory(outage_app)
    article = make.article("Während des Ausfalls")
    member = make.user("anna")
    yesterday = utcnow() - timedelta(days=1)  # long enough ago for the flood rules
    make.comment(make.article("Früher"), member, "Schon einmal geschrieben.", created_at=yesterday)
    client = outage_app.test_client()
    login_as(client, member)
    page = client.get(page_url(article))
    fields = hidden_fields(page.text)
    fields["csrf_token"] = csrf_token(page.data)
    assert client.get("/healthz").status_code == 200
    before = comments(outage_app)

    server.stop()
    sent = client.post(f"/articles/{article.slug}/comments", data=dict(fields, body=TYPED))
    assert sent.status_code == 503
    assert sent.headers["Retry-After"].isdigit()
    assert "kurz nicht erreichbar" in sent.text
    kept = re.search(r'<textarea[^>]*name="body"[^>]*>\n?(.*?)</textarea>', sent.text, re.S)
    assert kept and html.unescape(kept.group(1)) == TYPED
    again = hidden_fields(sent.text)
    assert again["submission"] == fields["submission"]
    for path in ("/", page_url(article), "/account", "/healthz"):
        assert client.get(path).status_code == 503, path

    server.start()
    assert client.get("/healthz").status_code == 200
    # The kept form, sent again as the person would: stored once.
    resent = client.post(
        f"/articles/{article.slug}/comments", data=dict(again, body=html.unescape(kept.group(1)))
    )
    assert resent.status_code == 302
    assert (
        client.post(f"/articles/{article.slug}/comments", data=dict(again, body=TYPED)).status_code
        == 302
    )
    assert comments(outage_app) == before + 1
    assert TYPED.split("\n")[0] in html.unescape(client.get(resent.headers["Location"]).text)
    assert client.get("/account").status_code == 200
