"""Confirming the email address, and sending the link again."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth import bp
from app.auth.mails import send_confirmation
from app.auth.next_url import requested_next
from app.auth.sessions import start_session
from app.extensions import db
from app.models import utcnow
from app.services import throttle, tokens
from app.services.account_settings import confirm_email as mark_confirmed


@bp.get("/confirm/<token>")
def confirm_email(token: str):  # noqa: ANN201
    max_age = int(current_app.config["EMAIL_CONFIRM_HOURS"]) * 3600
    try:
        user = tokens.user_for_confirmation(
            db.session, current_app.config["SECRET_KEY"], token, utcnow(), max_age
        )
    except tokens.TokenExpired:
        message = _("This link has expired. Log in and ask for a new one.")
        return render_template("auth/link_failed.html", message=message, resend=True), 410
    except tokens.TokenInvalid:
        message = _("This link is not valid. Perhaps it was cut off, or the address changed.")
        return render_template("auth/link_failed.html", message=message, resend=True), 404
    onward = requested_next()
    if not mark_confirmed(user, utcnow()):
        flash(_("Your email address was confirmed already."), "info")
        if current_user.is_authenticated:
            return redirect(onward or url_for("account.index"))
        return redirect(url_for("auth.login", next=onward))
    db.session.commit()
    if not current_user.is_authenticated:
        # Registering does not log in (it must look the same for a taken address), so the
        # first use of the link does: it was sent to this address for this new account.
        start_session(user, remember=False)  # before the message: it empties the session
    flash(_("Thank you: your email address is confirmed."), "success")
    return redirect(onward or url_for("account.index"))


@bp.post("/confirm/resend")
@login_required
def resend_confirmation():  # noqa: ANN201
    onward = redirect(requested_next() or url_for("account.index"))
    if current_user.is_confirmed:
        flash(_("Your email address is confirmed already."), "info")
        return onward
    limit = throttle.for_app(current_app)
    key = f"user:{current_user.id}"
    wait = limit.retry_after(throttle.CONFIRM_ACCOUNT, key)
    if wait:
        flash(
            _(
                "We have sent the link several times already. Please check your spam folder, "
                "or ask again in %(num)d minutes.",
                num=throttle.minutes(wait),
            ),
            "error",
        )
        return onward
    limit.hit(throttle.CONFIRM_ACCOUNT, key)
    if send_confirmation(current_user):
        flash(_("We have sent a new link to %(address)s.", address=current_user.email), "success")
    else:
        flash(_("We could not send the mail. Please try again later."), "error")
    return onward
