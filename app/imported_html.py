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
# Enclosing shortcodes whose content is text worth keeping.
KEEP_CONTENT = frozenset({"code", "sourcecode", "source"})
BLOCK_TAGS = (
    "table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|"
    "map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|"
    "aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary|iframe|object|"
    "embed|script|video|audio"
)
_BLOCK_START = re.compile(rf"^\s*</?(?:{BLOCK_TAGS})\b|^\s*<!--", re.IGNORECASE)
_SHORTCODE = re.compile(r"\[(\[?)([a-zA-Z][\w-]*)(\s[^\]]*?)?(/?)\](?:(.*?)\[/\2\])?(\]?)", re.S)
_ATTR = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
_PRE = re.compile(r"<pre\b.*?</pre>", re.IGNORECASE | re.S)
_LONE_URL = re.compile(r"^[ \t]*(https?://[^\s<>\"]+)[ \t]*$", re.MULTILINE)
_FRAME = re.compile(
    r"<(iframe|embed|object|video|audio|source)\b[^>]*?\b(?:src|data)\s*=\s*[\"']([^\"']+)[\"'][^>]*>",
    re.IGNORECASE,
)
_DROPPED_ELEMENT = re.compile(r"<(script|style|form)\b.*?</\1\s*>", re.IGNORECASE | re.S)
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


def autop(text: str) -> str:
    """WordPress's automatic paragraphs: blank lines part paragraphs, single ones break lines."""
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(match[0])
        return f"\x00{len(kept) - 1}\x00"

    text = _PRE.sub(keep, text.replace("\r\n", "\n").replace("\r", "\n"))
    blocks = []
    for chunk in re.split(r"\n\s*\n", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if _BLOCK_START.match(chunk) or re.fullmatch(r"\x00\d+\x00", chunk):
            blocks.append(chunk)
        else:
            blocks.append("<p>" + re.sub(r"\s*\n\s*", "<br>\n", chunk) + "</p>")
    joined = "\n".join(blocks)
    return re.sub(r"\x00(\d+)\x00", lambda match: kept[int(match[1])], joined)


def prepare(source: str) -> Prepared:
    """WordPress's stored HTML as plain HTML, with what had to go named."""
    dropped: list[str] = []
    text = _BLOCK_COMMENT.sub("", source)  # block editor markers such as <!-- wp:paragraph -->
    text = _shortcodes(text, dropped)
    text = _embeds(text, dropped)
    return Prepared(autop(text), dropped)
