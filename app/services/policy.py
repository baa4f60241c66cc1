"""The moderation policy: does a new or edited comment go live, wait, or get refused?"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from app.models import Comment, CommentStatus, Reason, User
from app.permissions import is_moderator
from app.services import reasons
from app.services.reasons import HoldRule
from app.text import count_links


class Verdict(enum.StrEnum):
    PUBLISH = "publish"
    HOLD = "hold"
    REFUSE = "refuse"


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    held: Reason | None = None  # why held: a code with parameters, worded per reader
    refusal: Any = None  # why refused, for the writer (a lazy translated message)
    blocked: str | None = None  # the entry of the block list that refused it


# Characters that render as nothing; dropped so "sp\u00adam" cannot slip past "spam".
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))


def _fold(text: str) -> str:
    """Text as the lists compare it: compatibility forms unified (fullwidth letters become
    plain ones), invisible characters dropped, case folded, runs of white space made one."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).casefold()
    return " ".join(text.split())


def _words_found(body: str, words: Sequence[str]) -> list[str]:
    """The entries of *words* that occur in *body* as whole words (or whole phrases)."""
    folded = _fold(body)
    found = []
    for word in words:
        word = _fold(word)
        if word and re.search(rf"(?<!\w){re.escape(word)}(?!\w)", folded):
            found.append(word)
    return found


def has_approved_comment(session: Session, author: User) -> bool:
    return bool(
        session.scalar(
            select(
                exists().where(
                    Comment.author_id == author.id, Comment.status == CommentStatus.VISIBLE
                )
            )
        )
    )


def judge_comment(
    session: Session,
    author: User,
    body: str,
    body_html: str,
    settings: Mapping[str, Any],
) -> Decision:
    """Apply the policy of DESIGN.md with *settings* (see :mod:`app.services.site_settings`)."""
    moderator = is_moderator(author)
    if moderator or settings["COMMENT_MODERATION"] != "first":
        first = False  # not asked: spares the query
    else:
        first = not has_approved_comment(session, author)
    return judge(body, body_html, settings, by_moderator=moderator, first_comment=first)


def judge(
    body: str,
    body_html: str,
    settings: Mapping[str, Any],
    *,
    by_moderator: bool,
    first_comment: bool,
) -> Decision:
    """The policy on one text, given what it needs to know of its author; no database."""
    blocked = _words_found(body, settings["COMMENT_BLOCK_WORDS"])
    if blocked:
        return Decision(
            Verdict.REFUSE,
            refusal=_l(
                "Your comment contains a word that is not allowed here: %(w)s", w=blocked[0]
            ),
            blocked=blocked[0],
        )
    if by_moderator:
        return Decision(Verdict.PUBLISH)
    hold: dict[str, Any] = {}
    links = count_links(body, body_html)
    if links > settings["COMMENT_MAX_LINKS"]:
        hold.update(links=links, link_limit=settings["COMMENT_MAX_LINKS"])
    held_words = _words_found(body, settings["COMMENT_HOLD_WORDS"])
    if held_words:
        hold["words"] = held_words
    mode = settings["COMMENT_MODERATION"]
    if mode == "all":
        hold["rule"] = HoldRule.ALL
    elif mode == "first" and first_comment:
        hold["rule"] = HoldRule.FIRST
    if not hold:
        return Decision(Verdict.PUBLISH)
    return Decision(Verdict.HOLD, held=reasons.held(**hold))
