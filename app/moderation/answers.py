"""How a moderation decision answers: a page to go back to, or JSON for the queue's script.

The queue's script sends decisions with ``Accept: application/json`` and moves on without
loading the page again; without JavaScript the same routes flash the outcome and redirect
to where the moderator goes on (the next comment's anchor in the queue).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, flash, jsonify, redirect, request, url_for
from flask_babel import format_time, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.extensions import db
from app.models import ModerationEvent, utcnow
from app.moderation import bp
from app.services import undo as undo_service
from app.services.queue import queue_count
from app.whole_numbers import parse_id

UNDO_CATEGORY = "undo"  # a flashed message of this category holds the id of an event
UNDO_MANY_CATEGORY = "undo-many"  # ... the ids of a bulk decision's events, with commas


def wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def undo_window() -> timedelta:
    return timedelta(minutes=int(current_app.config["MODERATION_UNDO_MINUTES"]))


def _open_to_me(events: Iterable[ModerationEvent | None]) -> list[ModerationEvent]:
    """Those of *events* the person asking may still take back."""
    now, window = utcnow(), undo_window()
    return [e for e in events if e and undo_service.may_undo(current_user, e, now, window)]


def _until(events: list[ModerationEvent]) -> datetime:
    """When the first of *events* can no longer be taken back."""
    return min(undo_service.undo_deadline(event, undo_window()) for event in events)


def offer_for(event: ModerationEvent | None) -> dict[str, Any] | None:
    """The undo offer for *event* to the person asking, if they may take it back now."""
    if not _open_to_me([event]):
        return None
    until = _until([event])
    anchor = f"#comment-{event.comment_id}" if event.comment_id else ""
    return {
        "url": url_for("moderation.undo", event_id=event.id),
        "ids": [],  # in the address
        "until": until,
        "text": _("You can undo this until %(time)s.", time=format_time(until, "short")),
        "next": request.full_path.rstrip("?") + anchor,
    }


@bp.app_template_global()
def undo_offer(category: str, message: Any) -> dict[str, Any] | None:
    """For a flashed message of category "undo" (an event's id) or "undo-many" (a bulk
    decision's event ids, with commas): the offer, if still open."""
    ids = [found for part in str(message).split(",") if (found := parse_id(part))]
    if not ids:
        return None
    if category == UNDO_CATEGORY:
        return offer_for(db.session.get(ModerationEvent, ids[0])) if len(ids) == 1 else None
    events = _open_to_me(
        db.session.scalars(select(ModerationEvent).where(ModerationEvent.id.in_(ids)))
    )
    if not events:
        return None
    return {
        "url": url_for("moderation.undo_many"),
        "ids": [event.id for event in events],
        "text": ngettext(
            "You can undo this decision until %(time)s.",
            "You can undo these %(num)d decisions until %(time)s.",
            len(events),
            time=format_time(_until(events), "short"),
        ),
        "next": request.full_path.rstrip("?"),
    }


def decided(message: str, event: ModerationEvent | None, back: str) -> Any:
    offer = offer_for(event)
    if wants_json():
        payload: dict[str, Any] = {
            "ok": True,
            "message": message,
            "waiting": queue_count(db.session),
        }
        if offer is not None:
            payload["undo"] = {
                "url": offer["url"],
                "until": offer["until"].isoformat(),
                "text": offer["text"],
                "label": _("Undo"),
            }
        return jsonify(payload)
    flash(message, "success")
    if offer is not None:
        flash(str(event.id), UNDO_CATEGORY)
    return redirect(back)


def refused(message: str, back: str, status: int) -> Any:
    if wants_json():
        return jsonify({"ok": False, "message": message}), status
    flash(message, "error")
    return redirect(back)
