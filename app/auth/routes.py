"""Logging in and out, and registering."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.auth import bp
from app.auth.forms import LoginForm, RegisterForm
from app.auth.mails import send_account_exists, send_confirmation
from app.auth.next_url import requested_next
from app.auth.sessions import end_session, start_session
from app.extensions import db
from app.models import utcnow
from app.network import client_address
from app.services import accounts, throttle
from app.services.account_settings import log_out_everywhere
from app.services.errors import InvalidInput
from app.services.login_attempts import attempt_login


def _onward():  # noqa: ANN202
    return redirect(requested_next() or url_for("articles.home"))


def _throttled_message(seconds: int) -> str:
    return _(
        "Too many attempts. For your protection, please wait %(num)d minutes and try again.",
        num=throttle.minutes(seconds),
    )


def _greet(user) -> None:  # noqa: ANN001
    flash(_("Welcome, %(name)s. You are logged in.", name=user.username), "success")
    block = accounts.write_block(user, utcnow())
    if block is accounts.WriteBlock.UNCONFIRMED:
        flash(
            _("Please confirm your email address: until then you can read but not write."),
            "warning",
        )
    elif block is accounts.WriteBlock.BANNED:
        flash(_("Your account is banned: you can read but not write."), "warning")
        # The details (until when, why) are shown wherever writing is refused.


@bp.route("/login", methods=["GET", "POST"])
def login():  # noqa: ANN201
    if current_user.is_authenticated:
        return _onward()
    form = LoginForm()
    error, status = None, 200
    if form.validate_on_submit():
        outcome = attempt_login(
            db.session,
            throttle.for_app(current_app),
            client_address(),
            form.username.data or "",
            form.password.data or "",
        )
        if outcome.retry_after:
            error, status = _throttled_message(outcome.retry_after), 429
        elif outcome.user is None or not start_session(outcome.user, bool(form.remember.data)):
            error, status = _("The username, email address or password is not right."), 401
        else:
            _greet(outcome.user)
            return _onward()
    elif form.is_submitted():
        status = 422
    return render_template(
        "auth/login.html", form=form, error=error, next_path=requested_next()
    ), status


@bp.post("/logout")
def logout():  # noqa: ANN201
    # CSRFProtect has checked the token before we get here; a GET is answered with 405.
    was_logged_in = current_user.is_authenticated
    if was_logged_in:
        # A signed cookie cannot be taken back: a copy of it (or of the "remember me"
        # cookie) would log in again. Raising the version makes every copy worthless.
        log_out_everywhere(current_user._get_current_object())
        db.session.commit()
    end_session()
    if was_logged_in:
        flash(_("You are logged out, on this device and on every other one."), "success")
    return redirect(url_for("articles.home"))


@bp.route("/register", methods=["GET", "POST"])
def register():  # noqa: ANN201
    if current_user.is_authenticated:
        flash(_("You are logged in already."), "info")
        return _onward()
    form = RegisterForm()
    error, status = None, 200
    if form.is_submitted():
        limit = throttle.for_app(current_app)
        wait = limit.retry_after(throttle.REGISTER_ADDRESS, client_address())
        if wait:
            error, status = _throttled_message(wait), 429
        else:
            limit.hit(throttle.REGISTER_ADDRESS, client_address())
            address = _register(form) if form.validate() else None
            if address is not None:
                return _mail_sent(address)
            status = 422
    return render_template(
        "auth/register.html", form=form, error=error, next_path=requested_next()
    ), status


def _register(form: RegisterForm) -> str | None:
    """Create the account, or mail the owner of the address; the address, or None if refused.

    Both cases answer alike, so that registering cannot be used to find out whether an
    address has an account: the owner of a taken address is mailed instead, and the work
    of creating an account (hashing the password) is done either way.
    """
    address = accounts.check_email(form.email.data or "")
    owner = accounts.find_by_email(db.session, address)
    if owner is not None:
        accounts.hash_password(form.password.data or "")
        _tell_owner(owner)
        return address
    try:
        user = accounts.create_user(
            db.session,
            username=form.username.data or "",
            email=address,
            password=form.password.data or "",
            now=utcnow(),
        )
        db.session.commit()
    except (InvalidInput, IntegrityError) as refused:
        # Someone took the name or address between the check and the insert.
        db.session.rollback()
        owner = accounts.find_by_email(db.session, address)
        if owner is not None:
            _tell_owner(owner)
            return address
        if isinstance(refused, InvalidInput):
            getattr(form, refused.field or "username").errors.append(str(refused))
        else:
            form.validate()
        return None
    throttle.for_app(current_app).hit(throttle.CONFIRM_ACCOUNT, f"user:{user.id}")
    send_confirmation(user, requested_next())
    return address


def _tell_owner(owner) -> None:  # noqa: ANN001
    limit, key = throttle.for_app(current_app), f"user:{owner.id}"
    # Past the limit the mail is quietly not sent: a message would reveal the account.
    if limit.retry_after(throttle.ACCOUNT_EXISTS, key) is None:
        limit.hit(throttle.ACCOUNT_EXISTS, key)
        send_account_exists(owner)


def _mail_sent(address: str):  # noqa: ANN202
    flash(
        _(
            "We have sent a mail to %(address)s. Please open the link in it to go on; if it "
            "does not arrive within a few minutes, look in the spam folder.",
            address=address,
        ),
        "info",
    )
    return _onward()
