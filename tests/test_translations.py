"""The German and English catalogues are complete and agree with the source."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
METHODS = [
    ("app/**.py", "python"),
    ("templates/**.html", "jinja2"),
    ("templates/**.xml", "jinja2"),
]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def source_messages() -> set[str | tuple[str, ...]]:
    found: set[str | tuple[str, ...]] = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT),
        METHODS,
        keywords=KEYWORDS,
        # Unlike babel's default, look into _partials/ and _macros/ too; skip .venv and the like.
        directory_filter=lambda path: (
            not Path(path).name.startswith(".") and Path(path).name != "node_modules"
        ),
    ):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def catalogue(locale: str):
    with (ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


@pytest.mark.parametrize("locale", ["de", "en"])
def test_every_interface_string_is_translated(locale):
    translated = catalogue(locale)
    missing = []
    for message in source_messages():
        key = message if isinstance(message, str) else message[0]
        entry = translated.get(key)
        strings = entry.string if entry else None
        if not strings or (isinstance(strings, tuple) and not all(strings)):
            missing.append(message)
    assert missing == [], f"{len(missing)} strings lack a {locale} translation: {missing[:10]}"


def test_german_keeps_every_placeholder():
    for entry in catalogue("de"):
        if not entry.id:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) <= wanted | set(PLACEHOLDER.findall(ids[0]))
            if len(ids) == 1:
                assert set(PLACEHOLDER.findall(string)) == wanted, entry.id


def test_compiled_catalogues_are_used(client):
    german = client.get("/nichts").text
    english = client.get("/nichts", headers={"Accept-Language": "en"}).text
    assert "Seite nicht gefunden" in german
    assert "Page not found" in english
