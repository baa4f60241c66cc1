"""Taking a decision back: ``POST /moderation/undo/<event id>``, offered for a few minutes;
``POST /moderation/undo-many`` takes back a bulk decision's (``event_ids``)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.auth.next_url import safe_next
from app.extensions import db
from app.models import utcnow
from app.moderation import bp
from app.moderation.answers import decided, refused, undo_window
from app.moderation.forms import UndoForm
from app.permissions import moderator_required
from app.services import undo as undo_service
from app.services.errors import DomainError, NotAllowed, NotFound
from app.whole_numbers import parse_id


@bp.post("/undo/<int:event_id>")
@moderator_required
def undo(event_id: int):  # noqa: ANN201
    form = UndoForm()
    back = safe_next(form.next.data) or url_for("moderation.queue")
    if not form.validate():
        return refused(_("The form could not be read. Please try again."), back, 400)
    try:
        undo_service.undo(
            db.session,
            event_id,
            actor=current_user._get_current_object(),
            now=utcnow(),
            window=undo_window(),
        )
        db.session.commit()
    except DomainError as error:
        return _refusal(error, back)
    return decided(_("The decision has been undone."), None, back)


@bp.post("/undo-many")
@moderator_required
def undo_many():  # noqa: ANN201
    form = UndoForm()
    back = safe_next(form.next.data) or url_for("moderation.queue")
    if not form.validate():
        return refused(_("The form could not be read. Please try again."), back, 400)
    ids = [found for value in request.form.getlist("event_ids") if (found := parse_id(value))]
    try:
        result = undo_service.undo_many(
            db.session, ids, actor=current_user._get_current_object(), now=utcnow(),
            window=undo_window(),
        )  # fmt: skip
        db.session.commit()
    except DomainError as error:
        return _refusal(error, back)
    skipped = ngettext(
        "%(num)d decision could not be undone: its time ran out or something has happened since.",
        "%(num)d decisions could not be undone: their time ran out or something has happened "
        "since.",
        len(result.skipped),
    )
    if not result.done:
        return refused(skipped, back, 409)
    done = len(result.done)
    flash(
        ngettext("%(num)d decision has been undone.", "%(num)d decisions have been undone.", done),
        "success",
    )
    if result.skipped:
        flash(skipped, "warning")
    return redirect(back)


def _refusal(error: DomainError, back: str) -> Any:
    """Nothing was taken back: the answer to the service's refusal."""
    db.session.rollback()
    if isinstance(error, NotFound):
        abort(404)
    return refused(str(error), back, 403 if isinstance(error, NotAllowed) else 409)
