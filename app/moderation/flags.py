"""Members flag a comment for the moderators: ``/comments/<id>/flag`` (no URL prefix)."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app.auth.next_url import requested_next, safe_next
from app.extensions import db
from app.models import Article, Comment, utcnow
from app.moderation.forms import FlagForm
from app.services import flags as flag_service
from app.services.errors import Conflict, InvalidInput, NotAllowed, NotFound
from app.services.site_settings import effective_settings

flags_bp = Blueprint("flags", __name__)


def _comment_url(comment: Comment) -> str:
    article = db.session.get(Article, comment.article_id)
    if article is None:
        return url_for("articles.home")
    return url_for("articles.article", slug=article.slug) + f"#comment-{comment.id}"


def _load(comment_id: int, lock: bool = False) -> Comment:
    query = select(Comment).where(Comment.id == comment_id)
    comment = db.session.scalar(query.with_for_update(of=Comment) if lock else query)
    if comment is None:
        abort(404)
    return comment


def _render(comment: Comment, form: FlagForm, status: int = 200):  # noqa: ANN202
    return render_template(
        "moderation/flag.html",
        comment=comment,
        article=db.session.get(Article, comment.article_id),
        form=form,
        back=safe_next(form.next.data) or _comment_url(comment),
    ), status


def _refusal(comment: Comment, error: Exception):  # noqa: ANN202
    """Refusals that are not about the form: nothing to fill in again, so go back."""
    if isinstance(error, NotFound):
        # Pulled since the link was shown (removed, hidden, or back under review): say so
        # in plain words and lead back to the discussion.
        article = db.session.get(Article, comment.article_id)
        public = article is not None and article.is_public_at(utcnow())
        return render_template(
            "moderation/flag_gone.html", article=article if public else None
        ), 404
    if isinstance(error, NotAllowed):
        abort(403)
    flash(str(error), "info" if isinstance(error, Conflict) else "error")
    return redirect(requested_next() or _comment_url(comment))


@flags_bp.route("/comments/<int:comment_id>/flag", methods=["GET", "POST"])
@login_required
def flag(comment_id: int):  # noqa: ANN201
    comment = _load(comment_id, lock=request.method == "POST")
    user = current_user._get_current_object()
    form = FlagForm()
    if not form.is_submitted():
        form.next.data = requested_next() or _comment_url(comment)
    try:
        flag_service.check_may_flag(db.session, comment, user, utcnow())
    except (NotFound, NotAllowed, Conflict, InvalidInput) as error:
        return _refusal(comment, error)
    if not form.validate_on_submit():
        return _render(comment, form, 400 if form.is_submitted() else 200)
    settings = effective_settings(db.session, current_app.config)
    try:
        flag_service.flag_comment(
            db.session,
            comment,
            user=user,
            reason=form.reason.data,
            note=form.note.data,
            now=utcnow(),
            threshold=int(settings["FLAG_THRESHOLD"]),
        )
        db.session.commit()
    except InvalidInput as error:
        db.session.rollback()
        field = getattr(form, error.field or "", None)
        if field is None:
            return _refusal(_load(comment_id), error)
        field.errors = [*field.errors, str(error)]
        return _render(_load(comment_id), form, 400)
    except (NotFound, NotAllowed, Conflict) as error:
        db.session.rollback()
        return _refusal(_load(comment_id), error)
    flash(_("Thank you. The moderators will look at the comment."), "success")
    return redirect(safe_next(form.next.data) or _comment_url(comment))
