"""The admin forms that hold long text check their CSRF token in the view, not before it.

A token that no longer matches the session (the session ended and "stay logged in" began a
new one, or the admin logged in again in another tab) would otherwise end in a bare error
page, and an article written for an hour would be gone. Checked here, the form comes back
with everything typed, a message, status 400, and nothing saved.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError

from app.extensions import csrf

EXPIRED = _l(
    "The form had expired, so nothing was saved. Everything you typed is still here: "
    "please save again."
)
EXPIRED_STATUS = 400


def token_expired(form: FlaskForm) -> bool:
    """True (with the message on *form*) when the CSRF token does not hold."""
    try:
        csrf.protect()
    except CSRFError:
        form.form_errors.append(EXPIRED)
        return True
    return False
