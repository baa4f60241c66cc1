"""Readers: the home page, articles, topics, fixed pages, feeds, health, errors."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from app.extensions import db
from app.models import CommentStatus, Page, utcnow

ATOM = "{http://www.w3.org/2005/Atom}"


def days_ago(n: int) -> datetime:
    return utcnow() - timedelta(days=n)


def test_home_lists_published_articles_newest_first_with_their_details(client, make):
    make.article("Älterer Beitrag", published_at=days_ago(5), author_name="Dr. Oliver Everling")
    make.article(
        "Neuerer Beitrag",
        published_at=datetime(2012, 11, 25, 9, 30, tzinfo=UTC),
        topics=["Bankenrating", "Nachrichten"],
        body="Der erste Satz des Textes. " * 30,
    )
    make.article("Entwurf", published_at=None)
    make.article("Geplant", published_at=utcnow() + timedelta(days=1))

    html = client.get("/").text

    assert html.index("Älterer Beitrag") < html.index("Neuerer Beitrag")
    assert "Entwurf" not in html and "Geplant" not in html
    assert "Von Dr. Oliver Everling" in html
    assert "25. November 2012" in html
    assert '<a href="/topics/bankenrating">Bankenrating</a>' in html
    assert "Der erste Satz des Textes." in html and " …" in html  # a short excerpt
    assert "Kein Kommentar »" in html


def test_home_counts_visible_comments_in_both_languages(client, make):
    article = make.article("Diskutiert")
    member = make.user("anna")
    make.comment(article, member)
    make.comment(article, member, status=CommentStatus.PENDING)
    make.comment(article, member, status=CommentStatus.HIDDEN)
    assert "1 Kommentar »" in client.get("/").text
    for _ in range(4):
        make.comment(article, member)
    assert "5 Kommentare »" in client.get("/").text
    english = client.get("/", headers={"Accept-Language": "en"}).text
    assert "5 comments »" in english


def test_home_pages_by_ten_with_links_both_ways(client, make):
    for number in range(23):
        make.article(f"Beitrag Nummer {number:02d}", published_at=days_ago(100 - number))
    first = client.get("/").text
    assert "Beitrag Nummer 22" in first and "Beitrag Nummer 13" in first
    assert "Beitrag Nummer 12" not in first
    assert 'href="/?page=2"' in first and "?page=0" not in first
    second = client.get("/?page=2").text
    assert "Beitrag Nummer 12" in second and "Beitrag Nummer 03" in second
    assert 'href="/?page=1"' in second and 'href="/?page=3"' in second
    third = client.get("/?page=3").text
    assert "Beitrag Nummer 00" in third and "?page=4" not in third
    assert client.get("/?page=9").status_code == 404
    assert client.get("/?page=abc").status_code == 200


def test_article_shows_body_topics_and_neighbours_in_publication_order(client, make):
    first = make.article("Erster", published_at=days_ago(3))
    middle = make.article(
        "Mitte",
        published_at=days_ago(2),
        topics=["Nachrichten"],
        body=(
            "Text mit *Betonung* und http://example.org/quelle als Quelle.\n\n<script>x()</script>"
        ),
    )
    last = make.article("Letzter", published_at=days_ago(1))

    html = client.get(f"/articles/{middle.slug}").text
    assert "<em>Betonung</em>" in html
    assert '<a href="http://example.org/quelle" rel="noopener">' in html
    assert "<script>x()" not in html and "&lt;script&gt;x()" in html
    assert '<a href="/topics/nachrichten">Nachrichten</a>' in html
    # One previous/next navigation after the article, each link named by the other's title.
    assert html.count('class="neighbours"') == 1
    previous = re.search(r'<a class="neighbours__prev" rel="prev" href="([^"]+)">(.*?)</a>', html)
    following = re.search(r'<a class="neighbours__next" rel="next" href="([^"]+)">(.*?)</a>', html)
    assert previous.group(1) == f"/articles/{first.slug}" and "Erster" in previous.group(2)
    assert following.group(1) == f"/articles/{last.slug}" and "Letzter" in following.group(2)
    assert "Kommentare" in html
    assert "Sie müssen eingeloggt sein, um einen Kommentar zu schreiben." in html
    assert "/login?next=" in html

    oldest = client.get(f"/articles/{first.slug}").text
    assert "neighbours__prev" not in oldest and "neighbours__next" in oldest
    newest = client.get(f"/articles/{last.slug}").text
    assert "neighbours__next" not in newest and "neighbours__prev" in newest


def test_unpublished_scheduled_and_unknown_articles_do_not_exist_for_readers(client, make):
    draft = make.article("Entwurf", published_at=None)
    later = make.article("Später", published_at=utcnow() + timedelta(hours=2))
    for slug in (draft.slug, later.slug, "gibt-es-nicht"):
        response = client.get(f"/articles/{slug}")
        assert response.status_code == 404
        assert "Seite nicht gefunden" in response.text or "Page not found" in response.text
        assert '<footer class="site-footer">' in response.text  # the site's layout


def test_deleted_article_answers_gone(client, make):
    article = make.article("Weg", deleted_at=utcnow())
    assert client.get(f"/articles/{article.slug}").status_code == 410
    assert "Weg" not in client.get("/").text


def test_neighbours_skip_drafts_scheduled_and_deleted_articles(client, make):
    first = make.article("Eins", published_at=days_ago(5))
    make.article("Entwurf", published_at=None)
    make.article("Gelöscht", published_at=days_ago(4), deleted_at=utcnow())
    make.article("Geplant", published_at=utcnow() + timedelta(days=2))
    second = make.article("Zwei", published_at=days_ago(3))
    html = client.get(f"/articles/{first.slug}").text
    assert f'rel="next" href="/articles/{second.slug}"><span class="neighbours__label">' in html
    assert "neighbours__next" not in client.get(f"/articles/{second.slug}").text


def test_topic_page_lists_its_articles_only(client, make):
    make.article("Rating-Beitrag", topics=["Bankenrating"])
    make.article("Anderes", topics=["Nachrichten"])
    html = client.get("/topics/bankenrating").text
    assert "Rating-Beitrag" in html and "Anderes" not in html
    assert client.get("/topics/unbekannt").status_code == 404


def test_feed_is_atom_with_the_newest_twenty_articles(client, make):
    for number in range(22):
        make.article(f"Feed {number:02d}", published_at=days_ago(50 - number), topics=["A"])
    response = client.get("/feed.atom")
    assert response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.data)  # noqa: S314 (our own feed)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 20
    assert entries[0].findtext(f"{ATOM}title") == "Feed 21"
    for entry in entries:
        for required in ("id", "title", "updated", "author"):
            assert entry.find(f"{ATOM}{required}") is not None
        datetime.fromisoformat(entry.findtext(f"{ATOM}updated").replace("Z", "+00:00"))


def test_fixed_page_and_footer_link(client, app):
    with app.app_context():
        db.session.add(Page(title="Impressum", slug="impressum", body_html="<p>Angaben</p>"))
        db.session.commit()
    assert "Angaben" in client.get("/pages/impressum").text
    assert 'href="/pages/impressum">Impressum</a>' in client.get("/").text
    assert client.get("/pages/nichts").status_code == 404


def test_healthz_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_healthz_reports_an_unreachable_database(tmp_path):
    from tests.conftest import make_app

    broken = make_app(f"sqlite:///{tmp_path / 'missing' / 'nowhere.db'}", tmp_path)
    assert broken.test_client().get("/healthz").status_code == 503


class QueryCounter:
    def __init__(self, app):
        self.app, self.count = app, 0

    def __enter__(self):
        with self.app.app_context():
            self.engine = db.engine
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def _count(self, *args):
        self.count += 1

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)


@pytest.mark.parametrize("path", ["/", "/articles/{slug}", "/topics/thema-0"])
def test_reading_pages_issue_a_fixed_number_of_queries(app, client, make, path):
    def measure() -> int:
        target = path.format(slug=middle.slug)
        client.get(target)  # warm up
        with QueryCounter(app) as counter:
            assert client.get(target).status_code == 200
        return counter.count

    member = make.user()
    make.article("A", topics=["Thema 0"], published_at=days_ago(9))
    middle = make.article("B", topics=["Thema 0", "Thema 1"], published_at=days_ago(8))
    make.article("C", topics=["Thema 0"], published_at=days_ago(7))
    make.comment(middle, member)
    small = measure()
    for number in range(12):
        make.article(f"Mehr {number}", topics=["Thema 0", f"Thema {number + 2}"])
    for _ in range(15):
        make.comment(middle, member)
    assert measure() == small
