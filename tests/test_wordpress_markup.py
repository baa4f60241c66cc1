"""WordPress's HTML made plain and safe: paragraphs, captions, embeds, shortcodes, headings."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.extensions import db
from app.imported_html import autop
from app.models import Article, Page, utcnow
from app.services.wordpress import import_wxr
from app.text import render_imported


def test_blank_lines_part_paragraphs_and_single_ones_break_lines():
    assert autop("eins\nzwei\n\ndrei") == "<p>eins<br>\nzwei</p>\n<p>drei</p>\n"


def test_block_elements_are_not_wrapped_or_broken():
    html = autop("Liste:\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\nDanach")
    assert "<p>Liste:</p>" in html and "<p>Danach</p>" in html
    assert "<ul>\n<li>a</li>\n<li>b</li>\n</ul>" in html
    assert "<br>" not in html


def test_preformatted_text_keeps_its_lines():
    html = autop("<pre>a\n\n  b</pre>")
    assert "<pre>a\n\n  b</pre>" in html


def test_a_caption_becomes_a_figure():
    html, lost = render_imported(
        '[caption id="attachment_1" align="alignleft" width="150"]'
        '<img src="https://example.org/a.jpg" alt="Ein Bild" /> Die Bildunterschrift[/caption]'
    )
    assert '<figure><img src="https://example.org/a.jpg" alt="Ein Bild">' in html
    assert "<figcaption>Die Bildunterschrift</figcaption>\n</figure>" in html
    assert lost == []
    old, _ = render_imported(
        '[caption caption="Alt" width="1"]<img src="https://example.org/b.jpg" alt="b">[/caption]'
    )
    assert "<figcaption>Alt</figcaption>" in old


def test_other_shortcodes_are_removed_and_named():
    html, lost = render_imported(
        'Vorher\n\n[gallery ids="1,2,3"]\n\n[audio src="x.mp3"]\n\nNachher'
    )
    assert "[gallery" not in html and "[audio" not in html
    assert lost == ["shortcode [gallery]", "shortcode [audio]"]
    assert "Vorher" in html and "Nachher" in html


def test_brackets_in_prose_and_escaped_shortcodes_stay():
    html, lost = render_imported("Fußnote [1], [sic] und [[gallery]]")
    assert "Fußnote [1], [sic] und [gallery]" in html
    assert lost == []


def test_embeds_and_players_become_links():
    html, lost = render_imported(
        "Schaut:\n\nhttps://www.youtube.com/watch?v=abc\n\n"
        "[embed]https://vimeo.com/1[/embed]\n\n"
        '<iframe src="https://maps.example.org/x"></iframe>'
    )
    for url in (
        "https://www.youtube.com/watch?v=abc",
        "https://vimeo.com/1",
        "https://maps.example.org/x",
    ):
        assert f'<a href="{url}" rel="noopener">{url}</a>' in html
    assert "<iframe" not in html
    assert lost == ["<iframe> (replaced by a link)"]


def test_scripts_are_dropped_and_named_and_nothing_runs():
    html, lost = render_imported(
        '<script>alert(1)</script><a href="javascript:alert(1)">x</a>'
        '<img src="https://e.org/i.png" alt="" onerror="alert(1)">'
    )
    assert "script" not in html.lower() and "onerror" not in html and "javascript" not in html
    assert lost == ["<script>"]


def test_headings_start_at_h2_without_gaps():
    html, _ = render_imported("<h1>A</h1>\n<h4>B</h4>\n<h1>C</h1>")
    assert "<h2>A</h2>" in html and "<h3>B</h3>" in html and "<h2>C</h2>" in html


def test_comments_get_the_comment_allow_list():
    html, _ = render_imported("<h2>Laut</h2>\n\nhttps://example.org", comment=True)
    assert "<h2>" not in html
    assert 'rel="nofollow ugc noopener"' in html


def test_every_imported_theme_page_is_valid_html(app, client, shared_dir):
    from tests.html_checker import check_documents, require_checker

    require_checker()
    data = (shared_dir / "corpora" / "wxr" / "theme-unit-test-data.xml").read_bytes()
    with app.app_context():
        import_wxr(db.session, io.BytesIO(data), now=utcnow(), zone=ZoneInfo("UTC"))
        articles = list(
            db.session.scalars(select(Article.slug).where(Article.published_at <= utcnow()))
        )
        pages = list(db.session.scalars(select(Page.slug)))
    documents = {f"article-{slug}": client.get(f"/articles/{slug}").data for slug in articles}
    documents.update({f"page-{slug}": client.get(f"/pages/{slug}").data for slug in pages})
    assert {name: found for name, found in check_documents(documents).items() if found} == {}
