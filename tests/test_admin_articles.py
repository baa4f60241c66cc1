"""Admins list, write, preview, schedule, publish and unpublish articles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Article, CommentStatus, UserRole, utcnow
from app.services import article_admin
from tests.admin_support import CountQueries, check_structure, editor_post
from tests.support import login_as


@pytest.fixture
def admin(client, make):
    user = make.user("Chefin", role=UserRole.ADMIN)
    login_as(client, user)
    return user


def stored(app, **where) -> Article | None:
    with app.app_context():
        article = db.session.scalar(select(Article).filter_by(**where))
        if article is not None:
            db.session.expunge(article)
        return article


def test_list_shows_every_state_with_author_date_and_comments(client, make, admin):
    now = utcnow()
    member = make.user("Leserin")
    public = make.article("Veröffentlichter Text", author_name="Anna")
    make.article("Geplanter Text", published_at=now + timedelta(days=3))
    make.article("Entwurfstext", published_at=None)
    make.article("Gelöschter Text", deleted_at=now, comments_open=False)
    make.comment(public, member)
    make.comment(public, member, status=CommentStatus.PENDING)
    make.comment(public, member, status=CommentStatus.DELETED)

    html = client.get("/admin/articles").get_data(as_text=True)
    check_structure(html)
    for title, state in [
        ("Veröffentlichter Text", "Veröffentlicht"),
        ("Geplanter Text", "Geplant"),
        ("Entwurfstext", "Entwurf"),
        ("Gelöschter Text", "Gelöscht"),
    ]:
        row = html[html.index(title) :].split("</tr>")[0]
        assert state in row, title
    public_row = html[html.index("Veröffentlichter Text") :].split("</tr>")[0]
    assert "Anna" in public_row and "2 (1 wartet)" in public_row and "offen" in public_row
    assert "geschlossen" in html[html.index("Gelöschter Text") :].split("</tr>")[0]


def test_list_is_searchable_by_title_and_filtered_by_state(client, make, admin):
    make.article("Banken im Test")
    make.article("Social Media")
    make.article("100% Banken", published_at=None)
    html = client.get("/admin/articles?q=banken").get_data(as_text=True)
    assert "Banken im Test" in html and "100% Banken" in html and "Social Media" not in html
    html = client.get("/admin/articles?q=%25").get_data(as_text=True)  # a literal "%"
    assert "100% Banken" in html and "Banken im Test" not in html
    html = client.get("/admin/articles?state=draft").get_data(as_text=True)
    assert "100% Banken" in html and "Banken im Test" not in html
    assert client.get("/admin/articles?state=nonsense").status_code == 200


def test_list_is_paged_with_a_fixed_number_of_queries(app, client, make, admin):
    member = make.user("Leserin")
    counts = []
    for number in range(27):
        article = make.article(f"Nummer {number:02d}", topics=[f"Thema {number}"])
        make.comment(article, member)
        if number in (3, 26):
            with app.app_context(), CountQueries(db.engine) as queries:
                listing = article_admin.list_articles(db.session, utcnow())
                assert all(row.comments == 1 for row in listing.rows)
                counts.append(queries.count)
    assert counts[0] == counts[1] <= 3  # articles, their topics, their comments counted
    first = client.get("/admin/articles").get_data(as_text=True)
    second = client.get("/admin/articles?page=2").get_data(as_text=True)
    assert "Nummer 26" in first and "Nummer 02" in first and "Nummer 01" not in first
    assert "Nummer 01" in second and "Nummer 00" in second and 'rel="prev"' in second
    assert client.get("/admin/articles?page=9").status_code == 404


def test_a_new_article_proposes_the_admins_name_and_open_comments(client, admin):
    html = client.get("/admin/articles/new").get_data(as_text=True)
    check_structure(html)
    assert 'value="Chefin"' in html and 'name="comments_open" type="checkbox" value="y"' in html
    for label in ("Vorschau", "Als Entwurf speichern", "Veröffentlichen"):
        assert label in html


def test_preview_renders_without_saving_and_keeps_the_text(app, client, admin):
    body = '## Abschnitt\n\n![Ein Bild](https://example.org/b.png "Bildunterschrift")'
    response = editor_post(
        client, "/admin/articles/new", action="preview", title="Größere Übungen", body=body
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    parsed = check_structure(html)
    assert "<h2>Abschnitt</h2>" in html and "<figcaption>Bildunterschrift</figcaption>" in html
    assert "## Abschnitt" in html and 'value="Größere Übungen"' in html
    assert 'placeholder="groessere-uebungen"' in html
    assert any(tag == "figure" for tag, _, _ in parsed.elements)
    assert stored(app) is None


def test_save_as_draft_then_publish(app, client, admin):
    response = editor_post(
        client,
        "/admin/articles/new",
        action="draft",
        title="Größere Übungen für Banken",
        topics="Bankenrating, Neu",
        body="Erster Absatz.",
    )
    article = stored(app, slug="groessere-uebungen-fuer-banken")
    assert response.status_code == 302 and article.published_at is None
    assert article.author_name == "Redaktion" and article.author_id == admin.id
    assert [t.name for t in article.topics] == ["Bankenrating", "Neu"]
    edit = f"/admin/articles/{article.id}/edit"
    assert "Als Entwurf gespeichert" in client.get(edit).get_data(as_text=True)
    assert client.get("/articles/groessere-uebungen-fuer-banken").status_code == 200  # admin

    before = utcnow()
    editor_post(client, edit, action="publish", title=article.title, body=article.body)
    published = stored(app, id=article.id)
    assert published.published_at >= before and published.revision == 2
    client.post("/logout")
    with client.session_transaction() as session:
        session.clear()
    home = client.get("/").get_data(as_text=True)
    assert "Größere Übungen für Banken" in home
    assert "groessere-uebungen-fuer-banken" in client.get("/feed.atom").get_data(as_text=True)


def test_schedule_uses_the_site_time_zone_and_hides_the_article_until_then(app, client, admin):
    next_year = utcnow().year + 1
    response = editor_post(
        client,
        "/admin/articles/new",
        action="schedule",
        title="Später",
        publish_at=f"{next_year}-07-01T10:30",
    )
    assert response.status_code == 302
    article = stored(app, slug="spaeter")
    assert article.published_at == datetime(next_year, 7, 1, 8, 30, tzinfo=UTC)  # CEST
    page = client.get(f"/admin/articles/{article.id}/edit").get_data(as_text=True)
    assert "Geplant" in page and f'value="{next_year}-07-01T10:30"' in page
    assert "Jetzt veröffentlichen" in page
    with client.session_transaction() as session:
        session.clear()
    assert "Später" not in client.get("/").get_data(as_text=True)
    assert "spaeter" not in client.get("/feed.atom").get_data(as_text=True)
    assert client.get("/articles/spaeter").status_code == 404


@pytest.mark.parametrize("when", ["", "2001-01-01T10:00", "morgen früh", "2025-13-45T99:99"])
def test_scheduling_needs_a_valid_future_time(app, client, admin, when):
    response = editor_post(
        client, "/admin/articles/new", action="schedule", title="Später", publish_at=when
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="publish_at-error"' in html and 'value="Später"' in html
    assert stored(app) is None


def test_scheduled_article_can_be_published_now(app, client, admin, make):
    article = make.article("Bald", published_at=utcnow() + timedelta(days=2))
    editor_post(client, f"/admin/articles/{article.id}/edit", action="publish", title="Bald")
    assert stored(app, id=article.id).published_at <= utcnow()


def test_unpublish_makes_it_a_draft_again(app, client, admin, make):
    article = make.article("Zurück", topics=["Rückzug"])
    assert "Zurück" in client.get("/topics/rueckzug").get_data(as_text=True)
    edit = f"/admin/articles/{article.id}/edit"
    assert "Zurückziehen" in client.get(edit).get_data(as_text=True)
    editor_post(client, edit, action="unpublish", title="Zurück")
    assert stored(app, id=article.id).published_at is None
    with client.session_transaction() as session:
        session.clear()
    assert client.get("/articles/zurueck").status_code == 404
    assert "Zurück" not in client.get("/topics/rueckzug").get_data(as_text=True)


def test_editing_a_published_article_shows_updated(app, client, admin, make):
    article = make.article("Alt", body="Alter Text.")
    edit = f"/admin/articles/{article.id}/edit"
    before = stored(app, id=article.id).discussion_version
    editor_post(client, edit, action="save", title="Alt", body="Neuer Text.")
    saved = stored(app, id=article.id)
    assert saved.revised_at is not None and saved.published_at == article.published_at
    assert saved.discussion_version > before
    assert "aktualisiert" in client.get("/articles/alt").get_data(as_text=True)


def test_changed_slug_redirects_from_the_old_one(app, client, admin, make):
    article = make.article("Erster Name")
    editor_post(
        client, f"/admin/articles/{article.id}/edit", action="save", title="Erster Name",
        slug="zweiter-name",
    )  # fmt: skip
    response = client.get("/articles/erster-name")
    assert response.status_code == 301 and response.headers["Location"].endswith(
        "/articles/zweiter-name"
    )
    page = client.get(f"/admin/articles/{article.id}/edit").get_data(as_text=True)
    assert "erster-name" in page  # listed among the earlier addresses


def test_closing_comments_in_the_editor(app, client, admin, make):
    article = make.article("Offen")
    editor_post(
        client, f"/admin/articles/{article.id}/edit", action="save", title="Offen",
        comments_open=False,
    )  # fmt: skip
    assert stored(app, id=article.id).comments_open is False


def test_editing_a_deleted_article_is_turned_away(app, client, admin, make):
    article = make.article("Weg", deleted_at=utcnow())
    response = client.get(f"/admin/articles/{article.id}/edit")
    assert response.status_code == 302 and "state=deleted" in response.headers["Location"]
    assert client.get("/admin/articles/999/edit").status_code == 404


def test_publish_keeps_an_earlier_date_given_on_purpose(app, client, admin):
    editor_post(
        client, "/admin/articles/new", action="publish", title="Nachgetragen",
        publish_at="2020-01-15T12:00",
    )  # fmt: skip
    assert stored(app, slug="nachgetragen").published_at == datetime(2020, 1, 15, 11, tzinfo=UTC)
    editor_post(
        client, "/admin/articles/new", action="draft", title="Entwurf", publish_at="kaputt"
    )  # a draft has no date, so a broken one does not matter
    assert stored(app, slug="entwurf").published_at is None
