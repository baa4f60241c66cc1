"""The one text module: Markdown subset, sanitising, links."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from urllib.parse import urlsplit

from hypothesis import given, settings
from hypothesis import strategies as st

from app import text


def test_comment_markdown_subset():
    html = text.render_comment(
        "Ein *kurzer* **Text** mit `code`.\n\n> Zitat\n\n- eins\n- zwei\n\n```\nblock\n```\n\n"
        "[Quelle](https://example.org/a)"
    )
    for fragment in (
        "<em>kurzer</em>",
        "<strong>Text</strong>",
        "<code>code</code>",
        "<blockquote>",
        "<ul>",
        "<li>eins</li>",
        "<pre><code>block",
    ):
        assert fragment in html
    assert '<a href="https://example.org/a" rel="nofollow ugc noopener">Quelle</a>' in html


def test_comments_do_not_get_headings_images_or_tables():
    html = text.render_comment(
        "# Titel\n\n![bild](https://example.org/x.png)\n\n| a |\n|---|\n| b |"
    )
    assert "<h1>" not in html and "<img" not in html and "<table" not in html


def test_raw_html_is_shown_as_text_never_run():
    html = text.render_comment('<script>alert(1)</script> <img src=x onerror="alert(2)">')
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_bare_urls_become_nofollow_links():
    html = text.render_comment("Siehe http://www.thestrategyweb.com/top-banken und mehr")
    assert '<a href="http://www.thestrategyweb.com/top-banken" rel="nofollow ugc noopener">' in html


def test_javascript_links_are_dropped():
    html = text.render_comment("[klick](javascript:alert(1)) <javascript:alert(2)>")
    assert "<a" not in html and "href" not in html


def test_articles_allow_headings_tables_and_images():
    html = text.render_article(
        "## Abschnitt\n\n![Ein Diagramm](https://example.org/d.png)\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |"
    )
    assert "<h2>Abschnitt</h2>" in html
    assert '<img src="https://example.org/d.png" alt="Ein Diagramm">' in html
    assert "<table>" in html


def test_images_without_alt_text_are_found():
    assert text.images_without_alt("![](https://e.org/a.png) ![gut](https://e.org/b.png)") == [
        "https://e.org/a.png"
    ]


def test_excerpt_cuts_at_a_word():
    assert (
        text.excerpt("<p>" + "Wort " * 100 + "</p>", limit=30) == "Wort Wort Wort Wort Wort Wort …"
    )
    assert text.excerpt("<p>kurz &amp; gut</p>") == "kurz & gut"


def test_link_count_sees_anchors_and_bare_urls():
    source = "[a](https://a.example) https://b.example"
    assert text.count_links(source, text.render_comment(source)) == 2


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict]]:
    parser = _Elements()
    parser.feed(html)
    return parser.found


def assert_only_allowed(html: str) -> None:
    for tag, attrs in elements(html):
        assert tag in text.COMMENT_TAGS, tag
        assert set(attrs) <= set(text.COMMENT_ATTRIBUTES.get(tag, [])), (tag, attrs)
        if "href" in attrs:
            assert urlsplit(attrs["href"]).scheme in {"", "http", "https", "mailto"}


def test_naughty_strings_leave_only_allowed_elements_and_attributes(shared_dir):
    for line in json.loads((shared_dir / "corpora" / "blns.json").read_text()):
        assert_only_allowed(text.render_comment(line))


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_input_renders_to_tags_from_the_allow_list(source):
    assert_only_allowed(text.render_comment(source))


def test_the_text_of_rendered_html_is_its_plain_text():
    from app.text import plain_text, render_article, render_comment, text_of_rendered

    sources = [
        "**Fett** und *kursiv* mit `<code>` & [Link](https://example.org?a=1&b=2)",
        "# Titel\n\nAbsatz eins.\n\nAbsatz zwei\n\n- Liste\n- mehr\n\n"
        "> Zitat &amp; <script>x()</script>",
        "<b>roh</b> &lt;b&gt; 'Anführung' \"doppelt\"",
        "**Bank**en im Wort, Zeile\nund Zeile\n\n| a | b |\n| --- | --- |\n| 1 | 2 |",
    ]
    for source in sources:
        for rendered in (render_comment(source), render_article(source)):
            assert text_of_rendered(rendered) == plain_text(rendered)


@settings(max_examples=300, deadline=None)
@given(st.text(), st.integers(min_value=1, max_value=300))
def test_a_quick_excerpt_of_rendered_html_is_the_careful_one(source, limit):
    for rendered in (text.render_comment(source), text.render_imported(source)[0]):
        assert text.excerpt_of_rendered(rendered, limit) == text.excerpt(rendered, limit)


def test_the_quick_text_of_the_naughty_strings_is_the_careful_one(shared_dir):
    """Imported HTML may keep a ">" inside an attribute's quotes: it ends no tag."""
    for line in json.loads((shared_dir / "corpora" / "blns.json").read_text()):
        for rendered in (text.render_comment(line), text.render_imported(line)[0]):
            assert text.text_of_rendered(rendered) == text.plain_text(rendered), line
            assert text.excerpt_of_rendered(rendered, 80) == text.excerpt(rendered, 80), line


def test_code_keeps_its_text_escaped_once():
    from app.text import render_article, render_comment, render_imported

    assert "<code>&lt;b&gt; &amp; i</code>" in render_comment("`<b> & i`")
    assert "<code>&lt;b&gt;</code>" in render_article("Use `<b>` here")
    once = render_imported("The <code>&lt;cite&gt;</code> tag")[0]
    assert "<code>&lt;cite&gt;</code>" in once
    assert render_imported(once)[0] == once
