"""Refused saves keep everything typed and say why; saved text never carries script."""

from __future__ import annotations

import json
import re
from urllib.parse import urlparse

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Article, UserRole
from tests.admin_support import check_structure, editor_post, inside, revision_in
from tests.support import csrf_token, login_as


@pytest.fixture
def admin(client, make):
    user = make.user("Chefin", role=UserRole.ADMIN)
    login_as(client, user)
    return user


def rows(app) -> list[tuple]:
    with app.app_context():
        return db.session.execute(
            select(Article.id, Article.title, Article.slug, Article.body, Article.revision)
        ).all()


TYPED = {"body": "Mein langer Text, der nicht verloren gehen darf.", "topics": "Eins, Zwei"}


@pytest.mark.parametrize(
    ("fields", "field_id"),
    [
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "Neu", "slug": "Nicht Gültig"}, "slug"),
        ({"title": "!!!"}, "slug"),  # no slug can be made from it
        ({"title": "Neu", "author_name": ""}, "author_name"),
        ({"title": "Neu", "body": "Bild: ![](https://example.org/a.png)"}, "body"),
        ({"title": "Neu", "topics": "x" * 81}, "topics"),
    ],
)
def test_invalid_input_is_refused_beside_its_field_and_kept(app, client, admin, fields, field_id):
    before = rows(app)
    sent = dict(TYPED, **fields)
    response = editor_post(client, "/admin/articles/new", action="publish", **sent)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    check_structure(html)
    assert f'id="{field_id}-error"' in html
    assert re.search(f'aria-describedby="[^"]*{field_id}-error"', html)
    assert "Es wurde nichts gespeichert." in html
    assert sent["body"].split("!")[0] in html and sent["topics"] in html
    assert rows(app) == before


def test_missing_alt_text_says_which_image(client, admin):
    body = "![gut](https://example.org/ok.png)\n\n![](https://example.org/ohne.png)"
    html = editor_post(
        client, "/admin/articles/new", action="draft", title="Bilder", body=body
    ).get_data(as_text=True)
    assert "https://example.org/ohne.png" in html.split('id="body-error"')[1].split("</div>")[0]


def test_duplicate_slug_is_refused(app, client, admin, make):
    make.article("Vorhanden")
    before = rows(app)
    response = editor_post(
        client, "/admin/articles/new", action="draft", title="Vorhanden", **TYPED
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 409 or response.status_code == 422
    assert 'id="slug-error"' in html and TYPED["body"] in html
    assert rows(app) == before


def test_the_later_of_two_editors_is_refused_and_keeps_its_text(app, client, admin, make):
    article = make.article("Gemeinsam", body="Ursprung.")
    edit = f"/admin/articles/{article.id}/edit"
    opened = client.get(edit).get_data(as_text=True)  # the second admin's editor
    assert revision_in(opened) == "1"
    editor_post(client, edit, action="save", title="Gemeinsam", body="Erste Fassung.")
    before = rows(app)

    stale = dict(
        TYPED, title="Gemeinsam", body="Zweite Fassung.", action="save", revision="1",
        slug="gemeinsam", author_name="Redaktion", csrf_token=csrf_token(opened),
    )  # fmt: skip
    response = client.post(edit, data=stale)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    check_structure(html)
    assert "Jemand anderes hat diesen Beitrag gespeichert" in html
    assert "Zweite Fassung." in html  # what they typed
    assert "Erste Fassung." in html  # the version saved meanwhile, to compare
    assert revision_in(html) == "2"  # saving again is now a deliberate choice
    assert rows(app) == before

    again = dict(stale, revision="2")
    assert client.post(edit, data=again).status_code == 302
    with app.app_context():
        assert db.session.get(Article, article.id).body == "Zweite Fassung."


def test_a_missing_or_forged_revision_is_a_bad_request(app, client, admin, make):
    article = make.article("Ohne")
    edit = f"/admin/articles/{article.id}/edit"
    before = rows(app)
    for revision in ("", "eins", "²"):
        response = editor_post(client, edit, action="save", title="Anders", revision=revision)
        assert response.status_code == 400, revision
    assert editor_post(client, edit, action="launch", title="Anders").status_code == 400
    assert rows(app) == before


def test_without_csrf_token_nothing_is_saved(app, client, admin, make):
    article = make.article("Geschützt")
    before = rows(app)
    for url in ("/admin/articles/new", f"/admin/articles/{article.id}/edit"):
        response = client.post(
            url, data={"title": "Angriff", "body": "x", "action": "publish", "revision": "1"}
        )
        assert response.status_code == 400
    assert rows(app) == before


SAFE_SCHEMES = {"", "http", "https", "mailto"}  # "": a path on this site
ATTACKS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[klick](javascript:alert(1))",
    '![x](javascript:alert(1) "t")',
    '![x](data:text/html;base64,PHNjcmlwdD4= "t")',
    '<a href="javascript:alert(1)">a</a>',
    "<iframe src=https://evil.example></iframe>",
    "| a | <script>b</script> |\n|---|---|\n| <svg onload=alert(1)> | 2 |",
]


def test_saved_articles_render_as_well_formed_html_without_script(app, client, admin, shared_dir):
    naughty = json.loads((shared_dir / "corpora" / "blns.json").read_text())
    body = "\n\n".join(
        [
            "# Überschrift",
            "Ein *Absatz* mit [Link](https://example.org) und `code`.",
            '![Ein Diagramm](https://example.org/d.png "Umsatz im Jahr")',
            "| Jahr | Wert |\n|---|---:|\n| 2024 | 3 |",
            "> Zitat\n\n- eins\n- zwei\n\n```\n<script>im Code</script>\n```",
            *ATTACKS,
            *(line.replace("![", "![bild ") for line in naughty[:400]),
        ]
    )
    response = editor_post(
        client, "/admin/articles/new", action="publish", title="Alles drin", body=body
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        slug = db.session.scalar(select(Article.slug).where(Article.title == "Alles drin"))
    page = client.get(f"/articles/{slug}")
    parsed = check_structure(page.data)
    assert not inside(parsed, "script", "article__body")
    assert not inside(parsed, "iframe", "article__body")
    assert not inside(parsed, "svg", "article__body")
    assert inside(parsed, "figcaption", "article__body")
    assert inside(parsed, "table", "article__body")
    assert [a for a in inside(parsed, "h2", "article__body")]
    for attrs in inside(parsed, "img", "article__body"):
        assert attrs.get("alt") and urlparse(attrs.get("src") or "").scheme in SAFE_SCHEMES
    for attrs in inside(parsed, "a", "article__body"):
        assert urlparse(attrs.get("href") or "").scheme in SAFE_SCHEMES
