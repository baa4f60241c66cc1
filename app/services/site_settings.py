"""Settings admins may change in the browser; a saved value wins over the configured one."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.caching import bumps
from app.models import SiteSetting, VersionScope
from app.services.errors import InvalidInput

# The settings that can be changed on /admin/settings.
EDITABLE = (
    "COMMENT_MODERATION",
    "COMMENT_MAX_LINKS",
    "COMMENT_MAX_LENGTH",
    "COMMENT_HOLD_WORDS",
    "COMMENT_BLOCK_WORDS",
    "FLAG_THRESHOLD",
    "COMMENT_EDIT_MINUTES",
)
MODERATION_MODES = ("all", "first", "none")
# Inclusive bounds of the whole-number settings: wide enough for any site, narrow enough
# that a typo (an extra zero, a minus sign) is caught.
NUMBER_RANGES = {
    "COMMENT_MAX_LINKS": (0, 100),
    "COMMENT_MAX_LENGTH": (100, 100_000),
    "FLAG_THRESHOLD": (1, 100),
    "COMMENT_EDIT_MINUTES": (0, 1440),
}
WORD_LISTS = ("COMMENT_HOLD_WORDS", "COMMENT_BLOCK_WORDS")
MAX_WORDS = 500
MAX_WORD_LENGTH = 100


def effective_settings(session: Session, config: Mapping[str, Any]) -> dict[str, Any]:
    """The configured values of EDITABLE, with every saved value laid over them (one query).

    A saved value that no longer passes :func:`clean_value` (written by hand, or by an older
    version) is ignored, so the configured value applies rather than a broken one.
    """
    values = {key: config[key] for key in EDITABLE}
    for row in session.scalars(select(SiteSetting).where(SiteSetting.key.in_(EDITABLE))):
        try:
            values[row.key] = clean_value(row.key, json.loads(row.value))
        except (InvalidInput, ValueError, TypeError):
            continue
    return values


def saved_keys(session: Session) -> set[str]:
    """Which settings currently have a value saved in the browser."""
    return set(session.scalars(select(SiteSetting.key).where(SiteSetting.key.in_(EDITABLE))))


def parse_words(raw: str | list[str]) -> list[str]:
    """One word or phrase per line (commas separate too); blanks and repeats dropped."""
    parts = raw if isinstance(raw, list) else raw.replace(",", "\n").splitlines()
    words: list[str] = []
    seen: set[str] = set()
    for part in parts:
        word = " ".join(str(part).split())
        if word and word.casefold() not in seen:
            seen.add(word.casefold())
            words.append(word)
    return words


def clean_value(key: str, raw: Any) -> Any:
    """The value of *key* parsed from *raw* (form text or stored JSON); InvalidInput if bad."""
    if key == "COMMENT_MODERATION":
        value = str(raw).strip()
        if value not in MODERATION_MODES:
            raise InvalidInput(_l("Choose all, first or none."), field=key)
        return value
    if key in NUMBER_RANGES:
        low, high = NUMBER_RANGES[key]
        text = str(raw).strip()
        digits = text.removeprefix("-")
        if isinstance(raw, bool) or not (digits.isascii() and digits.isdigit()):
            raise InvalidInput(_l("Please enter a whole number."), field=key)
        # The length first: int() refuses thousands of digits with an error of its own.
        if len(digits) > 9 or not low <= int(text) <= high:
            raise InvalidInput(
                _l("Please enter a number from %(low)d to %(high)d.", low=low, high=high),
                field=key,
            )
        return int(text)
    if key in WORD_LISTS:
        words = parse_words(raw)
        if len(words) > MAX_WORDS:
            raise InvalidInput(_l("At most %(num)d entries, please.", num=MAX_WORDS), field=key)
        too_long = [word for word in words if len(word) > MAX_WORD_LENGTH]
        if too_long:
            raise InvalidInput(
                _l("An entry may have at most %(num)d characters.", num=MAX_WORD_LENGTH),
                field=key,
            )
        return words
    raise KeyError(key)


def clean_settings(raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, InvalidInput]]:
    """Parse every EDITABLE value of *raw*: (the good values, the errors by setting)."""
    values: dict[str, Any] = {}
    errors: dict[str, InvalidInput] = {}
    for key in EDITABLE:
        if key not in raw:
            continue
        try:
            values[key] = clean_value(key, raw[key])
        except InvalidInput as error:
            errors[key] = error
    return values, errors


def save_settings(
    session: Session,
    changes: Mapping[str, Any],
    now: datetime,
    config: Mapping[str, Any] | None = None,
) -> None:
    """Save *changes* (already cleaned). With *config*, a value equal to the configured one
    removes the saved row instead, so a later change of the configuration applies again."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise KeyError(sorted(unknown)[0])
    existing = {
        row.key: row
        for row in session.scalars(select(SiteSetting).where(SiteSetting.key.in_(changes)))
    }
    dropped = []
    for key, value in changes.items():
        if config is not None and config.get(key) == value:
            dropped.append(key)
            continue
        row = existing.get(key) or SiteSetting(key=key)
        row.value = json.dumps(value, ensure_ascii=False)
        row.updated_at = now
        session.add(row)
    if dropped:
        session.execute(delete(SiteSetting).where(SiteSetting.key.in_(dropped)))
        bumps.changed(session, scopes=[VersionScope.SITE])  # a bulk DELETE: no flush sees it
