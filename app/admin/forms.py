"""Forms of the admin area. The rules themselves live in the services; these only carry input."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, StringField, TextAreaField

from app.forms import Form
from app.services.errors import InvalidInput

LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"
# Browsers send datetime-local as 2025-03-01T09:30; people typing without one write a space.
ACCEPTED_FORMATS = (LOCAL_INPUT_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M")


class ArticleForm(Form):
    title = StringField(_l("Title"))
    slug = StringField(_l("Address (slug)"))
    author_name = StringField(_l("Author"))
    topics = StringField(_l("Topics"))
    summary = TextAreaField(_l("Excerpt"))
    body = TextAreaField(_l("Text"))
    comments_open = BooleanField(_l("Comments open"), default=True)
    publish_at = StringField(_l("Publication date and time"), render_kw={"type": "datetime-local"})
    revision = HiddenField()


class PageForm(Form):
    title = StringField(_l("Title"))
    slug = StringField(_l("Address (slug)"))
    footer_position = StringField(_l("Position in the footer"), render_kw={"inputmode": "numeric"})
    body = TextAreaField(_l("Text"))
    revision = HiddenField()


class ConfirmForm(Form):
    """A confirmation that carries only the CSRF token and an optional reason."""

    reason = TextAreaField(_l("Reason (optional, kept in the moderation log)"))


class RoleForm(Form):
    # Rendered as a <select> of UserRole by the template; the view checks the value.
    role = StringField(_l("Role"))


def parse_local(value: str | None, zone: ZoneInfo) -> datetime | None:
    """A wall-clock time typed in the site's time zone, as an aware UTC datetime."""
    value = (value or "").strip()
    if not value:
        return None
    for pattern in ACCEPTED_FORMATS:
        try:
            naive = datetime.strptime(value, pattern)  # noqa: DTZ007 - the zone is added below
        except ValueError:
            continue
        return naive.replace(tzinfo=zone).astimezone(UTC)
    raise InvalidInput(
        _l("Please give a date and time such as 2025-03-01 09:30."), field="publish_at"
    )


def local_input(moment: datetime | None, zone: ZoneInfo) -> str:
    """The value a datetime-local field shows for *moment*."""
    return moment.astimezone(zone).strftime(LOCAL_INPUT_FORMAT) if moment else ""


def parse_position(value: str | None) -> int:
    value = (value or "").strip()
    if not value:
        return 0
    if not (value.isascii() and value.isdigit()) or len(value) > 3:
        raise InvalidInput(_l("A whole number from 0 to 999."), field="footer_position")
    return int(value)
