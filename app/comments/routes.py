"""Writing comments: post, reply, preview, edit and delete one's own; permalinks."""

from __future__ import annotations

from datetime import datetime

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import TooManyRequests

from app.caching.fragments import ThreadView
from app.comments import bp
from app.comments.discussion import POSTED_KEY, FormState, article_url, render_article_page
from app.comments.forms import CommentForm, EditCommentForm
from app.extensions import csrf, db
from app.models import Article, Comment, CommentStatus, utcnow
from app.permissions import is_admin
from app.rate_limits import per_address, wait_for
from app.services import articles as article_service
from app.services import comments as comment_service
from app.services import drafts, throttle
from app.services.errors import DomainError, InvalidInput, NotAllowed
from app.services.throttle import COMMENT_WRITES


def readable_article(article: Article | None, now: datetime) -> Article:
    """The article if this viewer may read it; the same answers as the article page."""
    if article is None:
        abort(404)
    if article.deleted_at is not None:
        abort(410)
    if not article.is_public_at(now) and not is_admin(current_user):
        abort(404)
    return article


def comment_location(article: Article, comment_id: int) -> str | None:
    """The article page (the right page of it) at the comment, if this viewer sees it there."""
    viewer = current_user if current_user.is_authenticated else None
    # The thread's shape kept by the view (the next page view finds it kept), not rebuilt.
    page = ThreadView(article, viewer, utcnow()).page_of(comment_id)
    if page is None:
        return None
    params = {"page": page} if page > 1 else {}
    return url_for("articles.article", slug=article.slug, **params) + f"#comment-{comment_id}"


def _parent_or_none(raw: str | None) -> int | None:
    try:
        return comment_service.parse_parent_id(raw)
    except InvalidInput:
        return None


def _keep_and_log_in(article: Article, form: CommentForm, now: datetime):  # noqa: ANN202
    """Someone not (or no longer) logged in sent the form: keep the text, send them to log in."""
    body = form.body.data or ""
    if not body.strip():
        return redirect(url_for("auth.login", next=article_url(article)))
    token = drafts.save_draft(
        db.session,
        article_id=article.id,
        parent_id=_parent_or_none(form.parent_id.data),
        body=body,
        now=now,
    )
    db.session.commit()
    flash(_("Please log in. Your comment has been kept and will be waiting for you."), "info")
    return redirect(url_for("auth.login", next=article_url(article, draft=token)))


@bp.post("/articles/<slug>/comments")
@csrf.exempt  # checked below, where a stale token can still keep the text
def create(slug: str):  # noqa: ANN201
    now = utcnow()
    article = readable_article(article_service.find_by_slug(db.session, slug).article, now)
    form = CommentForm()
    state = FormState(
        body=(form.body.data or "").replace("\r\n", "\n"),
        parent_id=_parent_or_none(form.parent_id.data),
        draft=form.draft.data or "",
        submission=form.submission.data or "",
    )
    wait = wait_for(COMMENT_WRITES)  # before anything is written, a kept draft included
    if wait is not None:
        if not current_user.is_authenticated:
            raise TooManyRequests(retry_after=wait)
        state.error = ngettext(
            "Too many comments were sent from your network just now. Your text is still "
            "here: please send it again in %(num)d minute.",
            "Too many comments were sent from your network just now. Your text is still "
            "here: please send it again in %(num)d minutes.",
            throttle.minutes(wait),
        )
        body, status = render_article_page(article, now, state, 429)
        return body, status, {"Retry-After": str(wait)}
    try:
        csrf.protect()
    except CSRFError:
        if not current_user.is_authenticated:
            return _keep_and_log_in(article, form, now)
        state.error = _("The form had expired. Your text is still here: please send it again.")
        return render_article_page(article, now, state, 400)
    if not current_user.is_authenticated:
        return _keep_and_log_in(article, form, now)

    settings = comment_service.comment_settings(db.session, current_app.config)
    if "preview" in request.form:
        try:
            state.preview_html = comment_service.preview(form.body.data, settings)
        except InvalidInput as error:
            state.error = error
        return render_article_page(article, now, state)
    try:
        comment = comment_service.post_comment(
            db.session,
            article=article,
            author=current_user,
            body=form.body.data,
            parent_id=form.parent_id.data,
            now=now,
            settings=settings,
            submission=state.submission,
        )
        drafts.consume_draft(db.session, state.draft)
        db.session.commit()
    except IntegrityError:
        # The same form sent twice at once: the other send has stored it; answer as it did.
        db.session.rollback()
        comment = comment_service.find_submitted(
            db.session,
            author_id=current_user.id,
            article_id=article.id,
            submission=state.submission,
            parent_id=form.parent_id.data,
            body=form.body.data,
            max_length=settings["COMMENT_MAX_LENGTH"],
        )
        if comment is None:
            raise
    except DomainError as error:
        db.session.rollback()
        if getattr(error, "field", None) == "parent_id":
            state.parent_error, state.parent_id = error, None
        else:
            state.error = error
        return render_article_page(
            article, now, state, 403 if isinstance(error, NotAllowed) else 422
        )
    session[POSTED_KEY] = article.id
    if comment.status is CommentStatus.VISIBLE:
        flash(_("Your comment has been published."), "success")
    else:
        flash(_("Thank you! Your comment will appear once a moderator has approved it."), "success")
    return redirect(comment_location(article, comment.id) or article_url(article))


