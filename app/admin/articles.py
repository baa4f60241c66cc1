"""Admin: the list of all articles, the editor, deleting and restoring."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.admin import bp, editor, labels
from app.admin.forms import ArticleForm, ConfirmForm
from app.extensions import csrf, db
from app.models import Article, utcnow
from app.permissions import admin_required
from app.services import article_admin
from app.services.article_admin import ArticleState
from app.services.errors import DomainError
from app.whole_numbers import page_arg


def _article_or_404(article_id: int) -> Article:
    article = db.session.get(Article, article_id)
    if article is None:
        abort(404)
    return article


@bp.get("/")
@admin_required
def index():  # noqa: ANN201
    return redirect(url_for("admin.articles"))


@bp.get("/articles")
@admin_required
def articles():  # noqa: ANN201
    query = request.args.get("q", "")[:200]
    raw_state = request.args.get("state", "")
    state = ArticleState(raw_state) if raw_state in set(ArticleState) else None
    listing = article_admin.list_articles(
        db.session, utcnow(), query=query, state=state, page=page_arg()
    )
    if not listing.rows and listing.page > 1:
        abort(404)
    return render_template(
        "admin/articles.html",
        listing=listing,
        query=query,
        state=state,
        states=list(ArticleState),
        restore_form=ConfirmForm(),
    )


@bp.route("/articles/new", methods=["GET", "POST"])
@csrf.exempt  # checked in the editor, where an expired token keeps the text
@admin_required
def new_article():  # noqa: ANN201
    form = ArticleForm()
    if request.method == "GET":
        form.author_name.data = current_user.display_name
        form.comments_open.data = True
    return editor.handle(form, None)


@bp.route("/articles/<int:article_id>/edit", methods=["GET", "POST"])
@csrf.exempt  # checked in the editor, where an expired token keeps the text
@admin_required
def edit_article(article_id: int):  # noqa: ANN201
    article = _article_or_404(article_id)
    if article.deleted_at is not None:
        flash(_("This article is deleted. Restore it before editing it."), "warning")
        return redirect(url_for("admin.articles", state=ArticleState.DELETED.value))
    form = ArticleForm()
    if request.method == "GET":
        editor.fill_from(form, article)
    return editor.handle(form, article)


@bp.route("/articles/<int:article_id>/delete", methods=["GET", "POST"])
@admin_required
def delete_article(article_id: int):  # noqa: ANN201
    article = _article_or_404(article_id)
    form = ConfirmForm()
    if article.deleted_at is not None:
        flash(_("This article is deleted already."), "info")
        return redirect(url_for("admin.articles", state=ArticleState.DELETED.value))
    if form.validate_on_submit():
        try:
            article_admin.delete_article(
                db.session, article, actor=current_user, now=utcnow(), reason=form.reason.data
            )
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            flash(str(error), "error")
            return redirect(url_for("admin.articles"))
        flash(
            _("Deleted “%(title)s”. It can be restored from the list.", title=article.title),
            "success",
        )
        return redirect(url_for("admin.articles"))
    if request.method == "POST":
        abort(400)
    return render_template(
        "admin/article_delete.html",
        article=article,
        form=form,
        state=article_admin.state_of(article, utcnow()),
    )


@bp.post("/articles/<int:article_id>/restore")
@admin_required
def restore_article(article_id: int):  # noqa: ANN201
    article = _article_or_404(article_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        after = article_admin.restore_article(
            db.session, article, actor=current_user, now=utcnow(), reason=form.reason.data
        )
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("admin.articles"))
    message = _(
        "Restored “%(title)s” (%(state)s).", title=article.title, state=labels.article_state(after)
    )
    flash(message, "success")
    return redirect(url_for("admin.articles"))
