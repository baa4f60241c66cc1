"""The importer's parsers, without a database: front matter and old blog pages."""

import json
import re
from datetime import date, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.services.importer.front_matter import (
    ARTICLE_KEYS,
    has_front_matter,
    parse_markdown_article,
    split_front_matter,
    split_topics,
)
from app.services.importer.plaintext import looks_like_name, markdown_line, parse_page
from app.services.importer.source import SourceError
from app.text import plain_text, render_article

ARTICLE = """---
title: Größere Übungen für Banken
author: Clara Hoffmann
date: 2024-03-05 09:30
topics: Banken, Regulierung
slug: uebungen
summary: "Warum Stresstests mehr sind als Pflicht."
---

Ein Absatz mit einem [Link](https://www.bafin.de/).

- erstens
- zweitens
"""


def test_a_complete_front_matter_header():
    source = parse_markdown_article(ARTICLE)
    assert source.title == "Größere Übungen für Banken"
    assert source.author == "Clara Hoffmann"
    assert (source.day, source.time) == (date(2024, 3, 5), time(9, 30))
    assert source.topics == ["Banken", "Regulierung"]
    assert source.slug == "uebungen"
    assert source.summary == "Warum Stresstests mehr sind als Pflicht."
    assert source.body.startswith("Ein Absatz mit einem [Link](https://www.bafin.de/).")
    assert "- zweitens" in source.body


def test_optional_keys_may_be_missing_and_line_endings_vary():
    text = "\ufeff---\r\ntitle: Kurz\r\nauthor: A. Autor\r\n---\r\nText.\r\n"
    source = parse_markdown_article(text)
    assert (source.title, source.author, source.body) == ("Kurz", "A. Autor", "Text.\n")
    assert source.day is None and source.slug is None and source.topics == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("title: Ohne Kopf\n\nText", "must begin with a '---' line"),
        ("---\ntitle: Offen\nauthor: A B\nText", "no closing '---' line"),
        ("---\nauthor: A B\n---\nText", "lacks title"),
        ("---\ntitle: T\n---\nText", "lacks author"),
        ("---\ntitle:\nauthor: A B\n---\nText", "lacks title"),
        ("---\ntitle: T\nauthor: A B\ntitel: X\n---\nText", "line 4: unknown key 'titel'"),
        ("---\ntitle: T\ntitle: U\nauthor: A B\n---\nText", "line 3: 'title' is given twice"),
        ("---\ntitle: T\nauthor: A B\nnur Text\n---\nText", "line 4: expected 'key: value'"),
        ("---\ntitle: T\nauthor: A B\ndate: 5.3.2024\n---\nText", "use YYYY-MM-DD"),
        ("---\ntitle: T\nauthor: A B\ndate: 2024-02-30\n---\nText", "not a real date"),
        ("---\ntitle: T\nauthor: A B\nslug: Mit Leerzeichen\n---\nText", "slug 'Mit Leerzeichen'"),
        ("---\ntitle: T\nauthor: A B\n---\n  \n", "has no text"),
        ("---\ntitle: " + "x" * 201 + "\nauthor: A B\n---\nText", "title is longer than 200"),
        ("---\ntitle: T\nauthor: A B\ntopics: " + "y" * 81 + "\n---\nText", "longer than 80"),
    ],
)
def test_a_bad_header_is_refused_with_a_reason(text, problem):
    with pytest.raises(SourceError) as caught:
        parse_markdown_article(text)
    assert problem in str(caught.value)


def test_front_matter_helpers():
    assert has_front_matter("\n---\ntitle: x\n---\n")
    assert not has_front_matter("title\n\nBlog\n")
    assert not has_front_matter("")
    assert split_topics("[Banken, 'Geld anlegen', ]") == ["Banken", "Geld anlegen"]
    fields, body = split_front_matter("---\n# a note\nTitle: X\n---\nB", ARTICLE_KEYS)
    assert fields == {"title": "X"} and body == "B"


# --- pages saved from the old blog ---------------------------------------------------------


