"""On every page type an id names one element only: a label, a skip link or an anchor that
finds two elements leads to the wrong one."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from flask import Flask

from tests.page_types import PAGE_TYPES, PageType, fetch
from tests.scene import scene_app


class IdCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value is not None:
                self.ids[value] += 1


def repeated_ids(html: str) -> dict[str, int]:
    collector = IdCollector()
    collector.feed(html)
    return {name: count for name, count in collector.ids.items() if count > 1}


@pytest.fixture(scope="module")
def ids_app(
    database_template: str, database_kind: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    with scene_app(database_template, database_kind, tmp_path_factory.mktemp("ids")) as app:
        yield app


@pytest.mark.parametrize("page_type", PAGE_TYPES, ids=lambda p: p.name)
def test_ids_are_unique(ids_app: Flask, page_type: PageType) -> None:
    response = fetch(ids_app, page_type)
    assert response.status_code == page_type.status
    assert repeated_ids(response.text) == {}


def test_the_check_finds_a_repeated_id() -> None:
    html = '<label for="reason"></label><input id="reason"><textarea id="reason"></textarea>'
    assert repeated_ids(html) == {"reason": 2}
