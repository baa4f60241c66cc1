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
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

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
    md.core.ruler.push("article_headings", _demote_top_headings)
    md.core.ruler.push("article_figures", _captioned_figures)
    return md


def _demote_top_headings(state: StateCore) -> None:
    # The article's title is the page's only <h1>; a "# Heading" in the body is a section.
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close") and token.tag == "h1":
            token.tag = "h2"


def _lone_image(inline: Token) -> Token | None:
    """The image that is the only content of a paragraph, if it has a title."""
    parts = [
        child
        for child in inline.children or []
        if not (
            child.type in ("softbreak", "hardbreak")
            or (child.type == "text" and not child.content.strip())
        )
    ]
    if (
        len(parts) == 1
        and parts[0].type == "image"
        and str(parts[0].attrs.get("title", "")).strip()
    ):
        return parts[0]
    return None


def _captioned_figures(state: StateCore) -> None:
    """``![alt](url "Caption")`` alone in a paragraph becomes a figure with a caption."""
    tokens, result, index = state.tokens, [], 0
    while index < len(tokens):
        token = tokens[index]
        window = tokens[index : index + 3]
        image = None
        if (
            token.type == "paragraph_open"
            and not token.hidden
            and len(window) == 3
            and window[1].type == "inline"
            and window[2].type == "paragraph_close"
        ):
            image = _lone_image(window[1])
        if image is None:
            result.append(token)
            index += 1
            continue
        caption = " ".join(str(image.attrs.pop("title")).split())
        window[1].children = [image]
        caption_text = Token("text", "", 0, content=caption)
        result += [
            Token("figure_open", "figure", 1, block=True),
            window[1],
            Token("figcaption_open", "figcaption", 1, block=True),
            Token("inline", "", 0, content=caption, children=[caption_text]),
            Token("figcaption_close", "figcaption", -1, block=True),
            Token("figure_close", "figure", -1, block=True),
        ]
        index += 3
    state.tokens = result


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


# The linker escapes the text of the elements it skips once more ("&lt;" -> "&amp;lt;"), so
# `<b>` in a code span would show as "&lt;b&gt;". What the cleaner hands on holds no bare "&",
# so taking back exactly one level inside those elements gives the text as it was.
_SKIPPED = re.compile(r"(<(pre|code)\b[^>]*>)(.*?)(</\2>)", re.S)


def _unescape_skipped(linked: str) -> str:
    return _SKIPPED.sub(lambda match: match[1] + match[3].replace("&amp;", "&") + match[4], linked)


def _clean(raw_html: str, tags: frozenset[str], attributes: dict, rel: str) -> str:
    cleaned = bleach.clean(
        raw_html, tags=tags, attributes=attributes, protocols=PROTOCOLS, strip=True
    )
    return _unescape_skipped(_linker(rel).linkify(cleaned))


def render_comment(source: str) -> str:
    """Markdown subset of a comment -> safe HTML with ``rel="nofollow ugc noopener"`` links."""
    return _clean(_comment_markdown().render(source), COMMENT_TAGS, COMMENT_ATTRIBUTES, COMMENT_REL)


def render_article(source: str) -> str:
    """An article's Markdown -> safe HTML, with the wider allow-list articles need."""
    return _clean(_article_markdown().render(source), ARTICLE_TAGS, ARTICLE_ATTRIBUTES, ARTICLE_REL)


_LINK_WITHOUT_ADDRESS = re.compile(r"<a\b(?![^>]*\bhref=)[^>]*>(.*?)</a>", re.S)


def render_imported(source: str, *, comment: bool = False) -> tuple[str, list[str]]:
    """HTML written in WordPress (a post, or a comment if *comment*) -> safe HTML.

    The trusted-ish input of an import: its paragraphs, captions and embeds are carried
    over (app.imported_html), then it is cleaned against the same allow-list as what is
    written here. Returns the HTML and what could not be carried over.
    """
    from app.imported_html import prepare

    prepared = prepare(source)
    if comment:
        cleaned = _clean(prepared.html, COMMENT_TAGS, COMMENT_ATTRIBUTES, COMMENT_REL)
    else:
        cleaned = _clean(prepared.html, ARTICLE_TAGS, ARTICLE_ATTRIBUTES, ARTICLE_REL)
    # A link whose address the cleaner refused (or that had none) is its text alone.
    return _LINK_WITHOUT_ADDRESS.sub(r"\1", cleaned), prepared.dropped


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


# A tag of the cleaner's output: its attribute values are always in double quotes, and may
# hold a ">" (only "&" and the quote itself are escaped in them).
_TAG = re.compile(r'<(?:[^>"]|"[^"]*")*>')


def text_of_rendered(fragment_html: str) -> str:
    """The text of HTML this module rendered (a ``*_html`` column), quickly.

    Such HTML has been through the cleaner already: tags are whole and nothing in it is a
    comment or a script, so dropping the tags needs no parser (plain_text is for any HTML).
    The renderers end every block with a line break, so paragraphs' words stay apart.
    """
    return " ".join(html.unescape(_TAG.sub("", fragment_html)).split())


def excerpt(fragment_html: str, limit: int = 280) -> str:
    """A short plain-text teaser: whole words, at most *limit* characters, with an ellipsis."""
    return _shortened(plain_text(fragment_html), limit)


def excerpt_of_rendered(fragment_html: str, limit: int = 280) -> str:
    """:func:`excerpt` of HTML this module rendered, quickly (see :func:`text_of_rendered`):
    for pages that quote many comments, such as the moderation queue."""
    return _shortened(text_of_rendered(fragment_html), limit)


def _shortened(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.-–— ")
    return cut + " …"


def count_links(source: str, rendered_html: str) -> int:
    """How many links a comment carries: anchors in its HTML, or URLs in its text if more."""
    anchors = rendered_html.count("<a ")
    return max(anchors, len(_URL_IN_TEXT.findall(source)))
