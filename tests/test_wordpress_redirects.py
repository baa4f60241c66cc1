"""Old WordPress addresses of imported content answer 301 with the new ones; others 404."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Article, Comment, Page, Topic, utcnow
from app.services.wordpress import import_wxr
from tests.wxr_support import C, P, wxr


@pytest.fixture
def site(app):
    data = wxr(
        P(
            11,
            title="Größere Übungen",
            slug="groessere-uebungen",
            date="2012-03-01 09:00:00",
            comments=[C(31), C(32, parent=31)],
        ),
        P(12, title="Impressum", slug="impressum", post_type="page"),
    )
    with app.app_context():
        import_wxr(db.session, io.BytesIO(data), now=utcnow(), zone=ZoneInfo("Europe/Berlin"))
        article = db.session.scalar(select(Article).where(Article.wp_id == 11))
        return {
            "article": article.slug,
            "page": db.session.scalar(select(Page.slug).where(Page.wp_id == 12)),
            "topic": db.session.scalar(select(Topic.slug).where(Topic.wp_id == 3)),
            "tag": db.session.scalar(select(Topic.slug).where(Topic.wp_id == 4)),
            "comment": db.session.scalar(select(Comment.id).where(Comment.wp_id == 32)),
        }


def _moved(client, address: str) -> str:
    answer = client.get(address)
    assert answer.status_code == 301, (address, answer.status_code)
    return answer.headers["Location"]


def test_every_old_address_form_is_redirected(client, site):
    article = f"/articles/{site['article']}?from=wordpress"
    feed = f"/articles/{site['article']}/comments.atom"
    expected = {
        "/?p=11": article,
        "/2012/03/01/groessere-uebungen/": article,
        "/2012/03/01/groessere-uebungen": article,
        "/2012/03/groessere-uebungen/": article,
        "/groessere-uebungen/": article,
        "/?page_id=12": f"/pages/{site['page']}",
        "/impressum/": f"/pages/{site['page']}",
        "/category/geld/": f"/topics/{site['topic']}",
        "/tag/zinsen/": f"/topics/{site['tag']}",
        "/category/geld/feed/": f"/topics/{site['topic']}/feed.atom",
        "/groessere-uebungen/feed/": feed,
        "/feed/": "/feed.atom",
        "/comments/feed/": "/comments.atom",
        "/?replytocom=32": f"/comments/{site['comment']}",
        "/?s=zinsen+und+geduld": "/search?q=zinsen+und+geduld",
        "/?cat=3": f"/topics/{site['topic']}",
    }
    for old, new in expected.items():
        assert _moved(client, old) == new, old


def test_the_comment_address_leads_to_the_comment(client, site):
    location = _moved(client, "/?replytocom=32")
    answer = client.get(location)
    assert answer.status_code in (301, 302)
    assert answer.headers["Location"].endswith(f"#comment-{site['comment']}")


@pytest.mark.parametrize(
    "address",
    [
        "/?p=999",
        "/?p=abc",
        "/?page_id=11",
        "/?replytocom=999",
        "/2012/03/01/unbekannt/",
        "/unbekannt/",
        "/category/unbekannt/",
        "/tag/unbekannt/feed/",
        "/?p=//evil.example.com",
    ],
)
def test_unknown_old_addresses_are_not_found(client, site, address):
    assert client.get(address).status_code == 404


def test_no_address_leads_off_the_site(client, site):
    for address in ("/?s=//evil.example.com", "//evil.example.com/feed/", "/?feed=rss2"):
        answer = client.get(address)
        if answer.status_code == 301:
            location = answer.headers["Location"]
            assert location.startswith("/") and not location.startswith("//")


def test_the_home_page_and_its_pages_are_untouched(client, site):
    assert client.get("/").status_code == 200
    assert client.get("/?page=1").status_code == 200


def test_a_renamed_article_is_still_reached(app, client, site):
    with app.app_context():
        article = db.session.scalar(select(Article).where(Article.wp_id == 11))
        from app.services.publishing import change_slug

        change_slug(db.session, article, "neuer-name")
        db.session.commit()
    assert _moved(client, "/?p=11") == "/articles/neuer-name?from=wordpress"


def test_an_old_comment_fragment_is_handed_back_by_a_script(client, site):
    """``/?p=11#comment-32``: the fragment stays in the browser; the page loads the script
    that asks ``/?replytocom=32``, which the server answers with the comment's place."""
    location = _moved(client, "/?p=11")
    page = client.get(location).get_data(as_text=True)
    assert "js/old-links.js" in page
    assert "js/old-links.js" not in client.get(f"/articles/{site['article']}").get_data(
        as_text=True
    )
    assert _moved(client, "/?replytocom=32") == f"/comments/{site['comment']}"


def test_an_address_with_letters_beyond_ascii_is_found(app, client):
    data = wxr(P(21, title="Größe", slug="gr%c3%b6%c3%9fe", date="2013-05-06 07:00:00"))
    with app.app_context():
        import_wxr(db.session, io.BytesIO(data), now=utcnow(), zone=ZoneInfo("UTC"))
        slug = db.session.scalar(select(Article.slug).where(Article.wp_id == 21))
    assert slug == "groesse"
    for old in ("/2013/05/06/gr%C3%B6%C3%9Fe/", "/gr%c3%b6%c3%9fe/", "/Größe/"):
        answer = client.get(old)
        assert answer.status_code == 301, old
        assert answer.headers["Location"] == "/articles/groesse?from=wordpress"


def test_an_escaped_percent_in_an_address_is_not_decoded_twice(client, site):
    # "%2500" is a percent sign followed by "00": it must never become a NUL on the way in.
    for address in ("/%2500/", "/unbekannt%2500/", "/%2500/feed/"):
        assert client.get(address).status_code == 404, address
