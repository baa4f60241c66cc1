"""A comment sent while the database is away is offered back on the 503 page, not lost.

Nothing is stored (nothing can be): the text comes back in a form that sends it to the same
address again, with its reply target and submission key, so a second send after the outage
stores it once. The browser's own copy (static/js/comments.js) is only cleared once the
comment has been posted, so it survives as well.
"""

from __future__ import annotations

from flask import Response, current_app, request
from flask_babel import lazy_gettext as _l

from app.comments import bp
from app.errors import UNREACHABLE, KeptForm, database_unreachable, unavailable

KEPT_FIELDS = ("parent_id", "draft", "submission")


def kept_comment() -> KeptForm | None:
    """The comment form as sent, when this request wrote one; None otherwise."""
    body = request.form.get("body", "") if request.method == "POST" else ""
    if request.endpoint not in ("comments.create", "comments.edit") or not body.strip():
        return None
    creating = request.endpoint == "comments.create"
    hidden = {name: request.form[name] for name in KEPT_FIELDS if request.form.get(name)}
    return KeptForm(
        action=request.full_path.rstrip("?"),
        text_name="body",
        text=body.replace("\r\n", "\n"),
        text_label=_l("Your comment"),
        button=_l("Post comment") if creating else _l("Save changes"),
        hidden=hidden if creating else {},
    )


def _offer_back(error: Exception) -> Response:
    if not database_unreachable(error):
        raise error
    current_app.logger.error("database unreachable while writing a comment: %s", error)
    return unavailable(kept_comment())


for _error_class in UNREACHABLE:
    bp.register_error_handler(_error_class, _offer_back)
