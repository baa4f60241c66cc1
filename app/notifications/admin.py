"""Admins see the mails that could not be sent, and send them again."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from app.admin.labels import admin_navigation
from app.extensions import db
from app.models import utcnow
from app.notifications import bp
from app.notifications.forms import RetryForm
from app.permissions import admin_required
from app.services.notifications import failures
from app.whole_numbers import page_arg

FAILED_PER_PAGE = 50


@bp.get("/admin/notifications")
@admin_required
def failed():  # noqa: ANN201
    page = page_arg()
    listing = failures.failed_page(db.session, page, FAILED_PER_PAGE)
    if page > listing.pages:
        abort(404)
    return render_template(
        "notifications/failed.html",
        listing=listing,
        counts=failures.outbox_counts(db.session),
        form=RetryForm(),
        **admin_navigation(),  # the admin area's menu, as on its own pages
    )


def _retried(count: int) -> None:
    if count:
        flash(
            ngettext(
                "%(num)d notice will be sent again.", "%(num)d notices will be sent again.", count
            ),
            "success",
        )
    else:
        flash(_("Nothing to send again: someone has done so already."), "info")


@bp.post("/admin/notifications/<int:notice_id>/retry")
@admin_required
def retry(notice_id: int):  # noqa: ANN201
    if not RetryForm().validate():
        flash(_("The form had expired. Please try again."), "error")
    else:
        count = failures.retry(db.session, notice_id, utcnow())
        db.session.commit()
        _retried(count)
    return redirect(url_for("notifications.failed"))


@bp.post("/admin/notifications/retry")
@admin_required
def retry_all():  # noqa: ANN201
    if not RetryForm().validate():
        flash(_("The form had expired. Please try again."), "error")
    else:
        count = failures.retry_all(db.session, utcnow())
        db.session.commit()
        _retried(count)
    return redirect(url_for("notifications.failed"))
