"""A forgotten password: asking for a link, then choosing a new password with it.

Asking always gets the same answer, whether an account has the address or not.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.auth import bp
from app.auth.forms import NewPasswordForm, ResetRequestForm
from app.auth.mails import send_reset
from app.extensions import db
from app.models import User, email_key, utcnow
from app.network import client_address
from app.services import throttle, tokens
from app.services.account_settings import reset_password as store_new_password
from app.services.accounts import check_email, find_by_login
from app.services.errors import InvalidInput
from app.services.login_attempts import account_key


def _send_if_known(address: str) -> None:
    user = find_by_login(db.session, address)
    if user is None or user.is_deleted or user.email_key != email_key(address):
        return
    limit = throttle.for_app(current_app)
    key = f"user:{user.id}"
    # Past the limit the mail is quietly not sent: a message would reveal the account.
    if limit.retry_after(throttle.RESET_ACCOUNT, key) is None:
        limit.hit(throttle.RESET_ACCOUNT, key)
        send_reset(user)


@bp.route("/reset", methods=["GET", "POST"])
def reset_request():  # noqa: ANN201
    form = ResetRequestForm()
    error, status = None, 200
    if form.is_submitted():
        limit = throttle.for_app(current_app)
        wait = limit.retry_after(throttle.RESET_ADDRESS, client_address())
        if wait:
            error = _(
                "Too many requests. Please wait %(num)d minutes and try again.",
                num=throttle.minutes(wait),
            )
            status = 429
        elif form.validate():
            limit.hit(throttle.RESET_ADDRESS, client_address())
            try:
                _send_if_known(check_email(form.email.data or ""))
            except InvalidInput as refused:
                form.email.errors.append(str(refused))
                return render_template("auth/reset_request.html", form=form), 422
            flash(
                _(
                    "If an account has this address, we have sent it a link to choose a new "
                    "password. The link is valid for %(num)d minutes.",
                    num=int(current_app.config["PASSWORD_RESET_MINUTES"]),
                ),
                "info",
            )
            return redirect(url_for("auth.reset_request"))
        else:
            status = 422
    return render_template("auth/reset_request.html", form=form, error=error), status


def _user_for(token: str) -> tuple[User | None, str | None]:
    max_age = int(current_app.config["PASSWORD_RESET_MINUTES"]) * 60
    try:
        user = tokens.user_for_reset(
            db.session, current_app.config["SECRET_KEY"], token, utcnow(), max_age
        )
    except tokens.TokenExpired:
        return None, _("This link has expired. Please ask for a new one.")
    except tokens.TokenInvalid:
        return None, _("This link is not valid, or it has been used already.")
    return user, None


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):  # noqa: ANN201
    user, problem = _user_for(token)
    if user is None:
        return render_template("auth/link_failed.html", message=problem, reset=True), 410
    form = NewPasswordForm(user=user)
    if form.validate_on_submit():
        try:
            store_new_password(db.session, user, new=form.password.data or "", now=utcnow())
        except InvalidInput as refused:
            db.session.rollback()
            form.password.errors.append(str(refused))
        else:
            db.session.commit()
            throttle.for_app(current_app).clear(throttle.LOGIN_ACCOUNT, account_key(user, ""))
            flash(_("Your new password is set. Please log in with it."), "success")
            return redirect(url_for("auth.login"))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/reset_password.html", form=form, token=token), status
