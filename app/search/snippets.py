"""Snippets: a short passage of a found text around the first match, the matches marked.

Built in Python from the plain text of the rendered HTML, the same way on SQLite and
PostgreSQL: a word is marked when its loose form (terms.highlight_key) begins with one of
the searched words' stems, which is what the engines matched. Every piece of text is
escaped; only the ``<mark>`` elements made here are markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import Markup, escape

from app.search.terms import Word, highlight_key

_WORD = re.compile(r"[^\W_]+")
ELLIPSIS = "…"


_FIRST_LETTER = str.maketrans({"ä": "a", "ö": "o", "ü": "u"})


def _is_match(word: str, marks: tuple[str, ...]) -> bool:
    # Most words of a long text begin with another letter than every mark: a cheap look at
    # the first letter spares them the full normalisation.
    first = word[:1].casefold().translate(_FIRST_LETTER)
    if not any(mark.startswith(first) for mark in marks):
        return False
    key = highlight_key(word)
    return any(key.startswith(mark) for mark in marks)


def _mark(text: str, marks: tuple[str, ...]) -> Markup:
    parts: list[str | Markup] = []
    last = 0
    for found in _WORD.finditer(text):
        if _is_match(found.group(), marks):
            parts.append(text[last : found.start()])
            parts.append(Markup("<mark>%s</mark>") % found.group())
            last = found.end()
    parts.append(text[last:])
    return Markup("").join(escape(part) for part in parts)


def _marks(words: Iterable[Word]) -> tuple[str, ...]:
    return tuple(word.marks for word in words if word.marks)


def highlight(text: str, words: Iterable[Word]) -> Markup:
    """All of *text* (a title, say), escaped, with the matching words marked."""
    return _mark(text, _marks(words))


def snippet(text: str, words: Iterable[Word], length: int = 240) -> Markup:
    """About *length* characters of *text* from a little before its first match, marked.

    Without a match in *text* (the words were found in the title, or in a link's address),
    the snippet is the beginning of the text.
    """
    marks = _marks(words)
    start = 0
    for found in _WORD.finditer(text):
        if _is_match(found.group(), marks):
            start = found.start()
            break
    if start > length // 4:  # begin a few words before the match, at a word's start
        lead = text.rfind(" ", 0, start - length // 4)
        start = lead + 1 if lead >= 0 else 0
    else:
        start = 0
    end = start + length
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > start else end
    passage = _mark(text[start:end], marks)
    before = ELLIPSIS + " " if start > 0 else ""
    after = " " + ELLIPSIS if end < len(text) else ""
    return Markup("").join([escape(before), passage, escape(after)])
