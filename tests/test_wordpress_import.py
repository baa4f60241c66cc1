"""``flask import wordpress``: the real exports in ../shared/corpora/wxr arrive complete."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import defusedxml.ElementTree as ET
import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    Article,
    Comment,
    CommentStatus,
    LegacyPath,
    Page,
    Topic,
    User,
    UserKind,
    UserRole,
    article_topics,
    utcnow,
)
from app.services.wordpress import import_wxr
from app.text import plain_text
from tests.wxr_support import C, P, wxr, xml_safe

BERLIN = ZoneInfo("Europe/Berlin")
WP = "{https://wordpress.org/export/1.2/}"
TABLES = (User, Article, Page, Topic, Comment, LegacyPath)


def run(app, data: bytes, *, dry_run: bool = False):
    with app.app_context():
        return import_wxr(db.session, io.BytesIO(data), now=utcnow(), zone=BERLIN, dry_run=dry_run)


def counts(app) -> dict[str, int]:
    with app.app_context():
        found = {
            t.__tablename__: db.session.scalar(select(func.count()).select_from(t)) for t in TABLES
        }
        found["article_topics"] = db.session.scalar(
            select(func.count()).select_from(article_topics)
        )
        return found


@pytest.fixture
def theme_data(shared_dir) -> bytes:
    return (shared_dir / "corpora" / "wxr" / "theme-unit-test-data.xml").read_bytes()


def _gmt(raw: str) -> datetime | None:
    if not raw or raw.startswith("0000"):
        return None
    return datetime.strptime(raw, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)


def test_theme_unit_test_data_arrives_with_states_parents_and_dates(app, theme_data):
    report = run(app, theme_data)
    root = ET.fromstring(theme_data)
    posts = pages = 0
    with app.app_context():
        for item in root.iter("item"):
            kind = (item.findtext(f"{WP}post_type") or "").strip()
            wp_id = int(item.findtext(f"{WP}post_id"))
            status = (item.findtext(f"{WP}status") or "").strip()
            if kind == "page":
                pages += 1
                page = db.session.scalar(select(Page).where(Page.wp_id == wp_id))
                assert (page is not None) == (status == "publish"), wp_id
                continue
            if kind != "post":
                continue
            posts += 1
            article = db.session.scalar(select(Article).where(Article.wp_id == wp_id))
            assert article is not None, wp_id
            protected = bool((item.findtext(f"{WP}post_password") or "").strip())
            if status in ("publish", "future") and not protected:
                assert article.published_at == _gmt(item.findtext(f"{WP}post_date_gmt")), wp_id
            else:
                assert article.published_at is None, wp_id
            if status == "future":
                assert article.published_at > utcnow()
            names = {
                (c.text or "").strip()
                for c in item.findall("category")
                if c.get("domain") in ("category", "post_tag")
            }
            assert len(article.topics) <= len(names)
            assert bool(article.topics) == bool(names), wp_id
            for element in item.findall(f"{WP}comment"):
                comment_id = int(element.findtext(f"{WP}comment_id"))
                approved = (element.findtext(f"{WP}comment_approved") or "").strip()
                comment = db.session.scalar(select(Comment).where(Comment.wp_id == comment_id))
                if approved not in ("0", "1"):
                    assert comment is None
                    continue
                expected = CommentStatus.VISIBLE if approved == "1" else CommentStatus.PENDING
                assert comment.status is expected
                assert comment.article_id == article.id
                assert comment.created_at == _gmt(element.findtext(f"{WP}comment_date_gmt"))
                parent = int(element.findtext(f"{WP}comment_parent") or 0)
                if parent:
                    parent_row = db.session.get(Comment, comment.parent_id)
                    assert parent_row.wp_id == parent
                    assert comment.depth == parent_row.depth + 1
                else:
                    assert comment.parent_id is None and comment.depth == 1
        assert posts == report.created["articles"]
        visible = db.session.scalar(
            select(func.sum(Article.visible_comment_count)).where(Article.wp_id.is_not(None))
        )
        assert visible == db.session.scalar(
            select(func.count()).where(Comment.status == CommentStatus.VISIBLE)
        )
    assert report.skipped["attachment (no equivalent here)"] > 0
    assert any("shortcode [gallery]" in line for line in report.losses)
    assert report.unkept["commenters' web addresses (no place for them here)"] > 0
    assert any("web addresses" in line for line in report.lines())


def test_slashes_and_escaping_survive(app, shared_dir):
    run(app, (shared_dir / "corpora" / "wxr" / "slashes.xml").read_bytes())
    with app.app_context():
        article = db.session.scalar(select(Article).where(Article.wp_id == 1))
        assert article.body == 'Slashes aren\\\'t \\"cool\\"'
        assert 'Slashes aren\\\'t \\"cool\\"' in article.body_html.replace("&quot;", '"')
        comment = db.session.scalar(select(Comment).where(Comment.wp_id == 1))
        assert comment.body == "\\o/ ¯\\_(ツ)_/¯"
        assert "\\o/ ¯\\_(ツ)_/¯" in comment.body_html
        names = set(db.session.scalars(select(Topic.name)))
        assert {'a \\"great\\" category', "foo\\'bar"} <= names


def _as_xml_reads_it(value: str) -> str:
    """What an XML parser hands back of *value*: line ends unified (XML 1.0, 2.11)."""
    return xml_safe(value).replace("\r\n", "\n").replace("\r", "\n")


def test_blns_in_titles_and_comments(app, shared_dir):
    strings = json.loads((shared_dir / "corpora" / "blns.json").read_text("utf-8"))
    posts = [
        P(
            index + 1,
            title=value or "leer",
            slug=f"blns-{index}",
            content=value,
            comments=[C(10_000 + index, author=value[:30], content=value or "leer")],
        )
        for index, value in enumerate(strings)
    ]
    run(app, wxr(*posts))
    with app.app_context():
        stored = {a.wp_id: a for a in db.session.scalars(select(Article))}
        assert len(stored) == len(posts)
        for post in posts:
            article = stored[post.wp_id]
            assert article.title == (plain_text(xml_safe(post.title))[:200] or f"#{post.wp_id}")
            assert article.body == _as_xml_reads_it(post.content)  # the source, unchanged
            assert "<script" not in article.body_html.lower()
        sources = {post.comments[0].wp_id: post.comments[0].content for post in posts}
        for comment in db.session.scalars(select(Comment)):
            assert comment.body == _as_xml_reads_it(sources[comment.wp_id])
            assert "<script" not in comment.body_html.lower()
            assert "onerror" not in comment.body_html.lower() or "&lt;" in comment.body_html


def test_dry_run_writes_nothing_and_counts_what_it_would_do(app):
    data = wxr(P(1, comments=[C(5), C(6, parent=5), C(7, approved="spam")]))
    before = counts(app)
    report = run(app, data, dry_run=True)
    assert counts(app) == before
    assert report.created["articles"] == 1 and report.created["comments"] == 2
    assert report.skipped["comment marked spam"] == 1
    assert "nothing was written" in report.lines()[0]


def test_importing_again_updates_and_adds_nothing(app):
    data = wxr(P(1, comments=[C(5), C(6, parent=5)]), P(2, slug="zwei", title="Zwei"))
    run(app, data)
    first = counts(app)
    report = run(app, data)
    assert counts(app) == first
    assert report.created.total() == 0
    assert report.updated["articles"] == 2 and report.updated["comments"] == 2


def test_replies_before_their_parent_find_it(app):
    run(app, wxr(P(1, comments=[C(9, parent=8), C(10, parent=9), C(8)])))
    with app.app_context():
        reply = db.session.scalar(select(Comment).where(Comment.wp_id == 9))
        parent = db.session.scalar(select(Comment).where(Comment.wp_id == 8))
        answer = db.session.scalar(select(Comment).where(Comment.wp_id == 10))
        assert reply.parent_id == parent.id and reply.depth == 2
        assert answer.parent_id == reply.id and answer.depth == 3


def test_guests_are_one_per_name_and_address_and_cannot_log_in(app, client):
    run(app, wxr(P(1, comments=[C(5), C(6), C(7, author="Anna", email="anna@example.net")])))
    with app.app_context():
        guests = list(db.session.scalars(select(User).where(User.kind == UserKind.GUEST)))
        assert sorted(g.username for g in guests) == ["Anna", "Gast"]
        for guest in guests:
            assert guest.email is None and guest.email_key is None
            assert guest.password_hash is None and not guest.is_active
        assert {g.claim_email for g in guests} == {"anna@example.net", "gast@example.net"}
        author = db.session.scalar(select(User).where(User.wp_id == 7))
        assert author.kind is UserKind.ACCOUNT and author.password_hash is None
    page = client.get("/login")
    assert page.status_code == 200
    from tests.support import csrf_token

    answer = client.post(
        "/login",
        data={"username": "Gast", "password": "", "csrf_token": csrf_token(page.data)},
    )
    assert b"/logout" not in answer.data


def test_guest_comments_show_the_name_never_the_address(app, client):
    run(
        app, wxr(P(1, slug="zinsen", comments=[C(5, author="Anna Gast", email="anna@example.net")]))
    )
    with app.app_context():
        slug = db.session.scalar(select(Article.slug).where(Article.wp_id == 1))
    page = client.get(f"/articles/{slug}")
    assert page.status_code == 200
    assert "Anna Gast" in page.get_data(as_text=True)
    assert "anna@example.net" not in page.get_data(as_text=True)


def test_guests_never_hear_of_anything(app):
    from app.models import NoticeKind
    from app.services.notifications.rules import recipient_may_hear

    run(app, wxr(P(1, comments=[C(5)])))
    with app.app_context():
        guest = db.session.scalar(select(User).where(User.kind == UserKind.GUEST))
        assert not any(recipient_may_hear(kind, guest, utcnow()) for kind in NoticeKind)


def test_a_reply_to_a_guest_tells_the_guest_nothing(app, client, make):
    from app.models import Notice, NoticeKind
    from tests.comment_helpers import post_comment
    from tests.support import login_as

    app.config["COMMENT_MODERATION"] = "none"  # the reply goes live at once
    run(app, wxr(P(1, comments=[C(5, author="Anna", email="anna@example.net")])))
    with app.app_context():
        article = db.session.scalar(select(Article).where(Article.wp_id == 1))
        guest_comment = db.session.scalar(select(Comment).where(Comment.wp_id == 5))
        guest_id = guest_comment.author_id
        db.session.expunge(article)
    member = make.user("bert", email="bert@example.org")
    follower = make.user("carla", email="carla@example.org")
    login_as(client, member)
    with app.app_context():
        from app.models import ArticleFollow

        db.session.add(ArticleFollow(user_id=guest_id, article_id=article.id))
        db.session.add(ArticleFollow(user_id=follower.id, article_id=article.id))
        db.session.commit()
    answer = post_comment(client, article, "Eine Antwort an Anna.", guest_comment.id)
    assert answer.status_code == 302
    with app.app_context():
        reply = db.session.scalar(select(Comment).where(Comment.author_id == member.id))
        assert reply.parent_id == guest_comment.id and reply.status is CommentStatus.VISIBLE
        told = set(db.session.scalars(select(Notice.recipient_id)))
        assert guest_id not in told
        assert follower.id in told  # the notices were written, only not to the guest
        kinds = set(db.session.scalars(select(Notice.kind)))
        assert NoticeKind.FOLLOWED in kinds


def test_every_imported_page_renders_for_readers_and_staff(app, client, make, theme_data):
    from tests.support import login_as

    run(app, theme_data)
    with app.app_context():
        articles = list(
            db.session.scalars(select(Article.slug).where(Article.published_at <= utcnow()))
        )
        pages = list(db.session.scalars(select(Page.slug)))
        guest = db.session.scalar(select(User.id).where(User.kind == UserKind.GUEST))
    for slug in articles:
        assert client.get(f"/articles/{slug}").status_code == 200, slug
    for slug in pages:
        assert client.get(f"/pages/{slug}").status_code == 200, slug
    assert client.get("/").status_code == 200
    assert client.get("/topics").status_code == 200
    login_as(client, make.user(role=UserRole.ADMIN))
    for address in ("/moderation/", "/admin/users", f"/admin/users/{guest}", "/admin/articles"):
        assert client.get(address).status_code == 200, address


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
def test_every_wxr_version_is_read(app, version):
    data = wxr(P(1, comments=[C(5)])).replace(b"export/1.2/", f"export/{version}/".encode())
    report = run(app, data)
    assert report.created["articles"] == 1 and report.created["comments"] == 1
    assert report.created["topics"] == 2


def test_valid_wxr_1_1_from_the_corpus(app, shared_dir):
    report = run(app, (shared_dir / "corpora" / "wxr" / "valid-wxr-1.1.xml").read_bytes())
    assert report.created["articles"] == 1 and report.created["pages"] == 1
    assert report.created["comments"] == 1
    assert report.skipped["term of taxonomy post_tax"] == 1
    with app.app_context():
        article = db.session.scalar(select(Article).where(Article.wp_id == 1))
        assert {t.name for t in article.topics} == {"alpha", "Clippable"}
        assert article.author_name == "John Doe"
        assert article.published_at == datetime(2010, 10, 16, 20, 53, 18, tzinfo=UTC)


def test_imported_articles_and_comments_are_found_by_the_search(app, client):
    from tests.search_support import finds_article, finds_comment

    run(
        app,
        wxr(
            P(
                1,
                slug="pfandbriefe",
                content="Über <strong>Pfandbriefe</strong> und Sparbriefe.",
                comments=[C(5, content="Bundesanleihen sind mir lieber.")],
            )
        ),
    )
    with app.app_context():
        comment_id = db.session.scalar(select(Comment.id).where(Comment.wp_id == 5))
    assert finds_article(client, "Pfandbrief", "pfandbriefe")
    assert finds_comment(client, "Bundesanleihe", comment_id)


def test_the_more_mark_gives_the_teaser_of_lists(app):
    run(
        app,
        wxr(
            P(1, slug="mit-mehr", content="Der Anfang.\n\n<!--more-->\n\nDer lange Rest."),
            P(2, slug="ohne", content="Alles in einem."),
        ),
    )
    with app.app_context():
        marked = db.session.scalar(select(Article).where(Article.wp_id == 1))
        assert marked.excerpt == "Der Anfang."
        assert "Der lange Rest." in marked.body_html and "more" not in marked.body_html
        plain = db.session.scalar(select(Article).where(Article.wp_id == 2))
        assert plain.excerpt == "Alles in einem."
