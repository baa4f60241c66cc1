"""Forms for logging in, registering and resetting a password.

The rules themselves live in :mod:`app.services.accounts`; the forms only put each
refusal beside the field it is about.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from app.extensions import db
from app.forms import Form
from app.services import accounts
from app.services.errors import InvalidInput

REQUIRED = _l("Please fill in this field.")
TOO_LONG = _l("At most %(max)d characters, please.")


def required() -> DataRequired:
    return DataRequired(message=REQUIRED)


def password_confirmation(field: str = "password") -> EqualTo:
    return EqualTo(field, message=_l("The two passwords differ."))


class ActionForm(Form):
    """A form that is only a button: the CSRF token is all it carries."""


class LoginForm(Form):
    # Lengths capped: nothing longer can match, and the check stays as quick for everyone.
    username = StringField(
        _l("Username or email address"),
        validators=[required(), Length(max=accounts.MAX_EMAIL_LENGTH, message=TOO_LONG)],
        render_kw={
            "autocomplete": "username",
            "autocapitalize": "none",
            "maxlength": accounts.MAX_EMAIL_LENGTH,
        },
    )
    password = PasswordField(
        _l("Password"),
        validators=[required(), Length(max=accounts.MAX_PASSWORD_LENGTH, message=TOO_LONG)],
        render_kw={"autocomplete": "current-password", "maxlength": accounts.MAX_PASSWORD_LENGTH},
    )
    remember = BooleanField(_l("Stay logged in on this device"))


class PasswordPairMixin:
    """A new password and its confirmation, checked against the account's name and email."""

    def check_new_password(self, field, username: str | None, email: str | None) -> None:  # noqa: ANN001
        try:
            accounts.check_password(field.data or "", username, email)
        except InvalidInput as error:
            raise ValidationError(str(error)) from error


class RegisterForm(Form, PasswordPairMixin):
    username = StringField(
        _l("Username"),
        validators=[required()],
        description=_l("3 to 30 letters (umlauts and ß too), digits, - and _."),
        render_kw={"autocomplete": "username", "autocapitalize": "none", "maxlength": 30},
    )
    email = EmailField(
        _l("Email address"),
        validators=[required()],
        description=_l("We send a link to confirm it. It is never shown to others."),
        render_kw={"autocomplete": "email"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[required()],
        description=_l("At least %(num)d characters.", num=accounts.MIN_PASSWORD_LENGTH),
        render_kw={"autocomplete": "new-password"},
    )
    password_confirm = PasswordField(
        _l("Repeat the password"),
        validators=[required(), password_confirmation()],
        render_kw={"autocomplete": "new-password"},
    )

    def validate_username(self, field) -> None:  # noqa: ANN001
        try:
            name = accounts.check_username(field.data or "")
        except InvalidInput as error:
            raise ValidationError(str(error)) from error
        if accounts.username_taken(db.session, name):
            raise ValidationError(_l("This username is already taken."))

    def validate_email(self, field) -> None:  # noqa: ANN001
        # Whether the address has an account is not said here: the view mails its owner.
        try:
            accounts.check_email(field.data or "")
        except InvalidInput as error:
            raise ValidationError(str(error)) from error

    def validate_password(self, field) -> None:  # noqa: ANN001
        self.check_new_password(field, self.username.data, self.email.data)


class ResetRequestForm(Form):
    email = EmailField(
        _l("Email address"), validators=[required()], render_kw={"autocomplete": "email"}
    )


class NewPasswordForm(Form, PasswordPairMixin):
    """Choosing a new password from a reset link; ``user`` is the link's account."""

    password = PasswordField(
        _l("New password"),
        validators=[required()],
        description=_l("At least %(num)d characters.", num=accounts.MIN_PASSWORD_LENGTH),
        render_kw={"autocomplete": "new-password"},
    )
    password_confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[required(), password_confirmation()],
        render_kw={"autocomplete": "new-password"},
    )

    def __init__(self, *args, user=None, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.user = user

    def validate_password(self, field) -> None:  # noqa: ANN001
        user = self.user
        self.check_new_password(field, user and user.username, user and user.email)
