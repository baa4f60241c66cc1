"""The one build step beyond pyproject.toml: compile the translation catalogues.

Whichever way the project is installed (``make``, ``pip install -e .`` or ``pip install .``),
setuptools runs ``build_py``; compiling here means no installation serves English text on a
German page for want of a compiled catalogue. The app refuses to start without one
(app/catalogues.py). Babel comes from ``build-system.requires``.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

TRANSLATIONS = Path(__file__).resolve().parent / "translations"


def compile_catalogues(directory: Path) -> None:
    """Write messages.mo beside every messages.po (fuzzy entries left out, as pybabel does)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for source in sorted(directory.glob("*/LC_MESSAGES/messages.po")):
        with source.open("rb") as handle:
            catalog = read_po(handle, locale=source.parent.parent.name)
        with source.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog)
        print(f"compiled {source.with_suffix('.mo')}")  # noqa: T201


class BuildWithCatalogues(build_py):
    def run(self) -> None:
        compile_catalogues(TRANSLATIONS)
        super().run()


setup(cmdclass={"build_py": BuildWithCatalogues})
