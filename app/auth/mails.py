"""The mails accounts send: confirming an address, resetting a password, a changed address.

Written in the member's chosen language, else in the language of the page they used.
"""

from __future__ import annotations

from contextlib import nullcontext

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from app.links import absolute_url
from app.mail import send_mail
from app.models import User, utcnow
from app.services import tokens


def _language(user: User):  # noqa: ANN202
    return force_locale(user.locale) if user.locale else nullcontext()


def send_confirmation(user: User, next_path: str | None = None) -> bool:
    """Mail the confirmation link; following it leads on to *next_path* (a checked local path)."""
    config = current_app.config
    token = tokens.confirmation_token(config["SECRET_KEY"], user, utcnow())
    link = absolute_url("auth.confirm_email", token=token, next=next_path)
    with _language(user):
        subject = _("Please confirm your email address for %(site)s", site=config["SITE_NAME"])
        body = _(
            "Hello %(name)s,\n\n"
            "please confirm your email address by opening this link:\n\n%(link)s\n\n"
            "The link is valid for %(hours)d hours. Until then you can read but not write "
            "comments.\n\nIf you did not register at %(site)s, you can ignore this mail.\n",
            name=user.username,
            link=link,
            hours=config["EMAIL_CONFIRM_HOURS"],
            site=config["SITE_NAME"],
        )
    return send_mail(user.email, subject, body)


def send_reset(user: User) -> bool:
    config = current_app.config
    token = tokens.reset_token(config["SECRET_KEY"], user, utcnow())
    link = absolute_url("auth.reset_password", token=token)
    with _language(user):
        subject = _("Choose a new password for %(site)s", site=config["SITE_NAME"])
        body = _(
            "Hello %(name)s,\n\n"
            "someone asked for a new password for your account. To choose one, open this "
            "link:\n\n%(link)s\n\n"
            "The link is valid for %(minutes)d minutes and works once.\n\n"
            "If you did not ask for it, you can ignore this mail: your password stays as it "
            "is.\n",
            name=user.username,
            link=link,
            minutes=config["PASSWORD_RESET_MINUTES"],
        )
    return send_mail(user.email, subject, body)


def send_account_exists(user: User) -> bool:
    """Someone registered with the address of *user*: tell its owner, and only them."""
    config = current_app.config
    with _language(user):
        subject = _("Your account at %(site)s", site=config["SITE_NAME"])
        body = _(
            "Hello %(name)s,\n\n"
            "someone, perhaps you, has just tried to register at %(site)s with this email "
            "address. It belongs to your account already, under the name %(name)s.\n\n"
            "To log in:\n\n%(login)s\n\n"
            "If you have forgotten your password, choose a new one here:\n\n%(reset)s\n\n"
            "If it was not you, you can ignore this mail: nothing has changed.\n",
            name=user.username,
            site=config["SITE_NAME"],
            login=absolute_url("auth.login"),
            reset=absolute_url("auth.reset_request"),
        )
    return send_mail(user.email, subject, body)


def send_address_changed(user: User, previous: str) -> bool:
    """Tell the old address, so a change the member did not make does not go unnoticed."""
    config = current_app.config
    with _language(user):
        subject = _("Your email address at %(site)s was changed", site=config["SITE_NAME"])
        body = _(
            "Hello %(name)s,\n\n"
            "the email address of your account was changed to %(address)s.\n\n"
            "If you did not make this change, please tell the operators of the site at "
            "once (their address is in the imprint):\n\n%(link)s\n",
            name=user.username,
            address=user.email,
            link=absolute_url("articles.home"),
        )
    return send_mail(previous, subject, body)
