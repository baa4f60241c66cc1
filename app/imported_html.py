"""Preparing HTML written in another blog system (WordPress) for the cleaner in app.text.

WordPress stores posts and comments as HTML without paragraph tags (it adds them when a
page is shown), with shortcodes such as ``[caption]`` and with media addresses alone on a
line that it turns into embedded players. Here that becomes plain HTML: paragraphs,
figures with captions, links instead of embeds. Shortcodes that have no equivalent are
removed and named, so the import can report them; nothing is dropped silently. No bleach
here: app.text cleans the result.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

# Shortcodes WordPress and its common plugins ship. Other text in brackets is left as it
# is: "[1]" or "[sic]" in prose must survive.
KNOWN_SHORTCODES = frozenset(
    {
        "caption", "wp_caption", "embed", "gallery", "audio", "video", "playlist", "code",
        "sourcecode", "source", "youtube", "vimeo", "soundcloud", "twitter", "tweet",
        "googlemaps", "contact-form", "contact-field", "contact-form-7", "polldaddy",
        "slideshow", "archives", "sitemap", "instagram", "dailymotion", "flickr", "scribd",
        "ted", "spotify", "wpvideo", "recipe", "jetpack_subscription_form",
    }
)  # fmt: skip
# Block elements whose text WordPress does not put in a paragraph of its own.
TEXT_HOSTS = frozenset(
    {"li", "dt", "dd", "td", "th", "figure", "figcaption", "caption", "summary", "legend"}
    | {"p", "pre"}
    | {f"h{level}" for level in range(1, 7)}
)
# Enclosing shortcodes whose content is text worth keeping.
KEEP_CONTENT = frozenset({"code", "sourcecode", "source"})
BLOCK_TAGS = (
    "table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|"
    "map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|"
    "aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary|iframe|object|"
    "embed|script|video|audio"
)
_SHORTCODE = re.compile(r"\[(\[?)([a-zA-Z][\w-]*)(\s[^\]]*?)?(/?)\](?:(.*?)\[/\2\])?(\]?)", re.S)
_ATTR = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
_PRE = re.compile(r"(<pre\b[^>]*>)(.*?)(</pre\s*>)", re.IGNORECASE | re.S)
_TAG = re.compile(r"<[^>]*>")
_BEFORE_BLOCK = re.compile(rf"(<(?:{BLOCK_TAGS})[\s/>])", re.IGNORECASE)
_AFTER_BLOCK = re.compile(rf"(</(?:{BLOCK_TAGS})>)", re.IGNORECASE)
_LEADING_BLOCKS = re.compile(rf"^((?:\s*</?(?:{BLOCK_TAGS})\b[^>]*>)+)", re.IGNORECASE)
_TRAILING_BLOCKS = re.compile(rf"((?:</?(?:{BLOCK_TAGS})\b[^>]*>\s*)+)$", re.IGNORECASE)
_OPENING_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)")
_LONE_URL = re.compile(r"^[ \t]*(https?://[^\s<>\"]+)[ \t]*$", re.MULTILINE)
_FRAME = re.compile(
    r"<(iframe|embed|object|video|audio|source)\b[^>]*?\b(?:src|data)\s*=\s*[\"']([^\"']+)[\"'][^>]*>",
    re.IGNORECASE,
)
_DROPPED_ELEMENT = re.compile(r"<(script|style|form)\b.*?</\1\s*>", re.IGNORECASE | re.S)
_HEADING = re.compile(r"<h([1-6])\b", re.IGNORECASE)
_HEADING_TAG = re.compile(r"<(/?)h([1-6])\b", re.IGNORECASE)
_BLOCK_COMMENT = re.compile(r"<!--.*?-->", re.S)


@dataclass
class Prepared:
    html: str
    dropped: list[str] = field(default_factory=list)  # e.g. "shortcode [gallery]"


def _attributes(raw: str | None) -> dict[str, str]:
    found: dict[str, str] = {}
    for match in _ATTR.finditer(raw or ""):
        found[match[1].lower()] = next(v for v in match.groups()[1:] if v is not None)
    return found


def _link(url: str) -> str:
    escaped = html.escape(url, quote=True)
    return f'<a href="{escaped}">{escaped}</a>'


def _caption(attributes: dict[str, str], inner: str) -> str:
    inner = inner.strip()
    caption = attributes.get("caption", "")
    if not caption:
        # Since WordPress 3.4 the caption follows the image inside the shortcode.
        match = re.match(r"^((?:<a\b[^>]*>)?\s*<img\b[^>]*>\s*(?:</a>)?)(.*)$", inner, re.S)
        if match:
            inner, caption = match[1], match[2].strip()
    return f"\n\n<figure>{inner}<figcaption>{caption}</figcaption></figure>\n\n"


def _shortcodes(text: str, dropped: list[str]) -> str:
    def replace(match: re.Match[str]) -> str:
        if match[1] == "[" and match[6] == "]":  # [[name]] is WordPress's way to write [name]
            return match[0][1:-1]
        name = match[2].lower()
        if name not in KNOWN_SHORTCODES:
            return match[0]
        attributes, inner = _attributes(match[3]), match[5] or ""
        if name in ("caption", "wp_caption"):
            return _caption(attributes, _shortcodes(inner, dropped))
        if name == "embed":
            url = inner.strip() or attributes.get("src", "")
            return _link(url) if url.startswith(("http://", "https://")) else ""
        if name in KEEP_CONTENT:
            dropped.append(f"shortcode [{name}] (its text kept)")
            return f"<pre><code>{html.escape(inner)}</code></pre>"
        url = attributes.get("src") or attributes.get("url") or attributes.get("id", "")
        dropped.append(f"shortcode [{name}]")
        if url.startswith(("http://", "https://")):
            return _link(url)
        return _shortcodes(inner, dropped) if inner else ""

    return _SHORTCODE.sub(replace, text)


def _embeds(text: str, dropped: list[str]) -> str:
    def frame(match: re.Match[str]) -> str:
        dropped.append(f"<{match[1].lower()}> (replaced by a link)")
        return _link(match[2])

    for element in _DROPPED_ELEMENT.findall(text):
        dropped.append(f"<{element.lower()}>")
    text = _DROPPED_ELEMENT.sub("", text)
    text = _FRAME.sub(frame, text)
    # A media address alone on a line is an embed in WordPress; here it is a link.
    return _LONE_URL.sub(lambda match: _link(match[1]), text)


def _paragraph(chunk: str) -> str:
    """One chunk between blank lines: its text in a paragraph, its block tags around it."""
    lead = _LEADING_BLOCKS.match(chunk)
    head = lead[1] if lead else ""
    rest = chunk[len(head) :]
    trail = _TRAILING_BLOCKS.search(rest)
    tail = trail[1] if trail else ""
    middle = rest[: len(rest) - len(tail)].strip()
    if not middle:
        return head + tail
    middle = re.sub(r"[ \t]*\n[ \t]*", "<br>\n", middle)
    openings = _OPENING_TAG.findall(head)
    if openings and openings[-1].lower() in TEXT_HOSTS:  # <li>text: no paragraph inside
        return head + middle + tail
    return f"{head}<p>{middle}</p>{tail}"


def autop(text: str) -> str:
    """WordPress's automatic paragraphs, as its wpautop does them.

    Blank lines part paragraphs and single line ends become ``<br>``, except around block
    elements (lists, tables, quotes, figures, ...), which stay as they are. The text of a
    ``<pre>`` is left untouched.
    """
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(match[2])
        return f"{match[1]}\x00{len(kept) - 1}\x00{match[3]}"

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _PRE.sub(keep, text)
    text = _TAG.sub(lambda match: match[0].replace("\n", " "), text)  # no breaks in tags
    text = _BEFORE_BLOCK.sub(r"\n\n\1", text)
    text = _AFTER_BLOCK.sub(r"\1\n\n", text)
    chunks = [chunk.strip() for chunk in re.split(r"\n\s*\n", text) if chunk.strip()]
    html_text = "".join(_paragraph(chunk) + "\n" for chunk in chunks)
    return re.sub("\x00(\\d+)\x00", lambda match: kept[int(match[1])], html_text)


def headings_from_h2(text: str) -> str:
    """Headings renumbered from ``<h2>`` without gaps: the page's ``<h1>`` is the title.

    WordPress authors pick heading levels by their look ("h3 after the title"); the levels
    used keep their order and become h2, h3, ... so that none is skipped.
    """
    used = sorted({int(level) for level in _HEADING.findall(text)})
    if not used:
        return text
    new = {level: min(2 + rank, 6) for rank, level in enumerate(used)}
    return _HEADING_TAG.sub(lambda match: f"<{match[1]}h{new[int(match[2])]}", text)


def prepare(source: str) -> Prepared:
    """WordPress's stored HTML as plain HTML, with what had to go named."""
    dropped: list[str] = []
    text = _BLOCK_COMMENT.sub("", source)  # block editor markers such as <!-- wp:paragraph -->
    text = _shortcodes(text, dropped)
    text = _embeds(text, dropped)
    return Prepared(headings_from_h2(autop(text)), dropped)
