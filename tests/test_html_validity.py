"""Every page type, as the server sends it, is valid HTML for the Nu HTML checker.

All pages are fetched first and checked in one run of the checker; each page type is then
its own test, so a failure names the page and the checker's messages.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.html_checker import Problem, check_documents, require_checker
from tests.page_types import PAGE_TYPES, PageType, fetch
from tests.scene import scene_app

LANGUAGES = {"de": "de", "en": "en"}


def _document_name(page_type: PageType, language: str) -> str:
    return f"{page_type.name}.{language}"


@pytest.fixture(scope="module")
def html_app(
    database_template: str, database_kind: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    with scene_app(database_template, database_kind, tmp_path_factory.mktemp("html")) as app:
        yield app


@pytest.fixture(scope="module")
def fetched(html_app: Flask) -> dict[str, bytes]:
    """The raw HTML of every page type, in German and in English."""
    documents = {}
    for page_type in PAGE_TYPES:
        for language in LANGUAGES:
            response = fetch(html_app, page_type, language)
            assert response.status_code == page_type.status, (
                f"{page_type.name}: {response.status_code}"
            )
            assert response.mimetype == "text/html"
            documents[_document_name(page_type, language)] = response.data
    return documents


@pytest.fixture(scope="module")
def checked(fetched: dict[str, bytes]) -> dict[str, list[Problem]]:
    require_checker()
    return check_documents(fetched)


@pytest.mark.parametrize("language", list(LANGUAGES))
@pytest.mark.parametrize("page_type", PAGE_TYPES, ids=lambda p: p.name)
def test_page_is_valid_html(checked, fetched, page_type: PageType, language: str) -> None:
    name = _document_name(page_type, language)
    problems = checked[name]
    assert not problems, f"{name}: " + "\n".join(str(p) for p in problems)
    assert f'<html lang="{language}"'.encode() in fetched[name]


def test_the_checker_finds_errors(tmp_path: Path) -> None:
    """The harness itself: a broken document is reported, a good one is not."""
    require_checker()
    good = (
        b'<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><p>x</p></body></html>'
    )
    bad = good.replace(b"<p>x</p>", b"<p style=x><div>")
    problems = check_documents({"good": good, "bad": bad})
    assert problems["good"] == []
    assert problems["bad"], "the checker let an unclosed element through"
