"""Taking over comments from an imported blog that carry one's confirmed address."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app.account import bp
from app.auth.forms import ActionForm
from app.extensions import db
from app.services import claiming
from app.services.errors import DomainError


@bp.get("/account/claim")
@login_required
def claim():  # noqa: ANN201
    me = current_user._get_current_object()
    comments = claiming.claimable_comments(db.session, me)
    total = claiming.claimable_count(db.session, me)
    return render_template(
        "account/claim.html", comments=comments, total=total, form=ActionForm(formdata=None)
    )


@bp.post("/account/claim")
@login_required
def accept_claim():  # noqa: ANN201
    form = ActionForm()
    if not form.validate_on_submit():
        flash(_("The form had expired. Please try again."), "error")
        return redirect(url_for("account.claim"))
    try:
        moved = claiming.claim(db.session, current_user._get_current_object())
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("account.index"))
    db.session.commit()
    if moved:
        flash(
            ngettext("%(num)d comment is now yours.", "%(num)d comments are now yours.", moved),
            "success",
        )
    else:
        flash(_("There were no comments to take over."), "info")
    return redirect(url_for("account.index"))
