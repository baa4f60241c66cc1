"""Slugs from titles, with German transliteration: "Größere Übungen" -> "groessere-uebungen"."""

from __future__ import annotations

import re
import unicodedata

_GERMAN = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ẞ": "Ss"}
)
_NON_WORD = re.compile(r"[^a-z0-9]+")
MAX_SLUG_LENGTH = 120


def slugify(title: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """ASCII lower-case words joined by ``-``; other accents are dropped, symbols removed."""
    text = unicodedata.normalize("NFC", title).translate(_GERMAN)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NON_WORD.sub("-", text.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug


def is_valid_slug(slug: str) -> bool:
    return bool(slug) and len(slug) <= MAX_SLUG_LENGTH and slugify(slug) == slug