@bp.post("/comments/preview")
@per_address(COMMENT_WRITES)
def preview():  # noqa: ANN201
    """The rendered comment for the preview shown in place (JavaScript)."""
    if not current_user.is_authenticated:
        abort(401)
    settings = comment_service.comment_settings(db.session, current_app.config)
    try:
        html = comment_service.preview(request.form.get("body"), settings)
    except InvalidInput as error:
        return render_template("comments/_preview.html", preview_error=error), 422
    return render_template("comments/_preview.html", preview_html=html)


@bp.get("/comments/<int:comment_id>")
def permalink(comment_id: int):  # noqa: ANN201
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        abort(404)
    article = readable_article(db.session.get(Article, comment.article_id), utcnow())
    location = comment_location(article, comment.id)
    if location is None:
        abort(404)
    return redirect(location)


def _own_comment(comment_id: int) -> tuple[Comment, Article]:
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        abort(404)
    article = readable_article(db.session.get(Article, comment.article_id), utcnow())
    if comment.author_id != current_user.id:
        abort(403)
    return comment, article


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@csrf.exempt  # checked below, so that a stale token does not lose the edited text
@login_required
def edit(comment_id: int):  # noqa: ANN201
    now = utcnow()
    comment, article = _own_comment(comment_id)
    settings = comment_service.comment_settings(db.session, current_app.config)
    back = url_for("comments.permalink", comment_id=comment.id)
    if not comment_service.may_edit(current_user, comment, now, settings["COMMENT_EDIT_MINUTES"]):
        flash(_("This comment can no longer be edited."), "error")
        return redirect(back)
    form = EditCommentForm()
    preview_html, error, status = None, None, 200
    if request.method == "GET":
        form.body.data = comment.body
    else:
        try:
            csrf.protect()
            if "preview" in request.form:
                preview_html = comment_service.preview(form.body.data, settings)
            else:
                comment_service.edit_comment(
                    db.session,
                    comment=comment,
                    editor=current_user,
                    body=form.body.data,
                    now=now,
                    settings=settings,
                )
                db.session.commit()
                flash(_("Your changes have been saved."), "success")
                return redirect(comment_location(article, comment.id) or back)
        except CSRFError:
            error, status = (
                _("The form had expired. Your text is still here: please save again."),
                400,
            )
        except DomainError as refusal:
            db.session.rollback()
            error, status = refusal, 422
    return render_template(
        "comments/edit.html",
        form=form,
        comment=comment,
        article=article,
        preview_html=preview_html,
        form_error=error,
        back_url=back,
        comment_max_length=settings["COMMENT_MAX_LENGTH"],
    ), status


@bp.post("/comments/<int:comment_id>/delete")
@login_required
def delete(comment_id: int):  # noqa: ANN201
    comment, article = _own_comment(comment_id)
    if request.form.get("confirmed") != "1":  # one click is not enough: ask first
        if comment.status is CommentStatus.DELETED:
            flash(_("This comment has been deleted already."), "info")
            return redirect(url_for("articles.article", slug=article.slug) + "#comments")
        back = comment_location(article, comment.id) or url_for(
            "articles.article", slug=article.slug
        )
        return render_template(
            "comments/confirm_delete.html", comment=comment, article=article, back=back
        )
    try:
        comment_service.delete_own_comment(
            db.session, comment=comment, actor=current_user, now=utcnow()
        )
    except InvalidInput as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("Your comment has been deleted."), "success")
    back = comment_location(article, comment.id)
    return redirect(back or url_for("articles.article", slug=article.slug) + "#comments")
