"""Imported articles and pages stay HTML when an admin edits them, and show it."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.extensions import db
from app.models import Article, BodyFormat, Page, UserRole, utcnow
from app.services.wordpress import import_wxr
from tests.admin_support import editor_post, page_post
from tests.support import login_as
from tests.wxr_support import P, wxr

ENGLISH = {"Accept-Language": "en"}
BODY = 'Erster <strong>Absatz</strong>.\n\nZweiter mit <a href="https://example.org">Link</a>.'


def _import(app) -> tuple[int, int]:
    data = wxr(
        P(1, slug="zinsen", title="Zinsen", content=BODY),
        P(2, slug="impressum", title="Impressum", content=BODY, post_type="page"),
    )
    with app.app_context():
        import_wxr(db.session, io.BytesIO(data), now=utcnow(), zone=ZoneInfo("UTC"))
        article = db.session.scalar(select(Article).where(Article.wp_id == 1))
        page = db.session.scalar(select(Page).where(Page.wp_id == 2))
        assert article.body_format is BodyFormat.HTML and page.body_format is BodyFormat.HTML
        return article.id, page.id


def test_editing_an_imported_article_keeps_its_html(app, client, make):
    article_id, _ = _import(app)
    login_as(client, make.user(role=UserRole.ADMIN))
    url = f"/admin/articles/{article_id}/edit"
    form = client.get(url, headers=ENGLISH).get_data(as_text=True)
    assert "HTML, as it came from WordPress" in form
    preview = editor_post(
        client, url, action="preview", title="Zinsen", body=BODY + "\n\nDritter."
    ).get_data(as_text=True)
    assert "<strong>Absatz</strong>" in preview
    answer = editor_post(
        client, url, action="save", title="Zinsen", slug="zinsen", body=BODY + "\n\nDritter."
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)[:500]
    with app.app_context():
        article = db.session.get(Article, article_id)
        assert article.body_format is BodyFormat.HTML
        assert "<p>Erster <strong>Absatz</strong>.</p>" in article.body_html
        assert "<p>Dritter.</p>" in article.body_html
        assert "&lt;strong&gt;" not in article.body_html


def test_editing_an_imported_page_keeps_its_html(app, client, make):
    _, page_id = _import(app)
    login_as(client, make.user(role=UserRole.ADMIN))
    url = f"/admin/pages/{page_id}/edit"
    assert "HTML, as it came from WordPress" in client.get(url, headers=ENGLISH).get_data(
        as_text=True
    )
    answer = page_post(client, url, title="Impressum", slug="impressum", body=BODY)
    assert answer.status_code == 302
    with app.app_context():
        page = db.session.get(Page, page_id)
        assert "<strong>Absatz</strong>" in page.body_html


def test_articles_written_here_stay_markdown(app, client, make):
    login_as(client, make.user(role=UserRole.ADMIN))
    article = make.article("Hier geschrieben", body="Mit <strong>Tag</strong> und *Betonung*")
    assert article.body_format is BodyFormat.MARKDOWN
    assert "&lt;strong&gt;" in article.body_html and "<em>Betonung</em>" in article.body_html
    form = client.get(f"/admin/articles/{article.id}/edit", headers=ENGLISH).get_data(as_text=True)
    assert "HTML, as it came from WordPress" not in form
    assert "Markdown:" in form
