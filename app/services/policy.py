"""The moderation policy: does a new or edited comment go live, wait, or get refused?"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from app.models import Comment, CommentStatus, User
from app.permissions import is_moderator
from app.text import count_links


class Verdict(enum.StrEnum):
    PUBLISH = "publish"
    HOLD = "hold"
    REFUSE = "refuse"


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    # Why held (for the log) or refused (for the author, translated when shown).
    reasons: list[Any] = field(default_factory=list)


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
    blocked = _words_found(body, settings["COMMENT_BLOCK_WORDS"])
    if blocked:
        return Decision(
            Verdict.REFUSE,
            [_l("Your comment contains a word that is not allowed here: %(w)s", w=blocked[0])],
        )
    if is_moderator(author):
        return Decision(Verdict.PUBLISH)
    reasons: list[str] = []
    links = count_links(body, body_html)
    if links > settings["COMMENT_MAX_LINKS"]:
        reasons.append(f"links: {links} > {settings['COMMENT_MAX_LINKS']}")
    held_words = _words_found(body, settings["COMMENT_HOLD_WORDS"])
    if held_words:
        reasons.append("hold list: " + ", ".join(held_words))
    mode = settings["COMMENT_MODERATION"]
    if mode == "all":
        reasons.append("policy: all comments are reviewed")
    elif mode == "first" and not has_approved_comment(session, author):
        reasons.append("policy: first comment of this member")
    return Decision(Verdict.HOLD, reasons) if reasons else Decision(Verdict.PUBLISH)
