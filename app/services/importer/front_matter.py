"""Markdown files with a front-matter header, for the importer and the demo content.

The header is ``key: value`` lines between two ``---`` lines::

    ---
    title: Größere Übungen für Banken
    author: Clara Hoffmann
    date: 2024-03-05 09:30
    topics: Banken, Regulierung
    slug: groessere-uebungen      (optional)
    summary: Ein Satz für die Liste.  (optional)
    ---
    The article's Markdown ...
"""

from __future__ import annotations

import re
from collections.abc import Collection

from app.services.importer.dates import DateFormatError, parse_iso_date
from app.services.importer.source import ArticleSource, SourceError
from app.services.slugs import is_valid_slug

FENCE = "---"
ARTICLE_KEYS = frozenset({"title", "author", "date", "topics", "slug", "summary"})
ARTICLE_REQUIRED = ("title", "author")
_KEY = re.compile(r"(?P<key>[A-Za-z_][A-Za-z0-9_-]*)\s*:\s*(?P<value>.*)")


def has_front_matter(text: str) -> bool:
    """Does *text* open with a ``---`` line (after blank lines)?"""
    for line in text.lstrip("\ufeff").splitlines():
        if line.strip():
            return line.strip() == FENCE
    return False


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def split_front_matter(
    text: str,
    known: Collection[str],
    required: Collection[str] = (),
) -> tuple[dict[str, str], str]:
    """The header's fields and the body after it; SourceError names the line at fault.

    Keys are lower-cased; a key not in *known*, a key given twice, a line that is not
    ``key: value``, a missing closing ``---`` and a missing *required* key are all refused.
    """
    lines = text.lstrip("\ufeff").splitlines()
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start >= len(lines) or lines[start].strip() != FENCE:
        raise SourceError("no front-matter header: the file must begin with a '---' line")
    end = next((n for n in range(start + 1, len(lines)) if lines[n].strip() == FENCE), None)
    if end is None:
        raise SourceError("the front-matter header has no closing '---' line")
    fields: dict[str, str] = {}
    for number in range(start + 1, end):
        line = lines[number].strip()
        if not line or line.startswith("#"):
            continue
        match = _KEY.fullmatch(line)
        if not match:
            raise SourceError(f"line {number + 1}: expected 'key: value', found {line[:60]!r}")
        key = match["key"].lower()
        if key not in known:
            raise SourceError(
                f"line {number + 1}: unknown key {key!r} (known: {', '.join(sorted(known))})"
            )
        if key in fields:
            raise SourceError(f"line {number + 1}: {key!r} is given twice")
        fields[key] = _unquote(match["value"])
    missing = [key for key in required if not fields.get(key)]
    if missing:
        raise SourceError(f"the front-matter header lacks {', '.join(missing)}")
    return fields, "\n".join(lines[end + 1 :]).strip("\n")


def split_topics(value: str) -> list[str]:
    """ "Banken, Regulierung" or "[Banken, Regulierung]" -> ["Banken", "Regulierung"]."""
    value = value.strip()
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1]
    return [_unquote(part) for part in value.split(",") if _unquote(part).strip()]


def parse_markdown_article(text: str) -> ArticleSource:
    """An article from a Markdown file with a front-matter header; SourceError if unusable."""
    fields, body = split_front_matter(text, ARTICLE_KEYS, ARTICLE_REQUIRED)
    source = ArticleSource(
        title=fields["title"],
        author=fields["author"],
        body=body + "\n" if body.strip() else "",
        topics=split_topics(fields.get("topics", "")),
        summary=fields.get("summary") or None,
    )
    if fields.get("date"):
        try:
            source.day, source.time = parse_iso_date(fields["date"])
        except DateFormatError as error:
            raise SourceError(f"date {error}") from None
    slug = fields.get("slug", "").strip()
    if slug:
        if not is_valid_slug(slug):
            raise SourceError(f"slug {slug!r}: use lower-case letters a–z, digits and hyphens only")
        source.slug = slug
    return source.check()
