"""Query words: German folding and stemming, and no query syntax ever reaching an engine."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from app.search.snippets import highlight, snippet
from app.search.terms import MAX_WORDS, fold_umlauts, normalise, parse_query, stem


def test_umlauts_fold_to_their_transliteration():
    assert fold_umlauts(normalise("Bänke Öfen Übung Straße")) == "baenke oefen uebung strasse"


def test_the_light_stemmer_takes_off_inflection_endings():
    cases = {
        "banken": "bank",
        "bank": "bank",
        "kunden": "kund",
        "sparern": "spar",
        "fonds": "fond",
        "kurs": "kurs",  # a short word keeps its s
        "autors": "autor",
        "haus": "haus",
        "zinsen": "zins",
        "einlagen": "einlag",
        "einlagensicherung": "einlagensicherung",
        "sicherungen": "sicherung",
        "see": "see",  # nothing shorter than three letters is left
    }
    assert {word: stem(word) for word in cases} == cases


def test_words_are_split_deduplicated_and_common_ones_left_out():
    terms = parse_query('Die "Banken" und BANKEN, bank-Zinsen*')
    assert [w.plain for w in terms.words] == ["banken", "bank", "zinsen"]
    assert terms.fts5_match() == '"bank"* "bank"* "zins"*'
    assert terms.tsquery() == "'banken':* & 'bank':* & 'zinsen':*"


def test_umlaut_words_are_asked_for_transliterated():
    assert parse_query("Bänke").tsquery() == "'baenke':*"
    assert parse_query("Bänke").fts5_match() == '"baenk"*'


def test_short_words_are_matched_whole():
    terms = parse_query("EU ab")
    assert terms.fts5_match() == '"eu" "ab"'
    assert terms.tsquery() == "'eu' & 'ab'"


def test_only_common_words_leave_nothing_to_search():
    terms = parse_query("und die der")
    assert terms.empty and terms.only_common
    assert not parse_query("").only_common and parse_query("").empty


def test_long_queries_keep_their_first_words():
    terms = parse_query(" ".join(f"wort{n}" for n in range(20)))
    assert len(terms.words) == MAX_WORDS and terms.left_out == 20 - MAX_WORDS


def test_control_characters_are_dropped_from_the_echoed_query():
    assert parse_query("Bank\x00\x07 Zins\u200b").text == "Bank Zins"


_FTS5_WORD = re.compile(r'"[^"\s]+"\*?')
_TS_WORD = re.compile(r"'[^'\s\\]+'(?::\*)?")


@given(st.text(max_size=300))
def test_no_typed_text_becomes_query_syntax(raw):
    terms = parse_query(raw)
    fts5 = terms.fts5_match()
    assert all(_FTS5_WORD.fullmatch(part) for part in fts5.split(" ") if fts5), fts5
    tsquery = terms.tsquery()
    assert all(_TS_WORD.fullmatch(part) for part in tsquery.split(" & ") if tsquery), tsquery
    for word in terms.words:
        assert re.fullmatch(r"[^\W_]+", word.plain) and re.fullmatch(r"[^\W_]+", word.stem)


@given(st.text(max_size=200), st.text(max_size=40))
def test_snippets_escape_everything_but_their_marks(text, query):
    words = parse_query(query).words
    for markup in (snippet(text, words), highlight(text, words)):
        stripped = str(markup).replace("<mark>", "").replace("</mark>", "")
        assert "<" not in stripped and ">" not in stripped


def test_marks_cover_the_forms_the_engines_match():
    words = parse_query("Banken Bänke").words
    marked = str(highlight("Die Bank, die Bänke, die Baenke und der Bankenrat.", words))
    assert marked.count("<mark>") == 4
