"""Admin: fixed pages (Impressum, Datenschutz, Über uns), written in the article editor's way."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app import text
from app.admin import bp
from app.admin.expired import EXPIRED_STATUS, token_expired
from app.admin.forms import ConfirmForm, PageForm, parse_position
from app.extensions import csrf, db
from app.models import BodyFormat, Page, utcnow
from app.permissions import admin_required
from app.services import pages as page_service
from app.services.errors import DomainError
from app.services.publishing import render_body
from app.services.slugs import slugify
from app.whole_numbers import parse_id


def _page_or_404(page_id: int) -> Page:
    page = db.session.get(Page, page_id)
    if page is None:
        abort(404)
    return page


@bp.get("/pages")
@admin_required
def pages():  # noqa: ANN201
    return render_template("admin/pages.html", pages=page_service.all_pages(db.session))


@bp.route("/pages/new", methods=["GET", "POST"])
@csrf.exempt  # checked in _editor, where an expired token keeps the text
@admin_required
def new_page():  # noqa: ANN201
    return _editor(PageForm(), None)


@bp.route("/pages/<int:page_id>/edit", methods=["GET", "POST"])
@csrf.exempt  # checked in _editor, where an expired token keeps the text
@admin_required
def edit_page(page_id: int):  # noqa: ANN201
    page = _page_or_404(page_id)
    form = PageForm()
    if request.method == "GET":
        form.title.data, form.slug.data, form.body.data = page.title, page.slug, page.body
        form.footer_position.data = str(page.footer_position)
        form.revision.data = str(page.revision)
    return _editor(form, page)


def _editor(form: PageForm, page: Page | None):  # noqa: ANN202
    if request.method != "POST":
        return _render(form, page)
    if token_expired(form):
        return _render(form, page), EXPIRED_STATUS
    action = request.form.get("action", "save")
    if action not in ("preview", "save") or not form.validate():
        abort(400)
    if action == "preview":
        body = (form.body.data or "").replace("\r\n", "\n")
        return _render(
            form,
            page,
            preview_html=render_body(body, page.body_format if page else BodyFormat.MARKDOWN),
            missing_alt=text.images_without_alt(body),
        )
    try:
        data = page_service.PageInput(
            title=form.title.data or "",
            body=form.body.data or "",
            slug=(form.slug.data or "").strip() or None,
            footer_position=parse_position(form.footer_position.data),
        )
        if page is None:
            page = page_service.create_page(db.session, data, utcnow())
        else:
            expected = parse_id(form.revision.data)
            if expected is None:
                abort(400)
            page = page_service.update_page(db.session, page, data, utcnow(), expected)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        return _refused(form, page, error)
    flash(_("Saved “%(title)s”.", title=page.title), "success")
    return redirect(url_for("admin.edit_page", page_id=page.id))


def _refused(form: PageForm, page: Page | None, error: DomainError):  # noqa: ANN202
    field = getattr(error, "field", None)
    if field and field in form:
        form[field].errors = [*form[field].errors, str(error)]
    else:
        form.form_errors.append(str(error))
    conflict = isinstance(error, page_service.StalePageEdit)
    if conflict and page is not None:
        form.revision.data = str(page.revision)
    status = 409 if conflict else 422
    return _render(form, page, current=page if conflict else None), status


def _render(form: PageForm, page: Page | None, **extra: Any):  # noqa: ANN202
    context: dict[str, Any] = {
        "form": form,
        "page": page,
        "proposed_slug": slugify(form.title.data or ""),
        "preview_html": None,
        "missing_alt": [],
        "current": None,
    }
    context.update(extra)
    return render_template("admin/page_form.html", **context)


@bp.route("/pages/<int:page_id>/delete", methods=["GET", "POST"])
@admin_required
def delete_page(page_id: int):  # noqa: ANN201
    page = _page_or_404(page_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        title = page.title
        page_service.delete_page(db.session, page)
        db.session.commit()
        flash(_("Deleted the page “%(title)s”.", title=title), "success")
        return redirect(url_for("admin.pages"))
    if request.method == "POST":
        abort(400)
    return render_template("admin/page_delete.html", page=page, form=form)
