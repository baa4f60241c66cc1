"""Fixed pages: written in the editor, shown at /pages/<slug>, linked from every footer."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Page, UserRole
from tests.admin_support import check_structure, page_post, revision_in
from tests.support import csrf_token, login_as


@pytest.fixture
def admin(client, make):
    user = make.user("Chefin", role=UserRole.ADMIN)
    login_as(client, user)
    return user


def pages(app) -> list[tuple]:
    with app.app_context():
        return db.session.execute(
            select(Page.id, Page.title, Page.slug, Page.body, Page.revision).order_by(Page.id)
        ).all()


def test_pages_are_written_previewed_and_linked_from_every_footer(app, client, make, admin):
    preview = page_post(
        client, "/admin/pages/new", action="preview", title="Über uns", body="## Wer\n\nWir."
    )
    assert preview.status_code == 200 and "<h2>Wer</h2>" in preview.get_data(as_text=True)
    assert pages(app) == []

    page_post(client, "/admin/pages/new", title="Über uns", body="Wir.", footer_position="3")
    page_post(client, "/admin/pages/new", title="Impressum", body="Anschrift.", footer_position="1")
    page_post(client, "/admin/pages/new", title="Datenschutz", body="Daten.", footer_position="2")
    assert [row.slug for row in pages(app)] == ["ueber-uns", "impressum", "datenschutz"]

    listing = client.get("/admin/pages").get_data(as_text=True)
    check_structure(listing)
    make.article("Irgendein Artikel")
    with client.session_transaction() as session:
        session.clear()
    for path in ("/", "/articles/irgendein-artikel", "/pages/impressum"):
        footer = client.get(path).get_data(as_text=True).split('class="site-footer"')[1]
        links = [
            footer.index(f'href="/pages/{slug}"')
            for slug in ("impressum", "datenschutz", "ueber-uns")
        ]
        assert links == sorted(links), path
    page = client.get("/pages/ueber-uns")
    assert page.status_code == 200 and "<p>Wir.</p>" in page.get_data(as_text=True)


def test_editing_a_page_and_changing_its_address(app, client, admin):
    page_post(client, "/admin/pages/new", title="Impressum", body="Alt.")
    page_id = pages(app)[0].id
    edit = f"/admin/pages/{page_id}/edit"
    response = page_post(client, edit, title="Impressum", slug="kontakt", body="Neu.")
    assert response.status_code == 302
    assert pages(app)[0][1:] == ("Impressum", "kontakt", "Neu.", 2)
    assert client.get("/pages/kontakt").status_code == 200


@pytest.mark.parametrize(
    ("fields", "field_id"),
    [
        ({"title": ""}, "title"),
        ({"title": "Neu", "slug": "Mit Leerzeichen"}, "slug"),
        ({"title": "Impressum"}, "slug"),  # taken
        ({"title": "Neu", "footer_position": "erste"}, "footer_position"),
        ({"title": "Neu", "body": "![](https://example.org/a.png)"}, "body"),
    ],
)
def test_refused_pages_keep_the_text(app, client, admin, fields, field_id):
    page_post(client, "/admin/pages/new", title="Impressum", body="Da.")
    before = pages(app)
    sent = {"body": "Getippter Text bleibt.", **fields}
    response = page_post(client, "/admin/pages/new", **sent)
    html = response.get_data(as_text=True)
    assert response.status_code in (409, 422)
    assert f'id="{field_id}-error"' in html and sent["body"] in html
    assert pages(app) == before


def test_stale_page_edit_is_refused(app, client, admin):
    page_post(client, "/admin/pages/new", title="Datenschutz", body="Eins.")
    edit = f"/admin/pages/{pages(app)[0].id}/edit"
    opened = client.get(edit).get_data(as_text=True)
    page_post(client, edit, title="Datenschutz", body="Zwei.")
    before = pages(app)
    stale = {
        "csrf_token": csrf_token(opened), "revision": revision_in(opened), "action": "save",
        "title": "Datenschutz", "body": "Drei.", "slug": "", "footer_position": "",
    }  # fmt: skip
    response = client.post(edit, data=stale)
    html = response.get_data(as_text=True)
    assert response.status_code == 409 and "Drei." in html and "Zwei." in html
    assert pages(app) == before


def test_deleting_a_page_asks_first(app, client, admin):
    page_post(client, "/admin/pages/new", title="Alt", body="x")
    page_id = pages(app)[0].id
    confirm = client.get(f"/admin/pages/{page_id}/delete").get_data(as_text=True)
    check_structure(confirm)
    assert pages(app) != []
    assert client.post(f"/admin/pages/{page_id}/delete").status_code == 400
    assert pages(app) != []
    response = client.post(
        f"/admin/pages/{page_id}/delete", data={"csrf_token": csrf_token(confirm)}
    )
    assert response.status_code == 302 and pages(app) == []
    assert client.get("/pages/alt").status_code == 404
