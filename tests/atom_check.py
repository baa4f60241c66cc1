"""Checks an Atom document against the rules of RFC 4287 (and RFC 4685 for threading).

Parsed with the standard library: the feeds checked are the site's own. Returns the list of
problems found, so a failing test names all of them at once.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime

ATOM = "http://www.w3.org/2005/Atom"
THR = "http://purl.org/syndication/thread/1.0"
A = f"{{{ATOM}}}"
T = f"{{{THR}}}"
# RFC 3339 date-time, as section 3.3 of RFC 4287 requires.
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
_ONE = ("id", "title", "updated")
_AT_MOST_ONE_FEED = ("icon", "logo", "rights", "subtitle", "generator")
_AT_MOST_ONE_ENTRY = ("content", "published", "rights", "source", "summary")


def parse(document: bytes) -> ET.Element:
    return ET.fromstring(document)  # noqa: S314 (the site's own feed)


def _date(text: str | None) -> datetime | None:
    if text is None or not _DATE.fullmatch(text):
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _check_common(element: ET.Element, where: str, base: str, problems: list[str]) -> None:
    for name in _ONE:
        found = element.findall(A + name)
        if len(found) != 1 or not (found[0].text or "").strip():
            problems.append(f"{where}: needs exactly one non-empty atom:{name}")
    ident = element.findtext(A + "id") or ""
    if not ident.startswith(base):
        problems.append(f"{where}: atom:id {ident!r} is not an absolute address of the site")
    if element.find(A + "updated") is not None and _date(element.findtext(A + "updated")) is None:
        problems.append(f"{where}: atom:updated is not an RFC 3339 date")
    alternates = set()
    for link in element.findall(A + "link"):
        href = link.get("href", "")
        if not href.startswith(base):
            problems.append(f"{where}: link {href!r} is not absolute on the site")
        rel = link.get("rel", "alternate")
        if rel == "alternate":
            key = (link.get("type"), link.get("hreflang"))
            if key in alternates:
                problems.append(f"{where}: two alternate links with the same type")
            alternates.add(key)
        count = link.get(T + "count")
        if rel == "replies" and count is not None and not count.isdigit():
            problems.append(f"{where}: thr:count is not a count")
    for author in element.findall(A + "author"):
        if not (author.findtext(A + "name") or "").strip():
            problems.append(f"{where}: an author without a name")


def check_feed(document: bytes, base: str) -> list[str]:
    """Problems of the feed *document*, whose addresses must all begin with *base*."""
    problems: list[str] = []
    root = parse(document)
    if root.tag != A + "feed":
        return [f"the root is {root.tag}, not atom:feed"]
    _check_common(root, "feed", base, problems)
    if not any(link.get("rel") == "self" for link in root.findall(A + "link")):
        problems.append("feed: no link to itself (rel=self)")
    for name in _AT_MOST_ONE_FEED:
        if len(root.findall(A + name)) > 1:
            problems.append(f"feed: more than one atom:{name}")
    entries = root.findall(A + "entry")
    feed_has_author = root.find(A + "author") is not None
    ids = [entry.findtext(A + "id") for entry in entries]
    if len(ids) != len(set(ids)):
        problems.append("feed: two entries share an id")
    feed_updated = _date(root.findtext(A + "updated"))
    for number, entry in enumerate(entries, start=1):
        where = f"entry {number}"
        _check_common(entry, where, base, problems)
        for name in _AT_MOST_ONE_ENTRY:
            if len(entry.findall(A + name)) > 1:
                problems.append(f"{where}: more than one atom:{name}")
        if not feed_has_author and entry.find(A + "author") is None:
            problems.append(f"{where}: no author, and the feed has none")
        content = entry.find(A + "content")
        links = [link.get("rel", "alternate") for link in entry.findall(A + "link")]
        if content is None and "alternate" not in links:
            problems.append(f"{where}: neither content nor an alternate link")
        if content is not None and content.get("type", "text") not in ("text", "html", "xhtml"):
            problems.append(f"{where}: content of an unknown type")
        published = entry.findtext(A + "published")
        if published is not None and _date(published) is None:
            problems.append(f"{where}: atom:published is not an RFC 3339 date")
        updated = _date(entry.findtext(A + "updated"))
        if feed_updated and updated and updated > feed_updated:
            problems.append(f"{where}: updated after the feed itself")
        total = entry.findtext(T + "total")
        if total is not None and not total.isdigit():
            problems.append(f"{where}: thr:total is not a count")
        for reply in entry.findall(T + "in-reply-to"):
            if not reply.get("ref", "").startswith(base):
                problems.append(f"{where}: thr:in-reply-to without an absolute ref")
    return problems
