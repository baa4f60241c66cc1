"""Build the compiled catalogues: ``python scripts/catalogues.py compile``.

German comes from ``translations/de/LC_MESSAGES/messages.po``; while features are being
written, extra German entries may stand in ``translations/parts/*.po`` and are laid over it.
English is the source language, so its catalogue maps every message to itself.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent / "translations"


def _read(path: Path, locale: str) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def german() -> Catalog:
    main = ROOT / "de" / "LC_MESSAGES" / "messages.po"
    catalog = _read(main, "de") if main.exists() else Catalog(locale="de")
    for part in sorted((ROOT / "parts").glob("*.po")):
        for message in _read(part, "de"):
            if message.id and message.string and not catalog.get(message.id):
                catalog[message.id] = message
            elif message.id and message.string and not catalog[message.id].string:
                catalog[message.id] = message
    return catalog


def english(source: Catalog) -> Catalog:
    catalog = Catalog(locale="en")
    for message in source:
        if message.id:
            string = tuple(message.id) if isinstance(message.id, tuple) else message.id
            catalog.add(message.id, string)
    return catalog


def compile_all() -> None:
    de = german()
    for locale, catalog in (("de", de), ("en", english(de))):
        target = ROOT / locale / "LC_MESSAGES" / "messages.mo"
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as handle:
            write_mo(handle, catalog)
        print(f"{locale}: {sum(1 for m in catalog if m.id)} messages")


if __name__ == "__main__":
    if sys.argv[1:] != ["compile"]:
        sys.exit(__doc__)
    compile_all()
