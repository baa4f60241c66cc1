"""Decisions on one comment or one discussion, taken in the queue or in place on the article."""

from __future__ import annotations

from flask import abort, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.next_url import safe_next
from app.extensions import db
from app.models import (
    Article,
    Comment,
    CommentStatus,
    ModerationAction,
    ModerationEvent,
    utcnow,
)
from app.moderation import bp
from app.moderation.answers import decided, refused
from app.moderation.forms import ArticleDiscussionForm, DecisionForm
from app.permissions import moderator_required
from app.services import flags as flag_service
from app.services import moderation
from app.services.errors import Conflict, DomainError, NotFound
from app.services.queue import comment_history


def _done_message(decision: str) -> str:
    return {
        "approve": _("The comment has been approved."),
        "hide": _("The comment has been hidden."),
        "unhide": _("The comment is shown again."),
        "delete": _("The comment has been deleted."),
        "dismiss": _("The flags have been dismissed."),
        "close": _("Comments on this article are closed."),
        "reopen": _("Comments on this article are open again."),
    }[decision]


def _first_error(form) -> str:  # noqa: ANN001
    for errors in form.errors.values():
        if errors:
            return str(errors[0])
    return _("The form could not be read. Please try again.")


@bp.post("/comments/<int:comment_id>/<any(approve, hide, unhide, delete):decision>")
@moderator_required
def decide(comment_id: int, decision: str):  # noqa: ANN201
    form = DecisionForm()
    back = safe_next(form.next.data) or url_for("moderation.queue")
    if not form.validate():
        return refused(_first_error(form), back, 400)
    if decision == "delete" and form.confirmed.data != "1":
        return _confirm_delete(comment_id, form, back)
    try:
        comment = moderation.load_comment(db.session, comment_id)
        event = moderation.DECISIONS[decision](
            db.session,
            comment,
            actor=current_user._get_current_object(),
            now=utcnow(),
            reason=form.reason.data,
            expected=form.expected_status(),
            seen_flags=form.seen_flags(),
        )
        db.session.commit()
    except NotFound:
        db.session.rollback()
        abort(404)
    except DomainError as error:
        db.session.rollback()
        return refused(str(error), back, 409 if isinstance(error, Conflict) else 400)
    return decided(_done_message(event_kind(decision, event)), event, back)


@bp.post("/comments/<int:comment_id>/dismiss-flags")
@moderator_required
def dismiss_flags(comment_id: int):  # noqa: ANN201
    form = DecisionForm()
    back = safe_next(form.next.data) or url_for("moderation.queue")
    if not form.validate():
        return refused(_first_error(form), back, 400)
    try:
        comment = moderation.load_comment(db.session, comment_id)
        event = flag_service.dismiss_flags(
            db.session,
            comment,
            actor=current_user._get_current_object(),
            now=utcnow(),
            reason=moderation.clean_reason(form.reason.data),
            seen_flags=form.seen_flags(),
        )
        db.session.commit()
    except NotFound:
        db.session.rollback()
        abort(404)
    except DomainError as error:
        db.session.rollback()
        return refused(str(error), back, 409 if isinstance(error, Conflict) else 400)
    return decided(_done_message("dismiss"), event, back)


def _confirm_delete(comment_id: int, form: DecisionForm, back: str):  # noqa: ANN202
    """Without JavaScript nobody was asked yet: ask on a page, unless it is too late."""
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        abort(404)
    expected = form.expected_status()
    if expected is not None and comment.status is not expected:
        return refused(str(moderation.STALE), back, 409)
    if comment.status is CommentStatus.DELETED:
        return refused(_("This comment has been deleted already."), back, 400)
    return render_template("moderation/confirm_delete.html", comment=comment, form=form)


def event_kind(decision: str, event: ModerationEvent) -> str:
    """Approving a visible comment dismisses its flags: say what really happened."""
    return "dismiss" if event.action is ModerationAction.DISMISS_FLAGS else decision


@bp.get("/comments/<int:comment_id>")
@moderator_required
def history(comment_id: int):  # noqa: ANN201
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        abort(404)
    return render_template(
        "moderation/history.html", history=comment_history(db.session, comment), comment=comment
    )


@bp.post("/articles/<int:article_id>/<any(close, reopen):decision>")
@moderator_required
def discussion(article_id: int, decision: str):  # noqa: ANN201
    form = ArticleDiscussionForm()
    article = db.session.get(Article, article_id)
    if article is None:
        abort(404)
    back = safe_next(form.next.data) or url_for("articles.article", slug=article.slug)
    if not form.validate():
        return refused(_first_error(form), back, 400)
    try:
        moderation.set_comments_open(
            db.session,
            article,
            decision == "reopen",
            actor=current_user._get_current_object(),
            now=utcnow(),
            reason=form.reason.data,
        )
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        return refused(str(error), back, 400)
    return decided(_done_message(decision), None, back)
