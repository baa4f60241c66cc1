"""Initials avatars, drawn by the site as a small inline SVG: no outside service, no request.

The initials come from the name shown with a comment; the colour is one of a few tones
picked by a hash of the name, so a person keeps their colour on every page. The tones are
classes in site.css (the CSP forbids inline styles), so they follow the colour scheme.
The avatar is decorative: the name is written beside it, and a screen reader would only
hear it twice.
"""

from __future__ import annotations

import hashlib
import re

from markupsafe import Markup

TONES = 8
_PARTS = re.compile(r"[^\W\d_]+")

_SVG = Markup(
    '<svg class="avatar avatar--tone-%(tone)d" viewBox="0 0 40 40" width="40" height="40" '
    'aria-hidden="true"><circle cx="20" cy="20" r="20"/>'
    '<text x="20" y="20" dy=".35em" text-anchor="middle">%(initials)s</text></svg>'
)


def initials(name: str) -> str:
    """One letter per word of the name, at most two: "Clara Hoffmann" → "CH", "Mia" → "M"."""
    words = _PARTS.findall(name)
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def tone(name: str) -> int:
    digest = hashlib.blake2s(name.casefold().encode(), digest_size=2).digest()
    return int.from_bytes(digest, "big") % TONES


def avatar(name: str, *, deleted: bool = False) -> Markup:
    """The avatar of *name*; a neutral one without initials for an erased account."""
    if deleted:
        return _SVG % {"tone": TONES, "initials": "–"}
    return _SVG % {"tone": tone(name), "initials": initials(name)}
