"""The two German blog posts in ../shared/seeds, moved over as a WordPress export would carry
them: paragraphs by blank lines, umlauts, topics, a comment thread and the old address."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Article, utcnow
from app.services.importer.plaintext import parse_page
from app.services.slugs import slugify
from app.services.wordpress import import_wxr
from app.text import text_of_rendered
from tests.wxr_support import C, P, wxr


@pytest.fixture
def seed_posts(shared_dir) -> list[P]:
    posts = []
    for number, path in enumerate(sorted((shared_dir / "seeds").glob("*.txt")), start=1):
        source = parse_page(path.read_text("utf-8"))
        day = source.day.isoformat() if source.day else "2010-01-01"
        posts.append(
            P(
                100 + number,
                title=source.title,
                slug=slugify(source.title),
                content=source.body,
                date=f"{day} 10:00:00",
                date_gmt=f"{day} 09:00:00",
                terms=[("category", slugify(t), t) for t in source.topics],
                comments=[
                    C(500 + number, author="Jürgen Groß", content="Schöner Beitrag, danke!"),
                    C(600 + number, author="Die Redaktion", content="Gern.", parent=500 + number),
                ],
            )
        )
    assert len(posts) == 2
    return posts


def test_the_seed_posts_arrive_whole(app, client, seed_posts):
    with app.app_context():
        import_wxr(db.session, io.BytesIO(wxr(*seed_posts)), now=utcnow(), zone=ZoneInfo("UTC"))
        for post in seed_posts:
            article = db.session.scalar(select(Article).where(Article.wp_id == post.wp_id))
            paragraphs = [part for part in post.content.split("\n\n") if part.strip()]
            assert article.body_html.count("<p>") == len(paragraphs)
            assert text_of_rendered(article.body_html).startswith(paragraphs[0].split()[0])
            assert sorted(t.name for t in article.topics) == sorted(n for _, _, n in post.terms)
            assert article.visible_comment_count == 2
    for post in seed_posts:
        moved = client.get(f"/?p={post.wp_id}")
        assert moved.status_code == 301
        page = client.get(moved.headers["Location"]).get_data(as_text=True)
        assert "Jürgen Groß" in page and "Schöner Beitrag, danke!" in page
