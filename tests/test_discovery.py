"""What search engines and browsers ask for: sitemap, robots.txt, icons, the web app manifest,
and each page's canonical address, description, link preview and structured data."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest

from app.models import CommentStatus, utcnow
from tests.conftest import make_app
from tests.head_parsing import read_head

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "https://diskurs.example.org"


@pytest.fixture
def app(database_url, tmp_path):  # noqa: ANN001, ANN201
    """The site at its public address, so absolute links can be told from request ones."""
    application = make_app(database_url, tmp_path, BASE_URL=BASE, ARTICLES_PER_PAGE=1)
    yield application
    with application.app_context():
        from app.extensions import db

        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def site(make):  # noqa: ANN001, ANN201
    member = make.user("Mitglied")
    article = make.article(
        "Zinsen im Wandel",
        body="Was die Zinswende für Sparer bedeutet. " * 5,
        topics=["Geldanlage"],
        published_at=utcnow() - timedelta(days=2),
    )
    other = make.article("Banken im Test", topics=["Banken"])
    draft = make.article("Geheimer Entwurf", topics=["Geheimthema"], published_at=None)
    gone = make.article("Gelöscht", deleted_at=utcnow())
    shown = make.comment(article, member, "Sehr hilfreich </script><script>alert(1)</script>")
    make.comment(article, member, "Wartet noch", status=CommentStatus.PENDING)
    return {"article": article, "other": other, "draft": draft, "gone": gone, "shown": shown}


def _get(client, path: str, **headers: str):  # noqa: ANN001, ANN202
    response = client.get(path, headers=headers)
    assert response.status_code == 200, path
    return response


def test_the_sitemap_lists_public_articles_topics_and_pages(app, client, site):
    from app.extensions import db
    from app.models import Page

    with app.app_context():
        db.session.add(Page(title="Impressum", slug="impressum", body="x", body_html="<p>x</p>"))
        db.session.commit()
    response = _get(client, "/sitemap.xml", Host="evil.example")
    assert response.mimetype == "application/xml"
    root = ET.fromstring(response.data)  # noqa: S314 (the site's own)
    assert root.tag == f"{SITEMAP}urlset"
    entries = {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in root.findall(f"{SITEMAP}url")
    }
    assert set(entries) == {
        f"{BASE}/",
        f"{BASE}/topics",
        f"{BASE}/topics/geldanlage",
        f"{BASE}/topics/banken",
        f"{BASE}/articles/zinsen-im-wandel",
        f"{BASE}/articles/banken-im-test",
        f"{BASE}/pages/impressum",
    }
    for moment in entries.values():
        assert datetime.fromisoformat(moment.replace("Z", "+00:00")) <= utcnow()
    # An article changed when it was last saved (here: written after its publication date).
    changed = entries[f"{BASE}/articles/zinsen-im-wandel"]
    saved = site["article"].updated_at
    assert abs(datetime.fromisoformat(changed.replace("Z", "+00:00")) - saved) < timedelta(
        seconds=1
    )
    assert entries[f"{BASE}/"] == max(
        entries[f"{BASE}/articles/{slug}"] for slug in ("zinsen-im-wandel", "banken-im-test")
    )


def test_robots_txt_points_to_the_sitemap_and_keeps_out_of_staff_areas(client):
    text = _get(client, "/robots.txt", Host="evil.example").get_data(as_text=True)
    lines = text.splitlines()
    assert "User-agent: *" in lines
    assert f"Sitemap: {BASE}/sitemap.xml" in lines
    for path in ("/admin/", "/moderation/", "/account", "/search"):
        assert f"Disallow: {path}" in lines
    assert "Disallow: /" not in lines  # the reading pages stay open


def test_the_favicon_and_the_icons_are_there(client):
    favicon = _get(client, "/favicon.ico")
    assert favicon.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert favicon.mimetype == "image/vnd.microsoft.icon"
    head = read_head(_get(client, "/").get_data(as_text=True))
    for link in head.link("icon") + head.link("apple-touch-icon"):
        assert client.get(link["href"]).status_code == 200, link


def test_the_web_app_manifest_names_the_site_and_its_icons(client):
    head = read_head(_get(client, "/").get_data(as_text=True))
    (manifest_link,) = head.link("manifest")
    response = _get(client, manifest_link["href"])
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.data)
    assert manifest["name"] == "Diskurs" and manifest["start_url"] == "/"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        image = _get(client, icon["src"])
        assert image.mimetype == icon["type"]
        if icon["type"] == "image/png":
            assert image.data[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("path", "canonical"),
    [
        ("/", "/"),
        ("/?page=2", "/"),
        ("/articles/zinsen-im-wandel", "/articles/zinsen-im-wandel"),
        ("/articles/zinsen-im-wandel?reply_to=1", "/articles/zinsen-im-wandel"),
        ("/articles/zinsen-im-wandel?page=1", "/articles/zinsen-im-wandel"),
        ("/topics/geldanlage?page=1", "/topics/geldanlage"),
        ("/topics", "/topics"),
        ("/login?next=/articles/zinsen-im-wandel", "/login"),
        ("/search?q=Zinsen&page=1", "/search?q=Zinsen"),
    ],
)
def test_every_page_names_its_canonical_address(client, site, path, canonical):
    head = read_head(_get(client, path, Host="evil.example").get_data(as_text=True))
    assert head.canonical() == BASE + canonical
    assert head.one("og:url") == BASE + canonical


def test_error_pages_name_no_canonical_address(client):
    response = client.get("/articles/gibt-es-nicht")
    assert response.status_code == 404
    assert read_head(response.get_data(as_text=True)).canonical() is None


def test_an_article_describes_itself_for_search_engines_and_previews(client, site):
    html = _get(client, "/articles/zinsen-im-wandel").get_data(as_text=True)
    head = read_head(html)
    excerpt = "Was die Zinswende für Sparer bedeutet."
    assert head.one("description").startswith(excerpt)
    assert head.one("og:type") == "article"
    assert head.one("og:title") == head.one("twitter:title") == "Zinsen im Wandel"
    assert head.one("og:description").startswith(excerpt)
    assert head.one("twitter:card") == "summary"
    assert head.one("og:site_name") == "Diskurs"
    assert head.one("og:image") == f"{BASE}/static/icons/icon-512.png"
    assert head.one("og:locale") == "de_DE"
    assert head.one("article:tag") == "Geldanlage"
    published = datetime.fromisoformat(head.one("article:published_time").replace("Z", "+00:00"))
    assert abs(published - site["article"].published_at) < timedelta(seconds=1)


def test_other_pages_describe_the_site(client, site):
    head = read_head(_get(client, "/").get_data(as_text=True))
    assert head.one("og:type") == "website"
    assert head.one("description") == "Beiträge und die Diskussion darunter"
    topic = read_head(_get(client, "/topics/geldanlage").get_data(as_text=True))
    assert "Geldanlage" in topic.one("description") and "Geldanlage" in topic.one("og:title")


def test_an_articles_structured_data_holds_it_and_its_visible_comments(client, site):
    html = _get(client, "/articles/zinsen-im-wandel", Host="evil.example").get_data(as_text=True)
    assert "</script><script>alert(1)" not in html
    (data,) = read_head(html).structured()
    assert data["@context"] == "https://schema.org" and data["@type"] == "Article"
    assert data["headline"] == "Zinsen im Wandel"
    assert data["url"] == data["mainEntityOfPage"] == f"{BASE}/articles/zinsen-im-wandel"
    assert data["author"] == {"@type": "Person", "name": "Redaktion"}
    assert data["publisher"]["name"] == "Diskurs"
    assert data["articleSection"] == ["Geldanlage"]
    assert data["commentCount"] == 1
    (comment,) = data["comment"]  # the pending one is not there
    assert comment["@type"] == "Comment"
    assert comment["url"] == f"{BASE}/comments/{site['shown'].id}"
    assert comment["author"] == {"@type": "Person", "name": "Mitglied"}
    assert comment["text"] == "Sehr hilfreich </script><script>alert(1)</script>"
    assert datetime.fromisoformat(comment["dateCreated"].replace("Z", "+00:00")) <= utcnow()


def test_the_home_page_describes_the_site_and_its_search(client, site):
    (data,) = read_head(_get(client, "/").get_data(as_text=True)).structured()
    assert data["@type"] == "WebSite" and data["url"] == f"{BASE}/"
    target = data["potentialAction"]["target"]["urlTemplate"]
    assert target == f"{BASE}/search?q={{search_terms}}"


def test_drafts_and_their_topics_stay_out_of_every_listing(client, site):
    for path in ("/sitemap.xml", "/topics", "/", "/feed.atom"):
        text = _get(client, path).get_data(as_text=True)
        assert "Geheim" not in text, path