def seed(shared_dir, prefix):
    (path,) = (shared_dir / "seeds").glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def test_the_2012_seed_page(shared_dir):
    source = parse_page(seed(shared_dir, "003"))
    assert source.title == "Banken in der Partizipationsmaschine"
    assert source.author == "Dr. Oliver Everling"
    assert (source.day, source.time) == (date(2012, 11, 25), None)
    assert source.topics == ["Bankenrating", "Nachrichten"]
    assert source.body.startswith("Social Media ist vor allem anderen")
    assert source.body.rstrip().endswith("Anlagestrategien positioniert.“")
    for furniture in ("Home", "Von Dr.", "Themen:", "Kommentar", "eingelogged"):
        assert furniture not in source.body


def test_the_undated_seed_page(shared_dir):
    source = parse_page(seed(shared_dir, "000"))
    assert source.title == "Social Media ist nicht gleich Social Media"
    assert source.author == "Boris Janek"
    assert source.day is None and source.topics == []
    paragraphs = source.body.strip().split("\n\n")
    assert paragraphs[0].startswith("Seitdem ich aufgehört habe")
    assert paragraphs[-1] == "<http://ethikbank.blog.de/>"
    assert not {"title", "Blog", "Boris Janek", "Post A Comment", "Schließen"} & set(paragraphs)
    for furniture in ("AUTHOR", "Lesen Sie", "finance20", "ow.ly", "\u00a0\n"):
        assert furniture not in source.body
    links = re.findall(r'href="([^"]+)"', render_article(source.body))
    assert links == [
        "http://www.thestrategyweb.com/top-banken-naehern-sich-social-web-langsam",
        "http://lochmaier.wordpress.com/2010/05/14/ausgeleuchtet-deutsche-vermogensberatung"
        "-dvag-funkt-social-media-ans-y-gen-fruher-an-spater-denken/",
        "http://ethikbank.blog.de/",
    ]


LAYOUT = """\u00a0
\u00a0 \u00a0
Blog
title
‹ Früher | Home | Später ›
{head}
Ein erster Absatz über Zinsen, mit https://example.org/zins. Und Punkt.
\u00a0
Ein zweiter Absatz.
{tail}
Themen: Geldanlage ,Zinsen | 3 Kommentare »
Kommentare
Anna Leserin schrieb: ein Kommentar eines Lesers, kein Artikeltext.
Du musst angemeldet sein, um einen Kommentar zu schreiben.
Lesen Sie den nächsten Eintrag: Etwas ganz anderes http://ow.ly/x
Schliessen
"""


@pytest.mark.parametrize(
    ("head", "tail", "author", "when"),
    [
        ("Zinsen im Wandel\nVon Anna von Berg | 3. März 2011 | 2 Kommentare", "", "Anna von Berg",
         (date(2011, 3, 3), None)),
        ("Zinsen im Wandel\nVon Anna Berg", "Anna Berg", "Anna Berg", None),
        ("Zinsen im Wandel\n4. Mai 2010, 08:15 Uhr", "Autor: Anna Berg\nAnna Berg", "Anna Berg",
         (date(2010, 5, 4), time(8, 15))),
        ("Zinsen im Wandel", "Dr. Anna Berg", "Dr. Anna Berg", None),
        ("Von Dr. Anna Berg | 1.5.2010\nZinsen im Wandel", "Anna Berg", "Dr. Anna Berg",
         (date(2010, 5, 1), None)),
    ],
)  # fmt: skip
def test_other_layouts_are_recognised_by_pattern(head, tail, author, when):
    source = parse_page(LAYOUT.format(head=head, tail=tail))
    assert source.title == "Zinsen im Wandel"
    assert source.author == author
    assert ((source.day, source.time) if source.day else None) == when
    assert source.topics == ["Geldanlage", "Zinsen"]
    assert source.body == (
        "Ein erster Absatz über Zinsen, mit <https://example.org/zins>. Und Punkt.\n\n"
        "Ein zweiter Absatz.\n"
    )


