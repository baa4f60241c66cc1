"""How a moderation decision answers: a page to go back to, or JSON for the queue's script.

The queue's script sends decisions with ``Accept: application/json`` and moves on without
loading the page again; without JavaScript the same routes flash the outcome and redirect
to where the moderator goes on (the next comment's anchor in the queue).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app, flash, jsonify, redirect, request, url_for
from flask_babel import format_time
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.extensions import db
from app.models import ModerationEvent, utcnow
from app.moderation import bp
from app.services import undo as undo_service
from app.services.queue import queue_count

UNDO_CATEGORY = "undo"  # a flashed message of this category holds the id of an event
UNDO_MANY_CATEGORY = "undo-many"  # ... the ids of a bulk decision's events, with commas


def wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def undo_window() -> timedelta:
    return timedelta(minutes=int(current_app.config["MODERATION_UNDO_MINUTES"]))


def offer_for(event: ModerationEvent | None) -> dict[str, Any] | None:
    """The undo offer for *event* to the person asking, if they may take it back now."""
    if event is None or not undo_service.may_undo(current_user, event, utcnow(), undo_window()):
        return None
    until = undo_service.undo_deadline(event, undo_window())
    anchor = f"#comment-{event.comment_id}" if event.comment_id else ""
    return {
        "url": url_for("moderation.undo", event_id=event.id),
        "until": until,
        "until_text": format_time(until, "short"),
        "next": request.full_path.rstrip("?") + anchor,
        "comment_id": event.comment_id,
    }


@bp.app_template_global()
def undo_offer(event_id: Any) -> dict[str, Any] | None:
    """For the flashed message of category "undo": the offer, if still open."""
    try:
        event = db.session.get(ModerationEvent, int(event_id))
    except (TypeError, ValueError):
        return None
    return offer_for(event)


@bp.app_template_global()
def undo_many_offer(event_ids: Any) -> dict[str, Any] | None:
    """For the flashed message of category "undo-many": the offer for the events still open
    to the person asking, until the first of them closes."""
    ids = [int(part) for part in str(event_ids).split(",") if part.isdigit()]
    if not ids:
        return None
    query = select(ModerationEvent).where(ModerationEvent.id.in_(ids))
    now, window = utcnow(), undo_window()
    events = [
        event
        for event in db.session.scalars(query)
        if undo_service.may_undo(current_user, event, now, window)
    ]
    if not events:
        return None
    until = min(undo_service.undo_deadline(event, window) for event in events)
    return {
        "url": url_for("moderation.undo_many"),
        "ids": [event.id for event in events],
        "until_text": format_time(until, "short"),
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
                "text": _("You can undo this until %(time)s.", time=offer["until_text"]),
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
