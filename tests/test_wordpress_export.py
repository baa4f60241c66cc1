"""Leaving: the whole site as a WordPress export, from the command line and the admin area."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

import defusedxml.ElementTree as ET
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Article, Comment, CommentStatus, Page, Topic, User, UserRole, utcnow
from app.services.wordpress import import_wxr
from app.services.wordpress.export import write_wxr
from app.text import text_of_rendered
from tests.support import login_as
from tests.wxr_support import C, P, wxr

BERLIN = ZoneInfo("Europe/Berlin")
WP = "{http://wordpress.org/export/1.2/}"


def export_bytes(app, *, with_emails: bool = False) -> bytes:
    stream = io.BytesIO()
    with app.app_context():
        write_wxr(
            db.session,
            stream,
            site_name="Diskurs",
            base_url="http://localhost",
            zone=BERLIN,
            now=utcnow(),
            with_emails=with_emails,
        )
    return stream.getvalue()


def import_bytes(app, data: bytes):
    with app.app_context():
        return import_wxr(db.session, io.BytesIO(data), now=utcnow(), zone=BERLIN)


def snapshot(app) -> dict:
    """What the round trip must keep: articles, pages, topics and the shape of every thread."""
    with app.app_context():
        articles = {}
        for article in db.session.scalars(select(Article)):
            comments = list(
                db.session.scalars(select(Comment).where(Comment.article_id == article.id))
            )
            texts = {c.id: text_of_rendered(c.body_html) for c in comments}
            thread = sorted(
                (
                    texts[c.id],
                    c.status.value,
                    c.created_at.isoformat(),
                    c.author.display_name,
                    texts.get(c.parent_id),
                    c.depth,
                )
                for c in comments
            )
            articles[article.slug] = (
                article.title,
                article.published_at,
                article.comments_open,
                sorted(t.name for t in article.topics),
                text_of_rendered(article.body_html),
                thread,
            )
        pages = {
            p.slug: (p.title, text_of_rendered(p.body_html))
            for p in db.session.scalars(select(Page))
        }
        topics = {(t.name, t.slug) for t in db.session.scalars(select(Topic))}
        return {"articles": articles, "pages": pages, "topics": topics}


def empty_database(app) -> None:
    with app.app_context():
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()


def test_round_trip_keeps_articles_pages_topics_and_threads(app, shared_dir):
    import_bytes(app, (shared_dir / "corpora" / "wxr" / "theme-unit-test-data.xml").read_bytes())
    import_bytes(
        app,
        wxr(P(90_001, slug="faden", comments=[C(1, content="oben"), C(2, parent=1, content="a"),
                                               C(3, parent=2, content="b", approved="0")])),
    )  # fmt: skip
    before = snapshot(app)
    assert any(thread for *_, thread in before["articles"].values())
    exported = export_bytes(app)
    empty_database(app)
    assert snapshot(app)["articles"] == {}
    import_bytes(app, exported)
    assert snapshot(app) == before


def test_the_export_holds_what_wordpress_reads(app, make):
    author = make.user("clara", role=UserRole.ADMIN, email="clara@example.org")
    member = make.user("bert", email="bert@example.org")
    article = make.article(
        "Zinsen", topics=["Geld"], author_id=author.id, summary="Kurz\x01 gefasst"
    )
    top = make.comment(article, member, "Erster Kommentar")
    make.comment(article, member, "Antwort", parent=top, status=CommentStatus.PENDING)
    make.comment(article, member, "versteckt", status=CommentStatus.HIDDEN)
    root = ET.fromstring(export_bytes(app))
    item = root.find("channel/item")
    assert item.findtext(f"{WP}post_type") == "post"
    assert item.findtext(f"{WP}status") == "publish"
    assert item.findtext("{http://wordpress.org/export/1.2/excerpt/}encoded") == "Kurz gefasst"
    assert [c.get("nicename") for c in item.findall("category")] == ["geld"]
    comments = item.findall(f"{WP}comment")
    assert len(comments) == 2  # the hidden one stays
    first, reply = comments
    assert reply.findtext(f"{WP}comment_parent") == first.findtext(f"{WP}comment_id")
    assert reply.findtext(f"{WP}comment_approved") == "0"
    assert "Erster Kommentar" in first.findtext(f"{WP}comment_content")
    logins = {a.findtext(f"{WP}author_login") for a in root.iter(f"{WP}author")}
    assert logins == {"clara", "bert"}


def test_addresses_only_when_asked_and_never_passwords_or_guests(app, make):
    member = make.user("bert", email="bert@example.org")
    article = make.article("Zinsen")
    make.comment(article, member, "Hallo")
    import_bytes(app, wxr(P(5, comments=[C(9, author="Gast", email="gast@example.net")])))
    plain = export_bytes(app).decode()
    assert "bert@example.org" not in plain and "gast@example.net" not in plain
    assert "scrypt" not in plain
    full = export_bytes(app, with_emails=True).decode()
    assert "bert@example.org" in full
    assert "gast@example.net" not in full and "scrypt" not in full
    with app.app_context():
        hashes = [h for h in db.session.scalars(select(User.password_hash)) if h]
    assert hashes and not any(h in full for h in hashes)


def test_the_command_writes_the_file(app, make, tmp_path):
    make.article("Zinsen")
    out = tmp_path / "site.xml"
    result = app.test_cli_runner().invoke(args=["export", "wordpress", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 articles" in result.output
    assert ET.fromstring(out.read_bytes()).find("channel/item/title").text == "Zinsen"


@pytest.mark.parametrize(
    ("role", "status"),
    [(None, 302), (UserRole.MEMBER, 403), (UserRole.MODERATOR, 403), (UserRole.ADMIN, 200)],
)
def test_the_download_is_for_admins_only(app, client, make, role, status):
    make.article("Zinsen")
    if role is not None:
        login_as(client, make.user(role=role))
    for address in ("/admin/export/wordpress.xml", "/admin/export"):
        answer = client.get(address)
        assert answer.status_code == status, address
    if status == 200:
        answer = client.get("/admin/export/wordpress.xml")
        assert answer.mimetype == "application/xml"
        assert "attachment" in answer.headers["Content-Disposition"]
        assert b"<title>Zinsen</title>" in answer.data


def test_the_admin_download_with_addresses(app, client, make):
    admin = make.user("chefin", role=UserRole.ADMIN, email="chefin@example.org")
    make.article("Zinsen", author_id=admin.id)
    login_as(client, admin)
    assert b"chefin@example.org" not in client.get("/admin/export/wordpress.xml").data
    assert b"chefin@example.org" in client.get("/admin/export/wordpress.xml?emails=1").data


def test_the_export_is_written_as_it_is_read(app, tmp_path):
    import tracemalloc

    text = "Ein Kommentar über Zinsen, Anleihen und die Geduld der Sparer. " * 8
    posts = [
        P(n, slug=f"a{n}", comments=[C(n * 1000 + i, content=text) for i in range(60)])
        for n in range(1, 41)
    ]
    import_bytes(app, wxr(*posts))
    export_bytes(app)  # once to warm up: modules, statements, the first query plans
    out = tmp_path / "site.xml"
    with app.app_context(), out.open("wb") as stream:
        tracemalloc.start()
        write_wxr(db.session, stream, site_name="D", base_url="http://x", zone=BERLIN, now=utcnow())
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    size = out.stat().st_size
    assert size > 1_500_000
    assert peak < size / 3, (peak, size)
