"""The comment forms. The rules (length, blank, parent) live in app/services/comments.py."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, TextAreaField

from app.forms import Form


class CommentForm(Form):
    """A new comment or reply.

    The CSRF token is checked by the view itself rather than by the form: a member whose
    session ended while writing sends a token that no longer matches, and the view must
    then keep the text instead of answering with a bare error page.
    """

    class Meta:
        csrf = False

    body = TextAreaField(_l("Your comment"))
    parent_id = HiddenField()
    draft = HiddenField()
    submission = HiddenField()  # new for each drawn form: a second send stores nothing


class EditCommentForm(Form):
    # CSRFProtect checks every POST to the edit view before it runs.
    class Meta:
        csrf = False

    body = TextAreaField(_l("Your comment"))
