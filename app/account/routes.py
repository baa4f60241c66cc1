"""The member's own account: password, email address, language, comments, data, deletion.

Changes that need the current password count a wrong one like a failed login of the
account, so the account page cannot be used to guess it either.
"""

from __future__ import annotations

import json
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import Field

from app.account import bp
from app.account.forms import DeleteAccountForm, EmailChangeForm, LanguageForm, PasswordChangeForm
from app.auth.forms import ActionForm
from app.auth.mails import send_address_changed, send_confirmation
from app.auth.sessions import end_session, renew_session
from app.extensions import db
from app.i18n import select_locale
from app.models import User, utcnow
from app.services import account_data, account_settings, claiming, throttle
from app.services.errors import DomainError
from app.whole_numbers import page_arg

RECENT_COMMENTS = 5
COMMENTS_PER_PAGE = 25


def _me() -> User:
    return current_user._get_current_object()  # the row itself, for the services


def _page(status: int = 200, **given: Any):  # noqa: ANN202
    """The account page; *given* holds the submitted form, the others start empty."""
    me = _me()
    forms = {
        "password_form": PasswordChangeForm(formdata=None, user=me),
        "email_form": EmailChangeForm(formdata=None),
        "language_form": LanguageForm(formdata=None, data={"locale": me.locale or ""}),
        "delete_form": DeleteAccountForm(formdata=None),
        "sessions_form": ActionForm(formdata=None),
    }
    forms.update(given)
    recent = account_data.own_comments(db.session, me.id, 1, RECENT_COMMENTS)
    claimable = claiming.claimable_count(db.session, me)
    return render_template(
        "account/index.html", recent=recent, claimable=claimable, **forms
    ), status


def _password_key() -> str:
    return f"user:{_me().id}"


def _password_refused(field: Field) -> bool:
    """True (with the reason at *field*) while wrong passwords have locked the account."""
    wait = throttle.for_app(current_app).retry_after(throttle.ACCOUNT_PASSWORD, _password_key())
    if wait:
        field.errors.append(
            _(
                "Too many wrong passwords. Please wait %(num)d minutes and try again.",
                num=throttle.minutes(wait),
            )
        )
    return bool(wait)


def _refuse(form: Any, error: DomainError, fallback: str) -> None:
    """Put the service's refusal at its field; count a wrong password."""
    db.session.rollback()
    if isinstance(error, account_settings.WrongPassword):
        throttle.for_app(current_app).hit(throttle.ACCOUNT_PASSWORD, _password_key())
    field = getattr(form, getattr(error, "field", None) or fallback, None) or getattr(
        form, fallback
    )
    field.errors.append(str(error))


@bp.after_request
def _private(response):  # noqa: ANN001, ANN202
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/account")
@login_required
def index():  # noqa: ANN201
    return _page()


@bp.post("/account/password")
@login_required
def change_password():  # noqa: ANN201
    me = _me()
    form = PasswordChangeForm(user=me)
    if not form.validate():
        return _page(422, password_form=form)
    if _password_refused(form.current_password):
        return _page(429, password_form=form)
    try:
        account_settings.change_password(
            db.session, me, current=form.current_password.data, new=form.password.data
        )
    except DomainError as error:
        _refuse(form, error, "password")
        return _page(422, password_form=form)
    db.session.commit()
    renew_session(me)  # the other sessions and devices are logged out now
    flash(_("Your password is changed. Other devices have been logged out."), "success")
    return redirect(url_for("account.index"))


@bp.post("/account/sessions")
@login_required
def log_out_elsewhere():  # noqa: ANN201
    """End the logins on every other device; this one is logged in again at once."""
    me = _me()
    if not ActionForm().validate():
        abort(400)
    account_settings.log_out_everywhere(me)
    db.session.commit()
    renew_session(me)
    flash(_("You are logged out on every other device."), "success")
    return redirect(url_for("account.index"))


@bp.post("/account/email")
@login_required
def change_email():  # noqa: ANN201
    me = _me()
    form = EmailChangeForm()
    if not form.validate():
        return _page(422, email_form=form)
    if _password_refused(form.current_password):
        return _page(429, email_form=form)
    try:
        previous = account_settings.change_email(
            db.session, me, new=form.email.data, current_password=form.current_password.data
        )
    except DomainError as error:
        _refuse(form, error, "email")
        return _page(422, email_form=form)
    db.session.commit()
    if previous is None:
        flash(_("This is your email address already."), "info")
        return redirect(url_for("account.index"))
    throttle.for_app(current_app).hit(throttle.CONFIRM_ACCOUNT, f"user:{me.id}")
    send_confirmation(me)
    send_address_changed(me, previous)
    flash(
        _(
            "Your email address is now %(address)s. We have sent a link to confirm it: until "
            "then you can read but not write.",
            address=me.email,
        ),
        "success",
    )
    return redirect(url_for("account.index"))


@bp.post("/account/language")
@login_required
def change_language():  # noqa: ANN201
    me = _me()
    form = LanguageForm()
    if form.validate():
        try:
            account_settings.set_locale(me, form.locale.data or None)
        except DomainError as error:
            _refuse(form, error, "locale")
        else:
            db.session.commit()
            with force_locale(select_locale()):
                flash(_("Your language is saved."), "success")
            return redirect(url_for("account.index"))
    return _page(422, language_form=form)


@bp.post("/account/delete")
@login_required
def delete():  # noqa: ANN201
    me = _me()
    form = DeleteAccountForm()
    if not form.validate():
        return _page(422, delete_form=form)
    if _password_refused(form.password):
        return _page(429, delete_form=form)
    try:
        account_data.delete_account(db.session, me, password=form.password.data, now=utcnow())
    except DomainError as error:
        _refuse(form, error, "password")
        return _page(422, delete_form=form)
    db.session.commit()
    end_session()
    flash(
        _("Your account is deleted. Your comments remain, shown as by a deleted account."),
        "success",
    )
    return redirect(url_for("articles.home"))


@bp.get("/account/comments")
@login_required
def comments():  # noqa: ANN201
    page = page_arg()
    listing = account_data.own_comments(db.session, _me().id, page, COMMENTS_PER_PAGE)
    if page > listing.pages:
        abort(404)
    return render_template("account/comments.html", listing=listing)


@bp.get("/account/export")
@login_required
def export():  # noqa: ANN201
    me = _me()
    data = account_data.export_data(db.session, me, utcnow())
    response = current_app.response_class(
        json.dumps(data, ensure_ascii=False, indent=2), mimetype="application/json"
    )
    day = utcnow().date().isoformat()
    response.headers["Content-Disposition"] = f'attachment; filename="account-{me.id}-{day}.json"'
    return response
