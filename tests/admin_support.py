"""Helpers for the admin tests: posting the editor as a browser would, checking HTML shape."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from flask import Flask, session
from flask.testing import FlaskClient
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event

from tests.support import csrf_token

_REVISION = re.compile(r'id="revision"[^>]*value="(\d*)"|value="(\d*)"[^>]*id="revision"')


def revision_in(html: str | bytes) -> str:
    if isinstance(html, bytes):
        html = html.decode()
    match = _REVISION.search(html)
    assert match, "no revision field in the page"
    return match.group(1) or match.group(2) or ""


def session_csrf(app: Flask, client: FlaskClient) -> str:
    """A valid CSRF token for *client*, also for someone on no page with a form (a reader)."""
    with app.test_request_context():
        token = generate_csrf()
        raw = session["csrf_token"]
    with client.session_transaction() as client_session:
        client_session["csrf_token"] = raw
    return token


ARTICLE_DEFAULTS = {
    "title": "Ein Titel",
    "slug": "",
    "author_name": "Redaktion",
    "topics": "",
    "summary": "",
    "body": "Ein Absatz.",
    "comments_open": "y",
    "publish_at": "",
}


def editor_post(
    client: FlaskClient,
    url: str,
    *,
    action: str,
    keep_revision_from: str | None = None,
    **fields: Any,
):
    """GET the editor at *url*, then POST it with *fields* over what a new form would hold.

    The CSRF token and the revision come from the page, as a browser sends them; pass
    ``revision=`` to send an older one (a stale editor).
    """
    page = client.get(keep_revision_from or url)
    assert page.status_code == 200, page.status_code
    data = dict(ARTICLE_DEFAULTS)
    data.update(csrf_token=csrf_token(page.data), revision=revision_in(page.data), action=action)
    data.update(fields)
    if data.get("comments_open") is False:
        del data["comments_open"]
    return client.post(url, data=data)


def page_post(client: FlaskClient, url: str, *, action: str = "save", **fields: Any):
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    data = {"title": "", "slug": "", "footer_position": "", "body": ""}
    data.update(csrf_token=csrf_token(page.data), revision=revision_in(page.data), action=action)
    data.update(fields)
    return client.post(url, data=data)


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip
# Elements that may not stand inside a <p> (its content is phrasing content only).
BLOCK = {"address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset",
         "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
         "hr", "main", "nav", "ol", "p", "pre", "section", "table", "ul"}  # fmt: skip


class Structure(HTMLParser):
    """Parses a page and records what would make it invalid in ways html.parser can see."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.ids: set[str] = set()
        self.elements: list[tuple[str, dict[str, str | None], tuple[str, ...]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in BLOCK and "p" in self.stack:
            self.problems.append(f"<{tag}> inside <p>")
        ident = attributes.get("id")
        if ident:
            if ident in self.ids:
                self.problems.append(f"duplicate id {ident!r}")
            self.ids.add(ident)
        self.elements.append((tag, attributes, tuple(self.stack)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            self.problems.append(f"end tag for void <{tag}>")
        elif not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            if tag in self.stack:
                while self.stack.pop() != tag:
                    pass
        else:
            self.stack.pop()


def check_structure(html: str | bytes) -> Structure:
    """Parse *html*; fail on mismatched tags, duplicate ids, blocks in paragraphs, labels
    pointing nowhere, and any script that is not one of the site's own files (or a JSON-LD
    data block)."""
    if isinstance(html, bytes):
        html = html.decode()
    parser = Structure()
    parser.feed(html)
    parser.close()
    problems = list(parser.problems)
    if parser.stack:
        problems.append(f"unclosed: {parser.stack}")
    for tag, attrs, _ in parser.elements:
        # A data block (structured data for search engines) is never run.
        data_block = attrs == {"type": "application/ld+json"}
        if (
            tag == "script"
            and not data_block
            and not (attrs.get("src") or "").startswith("/static/js/")
        ):
            problems.append(f"foreign script {attrs}")
        if tag == "label" and attrs.get("for") and attrs["for"] not in parser.ids:
            problems.append(f"label for missing id {attrs['for']!r}")
        for name, value in attrs.items():
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                problems.append(f"script in attribute: <{tag} {name}={value!r}>")
    assert not problems, problems
    return parser


def inside(parser: Structure, tag: str, ancestor_class: str) -> list[dict[str, str | None]]:
    """Attributes of every *tag* nested in an element whose class contains *ancestor_class*."""
    found = []
    marked: list[bool] = []  # one entry per open element: does it carry the class?
    for element, attrs, stack in parser.elements:
        del marked[len(stack) :]
        if element == tag and any(marked):
            found.append(attrs)
        if element not in VOID:
            marked.append(ancestor_class in (attrs.get("class") or "").split())
    return found


class CountQueries:
    """Counts the SQL statements sent while the block runs (inside an app context)."""

    def __init__(self, engine) -> None:  # noqa: ANN001
        self.engine = engine
        self.statements: list[str] = []

    def _record(self, conn, cursor, statement, *args) -> None:  # noqa: ANN001, ANN002
        self.statements.append(statement)

    def __enter__(self) -> CountQueries:
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._record)

    @property
    def count(self) -> int:
        return len(self.statements)
