"""The queue: every waiting comment of every article, and decisions on many at once."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user

from app.auth.next_url import safe_next
from app.extensions import db
from app.models import Article, utcnow
from app.moderation import bp
from app.moderation.answers import UNDO_MANY_CATEGORY
from app.moderation.forms import BulkForm
from app.moderation.routes import QUEUE_PER_PAGE
from app.permissions import moderator_required
from app.services import moderation
from app.services import queue as queue_service
from app.services.errors import DomainError
from app.services.queue import QueueKind, QueueOrder
from app.whole_numbers import id_arg, page_arg, parse_id


def _kind() -> QueueKind:
    try:
        return QueueKind(request.args.get("kind", QueueKind.ALL.value))
    except ValueError:
        return QueueKind.ALL


def _order() -> QueueOrder:
    try:
        return QueueOrder(request.args.get("order", QueueOrder.OLDEST.value))
    except ValueError:
        return QueueOrder.OLDEST


def filters_of(
    kind: QueueKind,
    article_id: int | None,
    author_name: str,
    order: QueueOrder = QueueOrder.OLDEST,
) -> dict:
    """The filters in force, as query arguments (those not in force left out)."""
    filters = {
        "kind": kind.value if kind is not QueueKind.ALL else None,
        "article": article_id,
        "author": author_name or None,
        "order": order.value if order is not QueueOrder.OLDEST else None,
    }
    return {key: value for key, value in filters.items() if value}


@bp.get("/")
@moderator_required
def queue():  # noqa: ANN201
    kind, order = _kind(), _order()
    article_id = id_arg("article")
    author_name = (request.args.get("author") or "").strip()[:60]
    author = queue_service.find_author(db.session, author_name) if author_name else None
    filters = filters_of(kind, article_id, author_name, order)
    if author_name and author is None:
        listing = queue_service.Listing([], 1, QUEUE_PER_PAGE, 0)
    else:
        listing = queue_service.queue_page(
            db.session,
            page=page_arg(),
            per_page=QUEUE_PER_PAGE,
            kind=kind,
            order=order,
            article_id=article_id,
            author_id=author.id if author else None,
        )
        if not listing.items and listing.page > 1:
            # Decisions empty the last page under the moderator's hands: go to the new last.
            last = listing.pages if listing.pages > 1 else None
            return redirect(url_for("moderation.queue", page=last, **filters))
        if not set(filters) - {"order"}:
            g.moderation_waiting = listing.total  # the header shows the same number
    return render_template(
        "moderation/queue.html",
        listing=listing,
        kinds=QueueKind,
        kind=kind,
        order=order,
        filters=filters,
        author_name=author_name,
        unknown_author=bool(author_name and author is None),
        article=db.session.get(Article, article_id) if article_id else None,
        articles=queue_service.queued_articles(db.session),
        here=request.full_path.rstrip("?"),
    )


@bp.post("/bulk")
@moderator_required
def bulk():  # noqa: ANN201
    form = BulkForm()
    back = safe_next(form.next.data) or url_for("moderation.queue")
    if not form.validate():
        flash(str(next(iter(form.errors.values()))[0]), "error")
        return redirect(back)
    ids = [found for value in request.form.getlist("ids") if (found := parse_id(value))]
    try:
        result = moderation.bulk(
            db.session,
            form.action.data or "",
            ids,
            actor=current_user._get_current_object(),
            now=utcnow(),
            reason=form.reason.data,
        )
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(back)
    done = len(result.done)
    if form.action.data == "approve":
        message = ngettext("%(num)d comment approved.", "%(num)d comments approved.", done)
    else:
        message = ngettext("%(num)d comment hidden.", "%(num)d comments hidden.", done)
    flash(message, "success")
    if result.events:
        flash(",".join(map(str, result.events.values())), UNDO_MANY_CATEGORY)
    if result.skipped:
        skipped = len(result.skipped)
        flash(
            ngettext(
                "%(num)d comment was skipped: someone else has dealt with it meanwhile.",
                "%(num)d comments were skipped: someone else has dealt with them meanwhile.",
                skipped,
            ),
            "warning",
        )
    return redirect(back)
