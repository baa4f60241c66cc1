"""Helpers for the search tests: asking /search as a browser would and reading the results."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from flask.testing import FlaskClient

_ARTICLE = re.compile(r'class="search-result__title"><a href="/articles/([^"]+)">(.*?)</a>', re.S)
_COMMENT = re.compile(r'href="/comments/(\d+)">(.*?)</a>', re.S)
_SNIPPET = re.compile(r'class="search-result__snippet[^"]*">(.*?)</p>', re.S)
_COUNT = re.compile(
    r'kind=(articles|comments)"[^>]*>[^<]*<span class="search-kinds__count">([^<]+)'
)


@dataclass
class Results:
    status: int
    text: str
    articles: list[str]  # slugs, in order
    comments: list[int]  # ids, in order
    snippets: list[str]  # raw HTML of each result's snippet
    counts: dict[str, str]

    @property
    def next_link(self) -> str | None:
        found = re.search(r'<a rel="next" href="([^"]+)"', self.text)
        return html.unescape(found.group(1)) if found else None


def search(client: FlaskClient, query: str | None = None, **params: Any) -> Results:
    if query is not None:
        params["q"] = query
    return _read(client.get("/search", query_string=params))


def follow(client: FlaskClient, link: str) -> Results:
    """The results behind a link of a results page (the pager's, say)."""
    return _read(client.get(link))


def _read(response: Any) -> Results:
    text = response.get_data(as_text=True)
    return Results(
        status=response.status_code,
        text=text,
        articles=[slug for slug, _ in _ARTICLE.findall(text)],
        comments=[int(ident) for ident, _ in _COMMENT.findall(text)],
        snippets=_SNIPPET.findall(text),
        counts=dict(_COUNT.findall(text)),
    )


def finds_article(client: FlaskClient, query: str, slug: str) -> bool:
    return slug in search(client, query, kind="articles").articles


def finds_comment(client: FlaskClient, query: str, comment_id: int) -> bool:
    return comment_id in search(client, query, kind="comments").comments
