"""Reading what a page tells search engines and link previews: its head and its JSON-LD."""

from __future__ import annotations

import json
from html.parser import HTMLParser


class HeadReader(HTMLParser):
    """Collects the <meta>, <link> and JSON-LD blocks of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.links: list[dict[str, str]] = []
        self.json_ld: list[str] = []
        self._in_json = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "meta":
            key = values.get("property") or values.get("name")
            if key:
                self.meta.setdefault(key, []).append(values.get("content", ""))
        elif tag == "link":
            self.links.append(values)
        elif tag == "script" and values.get("type") == "application/ld+json":
            self._in_json = True
            self.json_ld.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_json = False

    def handle_data(self, data: str) -> None:
        if self._in_json:
            self.json_ld[-1] += data

    def one(self, key: str) -> str:
        values = self.meta.get(key, [])
        assert len(values) == 1, f"{key}: {values}"
        return values[0]

    def link(self, rel: str) -> list[dict[str, str]]:
        return [link for link in self.links if rel in link.get("rel", "").split()]

    def canonical(self) -> str | None:
        found = self.link("canonical")
        assert len(found) <= 1
        return found[0]["href"] if found else None

    def structured(self) -> list[dict]:
        return [json.loads(block) for block in self.json_ld]


def read_head(html: str) -> HeadReader:
    reader = HeadReader()
    reader.feed(html)
    return reader
