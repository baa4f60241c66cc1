"""Forms of the account page. Each has a prefix, as they share one page (and field names)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectField
from wtforms.fields.choices import SelectChoice

from app.auth.forms import PasswordPairMixin, password_confirmation, required
from app.forms import Form
from app.services.accounts import MIN_PASSWORD_LENGTH


class PasswordChangeForm(Form, PasswordPairMixin):
    current_password = PasswordField(
        _l("Current password"),
        validators=[required()],
        render_kw={"autocomplete": "current-password"},
    )
    password = PasswordField(
        _l("New password"),
        validators=[required()],
        description=_l("At least %(num)d characters.", num=MIN_PASSWORD_LENGTH),
        render_kw={"autocomplete": "new-password"},
    )
    password_confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[required(), password_confirmation()],
        render_kw={"autocomplete": "new-password"},
    )

    def __init__(self, *args, user=None, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, prefix="password", **kwargs)
        self.user = user

    def validate_password(self, field) -> None:  # noqa: ANN001
        self.check_new_password(field, self.user.username, self.user.email)


class EmailChangeForm(Form):
    email = EmailField(
        _l("New email address"),
        validators=[required()],
        description=_l("We send a link to confirm it; until then you can read but not write."),
        render_kw={"autocomplete": "email"},
    )
    current_password = PasswordField(
        _l("Current password"),
        validators=[required()],
        render_kw={"autocomplete": "current-password"},
    )

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, prefix="email", **kwargs)


class LanguageForm(Form):
    locale = SelectField(
        _l("Language of the pages"),
        choices=[
            SelectChoice("", _l("As my browser asks")),
            SelectChoice("de", "Deutsch"),
            SelectChoice("en", "English"),
        ],
        validate_choice=False,  # app.services.account_settings.set_locale checks it
    )

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, prefix="language", **kwargs)


class DeleteAccountForm(Form):
    password = PasswordField(
        _l("Your password"),
        validators=[required()],
        description=_l("To be sure it is you who deletes the account."),
        render_kw={"autocomplete": "current-password"},
    )

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, prefix="delete", **kwargs)