@pytest.mark.parametrize(
    "notice",
    [
        "Sie müssen eingelogged sein um einen Kommentar zu posten.",
        "Sie müssen eingeloggt sein, um einen Kommentar zu schreiben.",
        "Um zu kommentieren, müssen Sie angemeldet sein.",
        "You must be logged in to post a comment.",
    ],
)
def test_login_notices_are_dropped_wherever_they_stand(notice):
    source = parse_page(f"Titel\n\nvon Anna Berg | 1. Mai 2010\n\n{notice}\n\nText.\n")
    assert (source.author, source.body) == ("Anna Berg", "Text.\n")


def test_a_sentence_about_logging_in_is_text():
    line = "Wer angemeldet ist, kann kommentieren."
    source = parse_page(f"Titel\n\nVon Anna Berg | 1. Mai 2010\n\n{line}\n")
    assert source.body == line + "\n"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("title\n\nBlog\n\n« | Home | »\n\nKommentare\n", "no title found"),
        ("Ein Titel\n\nNur Text, keine Unterschrift.\n", "no author found"),
        ("x" * 300 + "\n\nVon A B | 1. Mai 2010\n", "not a heading"),
        ("Titel\nVon A B | 31. Februar 2010\nText\n", "not a real date"),
        ("Titel\nVon A B | 1. Mai 2010\n\nSchließen\n", "has no text"),
    ],
)
def test_a_page_without_an_article_is_refused(text, problem):
    with pytest.raises(SourceError) as caught:
        parse_page(text)
    assert problem in str(caught.value)


def test_names():
    for name in (
        "Boris Janek",
        "Dr. Oliver Everling",
        "Anna von Berg",
        "Jean-Luc Müller-Lüdenscheidt",
    ):
        assert looks_like_name(name), name
    for text in ("Boris", "Mit oder ohne Internet", "Schöne Grüße!", "Das ist ein Satz.", ""):
        assert not looks_like_name(text), text


@pytest.mark.parametrize(
    ("line", "markdown"),
    [
        ("# keine Überschrift", "\\# keine Überschrift"),
        ("1. Mai ist kein Listenpunkt", "1\\. Mai ist kein Listenpunkt"),
        ("- auch kein Punkt", "\\- auch kein Punkt"),
        ("> kein Zitat", "\\> kein Zitat"),
        ("a_b *c* `d` [e](f) <g> &amp; | ~~h~~", None),
        (
            "Siehe www.example.org/a_b.",
            "Siehe [www.example.org/a\\_b](<http://www.example.org/a_b>).",
        ),
        ("(https://example.org/x_(y))", "(<https://example.org/x_(y)>)"),
        ("http://localhost ist keine Adresse", None),
    ],
)
def test_plain_text_becomes_markdown_that_shows_the_same_text(line, markdown):
    converted = markdown_line(line)
    if markdown is not None:
        assert converted == markdown
    assert plain_text(render_article(converted)) == line


def test_bare_urls_become_links():
    html = render_article(
        markdown_line("Quelle: https://example.org/a?b=1&c=2, mehr unter www.example.com.")
    )
    assert html.count("<a ") == 2
    assert 'href="https://example.org/a?b=1&amp;c=2"' in html
    assert 'href="http://www.example.com"' in html


@given(st.text(alphabet=st.sampled_from(list("ab1ä #*_-+=>.<)[]`~|&;\\!:/(")), max_size=40))
def test_any_line_of_text_survives_as_text(line):
    line = " ".join(line.split())
    assert plain_text(render_article(markdown_line(line))) == line


def test_naughty_strings_stay_text(shared_dir):
    for naughty in json.loads((shared_dir / "corpora" / "blns.json").read_text()):
        line = " ".join(naughty.split())
        if not line:
            continue
        html = render_article(markdown_line(line))
        for name, attributes in re.findall(r"</?(\w+)([^>]*)>", html):
            assert name in {"p", "a"}, (line, html)
            assert not re.search(r"\son\w+=|javascript:", attributes, re.I), (line, html)
