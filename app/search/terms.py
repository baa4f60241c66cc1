"""What a typed search query means: its words, folded and stemmed the German way.

Nothing a person types is ever handed to a full-text engine as query syntax. The query is
cut into words (runs of letters and digits; everything else separates them), and each
engine gets expressions built here from those words alone: quoted FTS5 strings for SQLite,
quoted lexemes for PostgreSQL. So ``"``, ``*``, ``NEAR(``, ``:*``, ``!`` or a NUL byte
typed into the box are separators, never operators.

German needs two things of a search: inflected forms must find each other ("Banken" finds
"Bank") and umlauts must match their transliteration ("Baenke" finds "Bänke").

- Umlaut folding: ä→ae, ö→oe, ü→ue, ß→ss. The SQLite index stores the folded text (the
  triggers fold with the same mapping, app/search/schema.py), so folding the query the same
  way makes both spellings one. PostgreSQL indexes the text and, for a text with umlauts,
  its folded form too; the query asks for the folded spelling, which both texts then have.
- Stemming: PostgreSQL's ``german`` dictionary (Snowball) stems both sides. For SQLite, a
  light stemmer here takes the common inflection endings off the query word, and the word
  is searched as a prefix: "Banken" becomes ``bank*``, which finds "Bank", "Banken" and the
  compounds that begin with it ("Bankenrating"); "Einlagensicherung" finds
  "Einlagensicherungsfonds". A compound part in the middle of a word is not found by
  either engine (neither splits German compounds).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_WORDS = 8  # more words narrow a search to nothing; the rest are left out, and said so
MAX_WORD_LENGTH = 60  # the longest German compounds; longer runs are cut
PREFIX_FROM = 3  # shorter words are matched whole: a one-letter prefix matches everything

_WORD = re.compile(r"[^\W_]+")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
# Endings taken off, longest first; what is left keeps at least PREFIX_FROM letters.
_ENDINGS = ("ern", "em", "en", "er", "es", "e", "s")
# An "s" is only an ending after these letters (as in "Fonds", not in "Haus").
_S_ENDING_AFTER = frozenset("bdfghklmnrt")
# Words too common to narrow a search; both engines would match almost everything with them.
STOP_WORDS = frozenset([
    "aber", "als", "am", "an", "auch", "auf", "aus", "bei", "bin", "bis", "da", "das", "dass",
    "dem", "den", "der", "des", "die", "doch", "dort", "du", "ein", "eine", "einem", "einen",
    "einer", "eines", "er", "es", "fuer", "für", "hat", "hatte", "ich", "ihr", "im", "in",
    "ins", "ist", "ja", "kein", "keine", "man", "mit", "nach", "nicht", "noch", "nur", "ob",
    "oder", "so", "sie", "sind", "um", "und", "uns", "von", "vom", "vor", "war", "was", "wer",
    "wie", "wir", "wird", "zu", "zum", "zur", "a", "an", "and", "are", "as", "at", "be", "by",
    "for", "from", "in", "is", "it", "of", "on", "or", "that", "the", "this", "to", "was",
    "with",
])  # fmt: skip


def normalise(text: str) -> str:
    """Compatibility-composed and case-folded ("Straße" → "strasse", "ﬁ" → "fi")."""
    return unicodedata.normalize("NFKC", text).casefold()


def fold_umlauts(word: str) -> str:
    """The transliterated spelling of a case-folded word: "bänke" → "baenke"."""
    return word.translate(_UMLAUTS)


def stem(folded: str) -> str:
    """A light German stem of a folded, lower-case word: "banken" → "bank"."""
    for ending in _ENDINGS:
        if not folded.endswith(ending):
            continue
        rest = folded[: -len(ending)]
        if len(rest) < PREFIX_FROM:
            continue
        if ending == "s" and (len(rest) <= PREFIX_FROM or rest[-1] not in _S_ENDING_AFTER):
            continue  # "Kurs" and "Haus" keep their s; "Fonds" and "Autors" lose it
        return rest
    return folded


def highlight_key(word: str) -> str:
    """A loose form for marking matches in a snippet: umlauts and their transliteration
    alike ("Bänke", "Baenke" and "Banke" all give "banke")."""
    folded = normalise(word)
    for pair, single in (("ae", "a"), ("oe", "o"), ("ue", "u")):
        folded = folded.replace(pair, single)
    return folded.translate(str.maketrans({"ä": "a", "ö": "o", "ü": "u"}))


@dataclass(frozen=True)
class Word:
    """One word of a query, in the forms the engines and the snippets need."""

    plain: str  # normalised, umlauts kept
    folded: str  # umlauts transliterated: what both indexes are asked for
    stem: str  # folded and stemmed: searched as a prefix in SQLite

    @property
    def as_prefix(self) -> bool:
        return len(self.stem) >= PREFIX_FROM

    @property
    def marks(self) -> str:
        """What a word in a snippet must begin with (in highlight_key form) to be marked."""
        return highlight_key(self.stem if self.as_prefix else self.folded)


@dataclass(frozen=True)
class SearchTerms:
    """The words a query searches for; empty when nothing searchable was typed."""

    text: str  # the query as typed, without control characters, for the form and the page
    words: tuple[Word, ...]
    left_out: int = 0  # words beyond MAX_WORDS
    only_common: bool = False  # every word was a stop word

    @property
    def empty(self) -> bool:
        return not self.words

    def fts5_match(self) -> str:
        """The FTS5 MATCH expression: every word a quoted string, most as a prefix."""
        return " ".join(f'"{w.stem}"*' if w.as_prefix else f'"{w.folded}"' for w in self.words)

    def tsquery(self) -> str:
        """The text for PostgreSQL's ``to_tsquery``: quoted lexemes joined by AND.

        Built from words of letters and digits only, so nothing in it is the query's own
        syntax; the prefix mark ``:*`` is the reason to_tsquery is used here, not
        websearch_to_tsquery (which cannot express it). Words go in transliterated: every
        text with umlauts is indexed in that spelling too (app/search/schema.py), so "Bänke"
        and "Baenke" find both spellings, and one spelling is one index lookup.
        """
        return " & ".join(f"'{w.folded}':*" if w.as_prefix else f"'{w.folded}'" for w in self.words)


def _printable(text: str) -> str:
    """The query without control characters (NUL and the like), for echoing it back."""
    return "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch == " ").strip()


def parse_query(raw: str | None, max_length: int = 500) -> SearchTerms:
    """The search words of *raw*: at most MAX_WORDS distinct ones, common words left out."""
    text = _printable((raw or "")[: max_length * 4])[:max_length]
    seen: dict[str, Word] = {}
    common = 0
    for match in _WORD.finditer(normalise(text)):
        plain = match.group()[:MAX_WORD_LENGTH]
        if plain in STOP_WORDS:
            common += 1
            continue
        folded = fold_umlauts(plain)
        if folded not in seen:
            seen[folded] = Word(plain=plain, folded=folded, stem=stem(folded))
    words = tuple(seen.values())
    return SearchTerms(
        text=text,
        words=words[:MAX_WORDS],
        left_out=max(len(words) - MAX_WORDS, 0),
        only_common=common > 0 and not words,
    )
