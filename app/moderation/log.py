"""The moderation log: every decision, newest first, filterable."""

from __future__ import annotations

from flask import abort, render_template, request

from app.extensions import db
from app.models import ModerationAction
from app.moderation import bp
from app.moderation.routes import LOG_PER_PAGE
from app.permissions import moderator_required
from app.services import queue as queue_service
from app.whole_numbers import id_arg, page_arg


def _action() -> ModerationAction | None:
    try:
        return ModerationAction(request.args.get("action", ""))
    except ValueError:
        return None


@bp.get("/log")
@moderator_required
def log():  # noqa: ANN201
    action = _action()
    filters = {
        "action": action.value if action else None,
        "moderator": id_arg("moderator"),
        "comment": id_arg("comment"),
        "article": id_arg("article"),
        "member": id_arg("member"),
    }
    listing, articles = queue_service.log_page(
        db.session,
        page=page_arg(),
        per_page=LOG_PER_PAGE,
        action=action,
        actor_id=filters["moderator"],
        comment_id=filters["comment"],
        article_id=filters["article"],
        target_user_id=filters["member"],
    )
    if not listing.items and listing.page > 1:
        abort(404)
    return render_template(
        "moderation/log.html",
        listing=listing,
        articles=articles,
        actions=list(ModerationAction),
        moderators=queue_service.moderators(db.session),
        filters={key: value for key, value in filters.items() if value},
    )
