"""The compiled translation catalogues: without them a German page would show English.

The build compiles them (setup.py, run by ``pip install`` and by ``make``); the app checks at
start that every language it offers besides English, the language of the source, has one.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

SOURCE_LOCALE = "en"  # the language the interface is written in: it needs no catalogue
BUILD_COMMAND = "make translations  (or: pybabel compile -d translations)"

log = logging.getLogger(__name__)


class MissingCatalogue(RuntimeError):
    """A language is offered but its compiled catalogue is not there."""


def check_catalogues(directory: Path, locales: Iterable[str]) -> None:
    """Raise MissingCatalogue naming the first missing file and the command that builds it."""
    for locale in locales:
        if locale == SOURCE_LOCALE:
            continue
        source = directory / locale / "LC_MESSAGES" / "messages.po"
        compiled = source.with_suffix(".mo")
        if not compiled.is_file():
            raise MissingCatalogue(
                f"The compiled catalogue for {locale!r} is missing: {compiled}. "
                f"Without it the site would show English on {locale!r} pages. "
                f"Build it with: {BUILD_COMMAND}"
            )
        if source.is_file() and source.stat().st_mtime > compiled.stat().st_mtime:
            log.warning("%s is older than %s; rebuild it with: %s", compiled, source, BUILD_COMMAND)
