"""Plain-text pages saved from the old blog: recover the article, drop the page furniture.

The pages differ in layout, so every piece is recognised by what it looks like, never by the
line it stands on: the byline "Von NAME | DATE", the "AUTHOR - NAME" box, "Themen: A, B |
Kein Kommentar »", navigation, comment-section notices, the teaser of the previous post.
The title is the first line that is none of these. What stays is the article's text, turned
into Markdown with its characters escaped and its bare URLs made links.
"""

from __future__ import annotations

import re

from app.services.importer.dates import DateFormatError, parse_german_date
from app.services.importer.front_matter import split_topics
from app.services.importer.source import MAX_TITLE, ArticleSource, SourceError

_I = re.IGNORECASE
HEADER_NOISE = frozenset({"title", "blog"})
NAVIGATION = re.compile(r"[^|]{0,80}\|\s*(?:Home|Startseite)\s*\|[^|]{0,80}", _I)
BYLINE = re.compile(r"Von\s+(?P<name>[^|]+?)\s*\|\s*(?P<rest>.*)", _I)
BARE_BYLINE = re.compile(r"Von\s+(?P<name>.+)", _I)
AUTHOR_BOX = re.compile(r"(?:AUTHOR|AUTOR)\s*[-–—:]\s*(?P<name>.+)", _I)
TOPICS = re.compile(
    r"(?:Themen|Thema|Kategorien|Kategorie|Schlagwörter|Tags)\s*:\s*(?P<topics>[^|]*?)\s*(?:\|.*)?",
    _I,
)
COMMENT_COUNT = re.compile(r"(?:Kein|Keine|Ein|\d+)\s+Kommentare?\s*»?", _I)
COMMENT_SECTION = re.compile(r"(?:Kommentare|Post A Comment|Kommentar schreiben)\s*:?", _I)
# "Sie müssen eingelogged sein um einen Kommentar zu posten.", "Um zu kommentieren, musst
# du angemeldet sein.", "You must be logged in to post a comment."
LOGIN_NOTICE = re.compile(
    r"(?=.*\b(?:eingelogg(?:t|ed)|angemeldet)\s+sein\b)(?=.*kommentar|.*kommentier).{0,200}"
    r"|You\s+must\s+be\s+logged\s+in\b.{0,100}",
    _I,
)
CLOSE = re.compile(r"Schlie(?:ß|ss)en", _I)
TEASER_INTRO = re.compile(
    r"Lesen\s+Sie\s+den\s+(?:vorherigen|nächsten|folgenden)\s+Eintrag\s*:\s*(?P<rest>.*)", _I
)
NAME_TITLES = ("Dr.", "Prof.", "Dipl.-Ing.", "Dipl.-Kfm.")
NAME_PARTICLES = frozenset({"von", "van", "de", "der", "den", "zu", "la", "le", "di"})
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"


def clean_line(line: str) -> str:
    """The line without surrounding white space, no-break spaces and invisible characters."""
    return line.strip().strip(_INVISIBLE).strip()


def looks_like_name(text: str) -> bool:
    """ "Boris Janek", "Dr. Oliver Everling", "Anna von Berg": two to four capitalised words."""
    words = text.split()
    while words and words[0] in NAME_TITLES:
        words = words[1:]
    if not 2 <= len(words) <= 4 or len(text) > 60:
        return False
    for position, word in enumerate(words):
        if 0 < position < len(words) - 1 and word in NAME_PARTICLES:
            continue
        if not (word[0].isupper() and all(c.isalpha() or c in "-'’" for c in word)):
            return False
    return True


def _same_name(line: str, author: str) -> bool:
    folded, author = " ".join(line.split()).casefold(), " ".join(author.split()).casefold()
    return folded == author or (author.endswith(" " + folded) and looks_like_name(line))


def _date_in(parts: list[str]) -> tuple | None:
    for part in parts:
        try:
            found = parse_german_date(part)
        except DateFormatError as error:
            raise SourceError(str(error)) from None
        if found:
            return found
    return None


