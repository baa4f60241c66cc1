"""Why a comment is in its state, and why a decision was taken, in the reader's own words.

A reason is stored as a code with parameters (:class:`app.models.Reason`) and put into words
only when someone reads it: in their language, with dates in the site's time zone, and for
its audience. The author of a held comment learns why in plain words but never which entry
of the hold list matched; moderators see the word. Words a moderator typed stay theirs
(``MODERATOR_NOTE``) and are shown as typed.

:func:`render_reason` needs an application context, not a request, so mails use it as the
pages do::

    render_reason(comment.status_reason_code, comment.status_reason_params,
                  audience=Audience.AUTHOR, locale="de")
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from flask_babel import force_locale, format_datetime, gettext, ngettext

from app.models import ModerationEvent, Reason, ReasonCode

MAX_NOTE_LENGTH = 500


class Audience(enum.StrEnum):
    AUTHOR = "author"  # the member concerned (and anyone else who is not a moderator)
    MODERATOR = "moderator"


class HoldRule(enum.StrEnum):
    """Which setting of COMMENT_MODERATION held a comment besides links and words."""

    ALL = "all"
    FIRST = "first"


# --- building -----------------------------------------------------------------------------


def held(
    *,
    links: int | None = None,
    link_limit: int | None = None,
    words: Iterable[str] = (),
    rule: HoldRule | None = None,
) -> Reason:
    """The policy held a comment: too many links, words of the hold list, the mode."""
    params: dict[str, Any] = {}
    if links is not None and link_limit is not None:
        params.update(links=int(links), link_limit=int(link_limit))
    if words := list(words):
        params["words"] = words
    if rule is not None:
        params["rule"] = HoldRule(rule).value
    return Reason(ReasonCode.HELD, params)


def flag_threshold(count: int, threshold: int) -> Reason:
    return Reason(ReasonCode.FLAG_THRESHOLD, {"count": int(count), "threshold": int(threshold)})


def note(text: str | None) -> Reason | None:
    """Words a moderator typed (white space tidied), or None when nothing was typed."""
    text = " ".join((text or "").split())[:MAX_NOTE_LENGTH]
    return Reason(ReasonCode.MODERATOR_NOTE, {"text": text}) if text else None


def ban(text: str, until: datetime | None) -> Reason:
    params: dict[str, Any] = {"text": " ".join(text.split())[:MAX_NOTE_LENGTH]}
    if until is not None:
        params["until"] = until.astimezone(UTC).isoformat()
    return Reason(ReasonCode.BAN, params)


def undo(event: ModerationEvent) -> Reason:
    return Reason(ReasonCode.UNDO, {"event": event.id, "action": str(event.action)})


def coerce(reason: Reason | str | None) -> Reason | None:
    """A Reason as is; text as what a person typed, unless it is an old machine reason."""
    if reason is None or isinstance(reason, Reason):
        return reason
    return from_text(reason)


# Reasons earlier versions wrote in English; kept rows are converted by migration 0004.
_LINKS = re.compile(r"links: (\d+) > (\d+)")
_WORDS = re.compile(r"hold list: (.+)")
_RULES = {
    "policy: all comments are reviewed": HoldRule.ALL,
    "policy: first comment of this member": HoldRule.FIRST,
}
_FLAGS = re.compile(r"(\d+) flags \(threshold (\d+)\)")
_UNTIL = re.compile(r"(.*?) ?\[until (\d{4}-\d\d-\d\d \d\d:\d\d) UTC\]")


def from_text(text: str | None) -> Reason | None:
    """The reason an old row or a caller wrote as English text."""
    text = (text or "").strip()
    if not text:
        return None
    if match := _FLAGS.fullmatch(text):
        return flag_threshold(int(match[1]), int(match[2]))
    if match := _UNTIL.fullmatch(text):
        until = datetime.strptime(match[2], "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
        return ban(match[1], until)
    hold: dict[str, Any] = {}
    for part in text.split("; "):
        if match := _LINKS.fullmatch(part):
            hold.update(links=int(match[1]), link_limit=int(match[2]))
        elif match := _WORDS.fullmatch(part):
            hold["words"] = [word.strip() for word in match[1].split(",") if word.strip()]
        elif part in _RULES:
            hold["rule"] = _RULES[part]
        else:
            return note(text)
    return held(**hold)


# --- words --------------------------------------------------------------------------------


def render_reason(
    code: ReasonCode | str | None,
    params: Mapping[str, Any] | None,
    *,
    audience: Audience | str,
    locale: str | None = None,
) -> str:
    """The reason in words for *audience*, in *locale* (default: the current one).

    Dates appear in the site's time zone. Needs an application context.
    """
    if not code:
        return ""
    code, params, audience = ReasonCode(code), params or {}, Audience(audience)
    if locale is None:
        return _words(code, params, audience)
    with force_locale(locale):
        return _words(code, params, audience)


def reason_text(reason: Reason | None, audience: Audience | str) -> str:
    """:func:`render_reason` of a Reason, in the current language (templates use this)."""
    if reason is None:
        return ""
    return render_reason(reason.code, reason.params, audience=audience)


def _words(code: ReasonCode, params: Mapping[str, Any], audience: Audience) -> str:
    if code is ReasonCode.HELD:
        return _held_words(params, audience)
    if code is ReasonCode.FLAG_THRESHOLD:
        if audience is Audience.AUTHOR:
            return gettext("several members reported it to the moderators")
        return ngettext(
            "%(num)d flag (threshold %(threshold)d)",
            "%(num)d flags (threshold %(threshold)d)",
            int(params.get("count", 0)),
            threshold=int(params.get("threshold", 0)),
        )
    if code is ReasonCode.BAN:
        return _ban_words(params)
    if code is ReasonCode.UNDO:
        return gettext("takes back decision %(num)d", num=int(params.get("event", 0)))
    return str(params.get("text", ""))


def _held_words(params: Mapping[str, Any], audience: Audience) -> str:
    author = audience is Audience.AUTHOR
    parts = []
    if "links" in params:
        limit = int(params.get("link_limit", 0))
        if author:
            parts.append(ngettext("more than %(num)d link", "more than %(num)d links", limit))
        else:
            parts.append(
                ngettext(
                    "%(num)d link (limit %(limit)d)",
                    "%(num)d links (limit %(limit)d)",
                    int(params["links"]),
                    limit=limit,
                )
            )
    if params.get("words"):
        if author:
            parts.append(gettext("a word our moderators look at first"))
        else:
            words = ", ".join(str(word) for word in params["words"])
            parts.append(gettext("hold list: %(words)s", words=words))
    rule = params.get("rule")
    if rule == HoldRule.FIRST:
        parts.append(
            gettext("your first comment here, which a moderator reads before it appears")
            if author
            else gettext("first comment of this member")
        )
    elif rule == HoldRule.ALL:
        parts.append(
            gettext("every comment is read by a moderator before it appears")
            if author
            else gettext("every comment is reviewed")
        )
    if not parts:
        return gettext("held for review")
    # Semicolons rather than "a, b and c": the parts carry commas of their own, and a list
    # joined by a language's "and" would need punctuation per language after them.
    return "; ".join(parts)


def _ban_words(params: Mapping[str, Any]) -> str:
    text = str(params.get("text", ""))
    until = params.get("until")
    if not until:
        return text
    moment = format_datetime(datetime.fromisoformat(until), "medium")
    if not text:
        return gettext("until %(date)s", date=moment)
    return gettext("%(reason)s (until %(date)s)", reason=text, date=moment)
