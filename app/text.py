"""The one place where text people type becomes HTML.

Markdown is rendered with raw HTML switched off (so ``<script>`` in the input is shown as
text), the result is cleaned against an allow-list, and bare URLs are turned into links.
This is the only module that imports bleach; everything else calls the functions here.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import bleach
from bleach.linkifier import Linker
from markdown_it import MarkdownIt

COMMENT_REL = "nofollow ugc noopener"
ARTICLE_REL = "noopener"

COMMENT_TAGS = frozenset(
    {"p", "br", "em", "strong", "a", "code", "pre", "blockquote", "ul", "ol", "li"}
)
ARTICLE_TAGS = COMMENT_TAGS | frozenset(
    {
        "h2", "h3", "h4", "h5", "h6", "hr", "img", "figure", "figcaption",
        "table", "thead", "tbody", "tr", "th", "td", "del",
    }
)  # fmt: skip
COMMENT_ATTRIBUTES = {"a": ["href", "title", "rel"]}
ARTICLE_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
    "img": ["src", "alt", "title"],
    "ol": ["start"],
}
PROTOCOLS = frozenset({"http", "https", "mailto"})

_URL_IN_TEXT = re.compile(r"https?://\S+", re.IGNORECASE)


@lru_cache(maxsize=1)
def _comment_markdown() -> MarkdownIt:
    # The "zero" preset enables nothing; switch on exactly the subset comments allow.
    md = MarkdownIt("zero", {"html": False, "breaks": True, "typographer": False})
    md.enable(["emphasis", "link", "backticks", "fence", "code", "blockquote", "list", "newline"])
    md.enable(["escape", "entity"])
    return md


@lru_cache(maxsize=1)
def _article_markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    return md


def _set_rel(rel: str):
    def callback(attrs: dict, new: bool = False) -> dict:
        href = attrs.get((None, "href"), "")
        if href.startswith("mailto:"):
            return attrs
        attrs[(None, "rel")] = rel
        return attrs

    return callback


@lru_cache(maxsize=2)
def _linker(rel: str) -> Linker:
    return Linker(callbacks=[_set_rel(rel)], skip_tags={"pre", "code"}, parse_email=False)


def _clean(raw_html: str, tags: frozenset[str], attributes: dict, rel: str) -> str:
    cleaned = bleach.clean(
        raw_html, tags=tags, attributes=attributes, protocols=PROTOCOLS, strip=True
    )
    return _linker(rel).linkify(cleaned)


def render_comment(source: str) -> str:
    """Markdown subset of a comment -> safe HTML with ``rel="nofollow ugc noopener"`` links."""
    return _clean(_comment_markdown().render(source), COMMENT_TAGS, COMMENT_ATTRIBUTES, COMMENT_REL)


def render_article(source: str) -> str:
    """An article's Markdown -> safe HTML, with the wider allow-list articles need."""
    return _clean(_article_markdown().render(source), ARTICLE_TAGS, ARTICLE_ATTRIBUTES, ARTICLE_REL)


def images_without_alt(source: str) -> list[str]:
    """The URLs of images in *source* whose alternative text is empty."""
    missing: list[str] = []
    for token in _article_markdown().parse(source):
        for child in token.children or []:
            if child.type == "image" and not child.content.strip():
                missing.append(str(child.attrs.get("src", "")))
    return missing


def plain_text(fragment_html: str) -> str:
    """The text of an HTML fragment, tags dropped and white space folded."""
    text = bleach.clean(fragment_html, tags=set(), strip=True)
    return " ".join(html.unescape(text).split())


def excerpt(fragment_html: str, limit: int = 280) -> str:
    """A short plain-text teaser: whole words, at most *limit* characters, with an ellipsis."""
    text = plain_text(fragment_html)
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.-–— ")
    return cut + " …"


def count_links(source: str, rendered_html: str) -> int:
    """How many links a comment carries: anchors in its HTML, or URLs in its text if more."""
    anchors = rendered_html.count("<a ")
    return max(anchors, len(_URL_IN_TEXT.findall(source)))