class _Page:
    """Walks the lines once, sorting each into metadata, furniture or text."""

    def __init__(self) -> None:
        self.title: str | None = None
        self.byline: str | None = None
        self.boxed: str | None = None
        self.when: tuple | None = None
        self.topics: list[str] = []
        self.body: list[str] = []  # "" marks a paragraph break
        self.in_comments = False
        self.skip_teaser = False

    def read(self, raw: str) -> None:
        line = clean_line(raw)
        if not line:
            self.body.append("")
        elif self.skip_teaser:
            self.skip_teaser = False
        elif not self._metadata(line) and not self._furniture(line) and not self.in_comments:
            self._text(line)

    def _metadata(self, line: str) -> bool:
        if match := BYLINE.fullmatch(line):
            self.byline = self.byline or match["name"]
            self.when = self.when or _date_in([p.strip() for p in match["rest"].split("|")])
        elif match := AUTHOR_BOX.fullmatch(line):
            self.boxed = self.boxed or match["name"]
        elif match := TOPICS.fullmatch(line):
            self.topics = self.topics or split_topics(match["topics"])
        else:
            return False
        return True

    def _furniture(self, line: str) -> bool:
        if COMMENT_SECTION.fullmatch(line):
            self.in_comments = True  # what follows are readers' comments, not the article
        elif match := TEASER_INTRO.fullmatch(line):
            self.skip_teaser = not match["rest"].strip()
        elif self.title is None and line.casefold() in HEADER_NOISE:
            pass
        else:
            return any(
                pattern.fullmatch(line)
                for pattern in (NAVIGATION, COMMENT_COUNT, LOGIN_NOTICE, CLOSE)
            )
        return True

    def _text(self, line: str) -> None:
        started = any(self.body_lines())
        if not started and self.when is None and (found := _date_in([line])):
            self.when = found
        elif self.title is None:
            self.title = line
        elif not started and self.byline is None and (match := BARE_BYLINE.fullmatch(line)):
            if looks_like_name(match["name"]):
                self.byline = match["name"]
            else:
                self.body.append(line)
        else:
            self.body.append(line)

    def body_lines(self) -> list[str]:
        return [line for line in self.body if line]

    def paragraphs(self) -> list[list[str]]:
        groups: list[list[str]] = [[]]
        for line in self.body:
            if line:
                groups[-1].append(line)
            elif groups[-1]:
                groups.append([])
        return [group for group in groups if group]


def parse_page(text: str) -> ArticleSource:
    """The article in a page saved from the old blog; SourceError when none can be found."""
    page = _Page()
    for raw in text.splitlines():
        page.read(raw)
    if page.title is None:
        raise SourceError("no title found: the page holds no text besides page furniture")
    if len(page.title) > MAX_TITLE:
        raise SourceError("no title found: the first line of text is a paragraph, not a heading")
    paragraphs = page.paragraphs()
    author = page.byline or page.boxed
    if not author and paragraphs and looks_like_name(paragraphs[-1][-1]):
        author = paragraphs[-1][-1]  # a signature under the text is all some pages have
    if author:
        # The bare signature repeats the author's name on a line of its own.
        paragraphs = [[line for line in p if not _same_name(line, author)] for p in paragraphs]
        paragraphs = [p for p in paragraphs if p]
    if not author:
        raise SourceError(
            "no author found: no 'Von NAME | DATE' line, 'AUTHOR - NAME' box or signature"
        )
    day, at = page.when if page.when else (None, None)
    return ArticleSource(
        title=page.title,
        author=author,
        body=to_markdown(paragraphs),
        topics=page.topics,
        day=day,
        time=at,
    ).check()


# --- plain text to Markdown -------------------------------------------------------------

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"]+", _I)
_TRAILING = ".,;:!?»«\"'’”“"
_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_BLOCK_START = re.compile(r"[#>+=-]|\d+[.)]")


def _trim_url(url: str) -> str:
    while url and (url[-1] in _TRAILING or (url[-1] == ")" and url.count("(") < url.count(")"))):
        url = url[:-1]
    return url


def _escape_inline(text: str) -> str:
    return _ENTITY.sub(r"\\&", _INLINE.sub(r"\\\1", text))


def _link(url: str) -> str:
    if url.lower().startswith("www."):
        return "[" + _escape_inline(url) + "](<http://" + url + ">)"
    return "<" + url + ">"


def markdown_line(line: str) -> str:
    """One line of plain text as Markdown that renders to the same text, bare URLs as links."""
    pieces: list[str] = []
    position = 0
    for match in _URL.finditer(line):
        url = _trim_url(match.group(0))
        if "." not in url.split("//", 1)[-1]:
            continue
        pieces.append(_escape_inline(line[position : match.start()]))
        pieces.append(_link(url))
        position = match.start() + len(url)
    pieces.append(_escape_inline(line[position:]))
    markdown = "".join(pieces)
    if match := _BLOCK_START.match(markdown):
        # A line opening like a heading, quote, list or rule stays a line of text.
        markdown = markdown[: match.end() - 1] + "\\" + markdown[match.end() - 1 :]
    return markdown


def to_markdown(paragraphs: list[list[str]]) -> str:
    return "\n\n".join("\n".join(markdown_line(line) for line in p) for p in paragraphs) + "\n"
