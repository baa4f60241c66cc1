"""Settings admins may change in the browser; a saved value wins over the configured one."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import SiteSetting

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


def effective_settings(session: Session, config: Mapping[str, Any]) -> dict[str, Any]:
    """The configured values of EDITABLE, with every saved value laid over them (one query)."""
    values = {key: config[key] for key in EDITABLE}
    for row in session.scalars(select(SiteSetting).where(SiteSetting.key.in_(EDITABLE))):
        values[row.key] = json.loads(row.value)
    return values


def save_settings(session: Session, changes: Mapping[str, Any], now) -> None:  # noqa: ANN001
    existing = {
        row.key: row
        for row in session.scalars(select(SiteSetting).where(SiteSetting.key.in_(changes)))
    }
    for key, value in changes.items():
        if key not in EDITABLE:
            raise KeyError(key)
        row = existing.get(key) or SiteSetting(key=key)
        row.value = json.dumps(value)
        row.updated_at = now
        session.add(row)
