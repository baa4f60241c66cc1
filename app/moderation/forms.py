"""Forms of the moderation pages. Rules are checked by the services; these only parse."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from app.forms import Form
from app.models import CommentStatus, FlagReason
from app.services.errors import InvalidInput

REASON_LENGTH = Length(max=500, message=_l("At most %(max)d characters, please."))


class DecisionForm(Form):
    """One decision on one comment. ``expected`` and ``flags`` are the state and the number
    of open flags the moderator saw; ``confirmed`` is sent by the page that asks before a
    deletion (or by the script that asked in place)."""

    reason = StringField(_l("Reason"), validators=[Optional(), REASON_LENGTH])
    expected = HiddenField()
    flags = HiddenField()
    next = HiddenField()
    confirmed = HiddenField()

    def expected_status(self) -> CommentStatus | None:
        try:
            return CommentStatus(self.expected.data) if self.expected.data else None
        except ValueError:
            return None

    def seen_flags(self) -> int | None:
        raw = (self.flags.data or "").strip()
        return int(raw) if raw.isdigit() and len(raw) < 6 else None


class UndoForm(Form):
    next = HiddenField()


class BulkForm(Form):
    """The checkboxes ``ids`` of the queue are read from the request beside this form."""

    action = HiddenField()
    reason = StringField(_l("Reason for hiding"), validators=[Optional(), REASON_LENGTH])
    next = HiddenField()


class ArticleDiscussionForm(Form):
    reason = StringField(_l("Reason"), validators=[Optional(), REASON_LENGTH])
    next = HiddenField()


FLAG_REASONS = [
    SelectChoice(FlagReason.SPAM.value, _l("Spam or advertising")),
    SelectChoice(FlagReason.ABUSE.value, _l("Abusive or hateful")),
    SelectChoice(FlagReason.OFF_TOPIC.value, _l("Off topic")),
    SelectChoice(FlagReason.OTHER.value, _l("Something else (please explain)")),
]


class FlagForm(Form):
    # The service says which reason is missing or wrong, so the form checks no choice.
    reason = RadioField(
        _l("Why should the moderators look at it?"), choices=FLAG_REASONS, validate_choice=False
    )
    note = TextAreaField(_l("Note for the moderators"), validators=[Optional()])
    next = HiddenField()


class BanForm(Form):
    # Ids of their own: the page holds the unban form too, and a label must find its field.
    reason = TextAreaField(_l("Reason (the member sees it)"), id="ban-reason")
    until = StringField(_l("Banned until (optional)"), id="ban-until")
    hide_comments = BooleanField(
        _l("Also hide all of this member's comments"), id="ban-hide-comments"
    )

    def until_utc(self, timezone: str) -> datetime | None:
        """The end typed in the site's time zone (``YYYY-MM-DDTHH:MM``), as UTC."""
        raw = (self.until.data or "").strip()
        if not raw:
            return None
        for pattern in ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
            try:
                local = datetime.strptime(raw, pattern)  # noqa: DTZ007 - zone added below
            except ValueError:
                continue
            return local.replace(tzinfo=ZoneInfo(timezone)).astimezone(UTC)
        raise InvalidInput(
            _l("Please give a date and time such as 2030-01-31 18:00."), field="until"
        )


class UnbanForm(Form):
    reason = StringField(_l("Reason"), validators=[Optional(), REASON_LENGTH], id="unban-reason")


MODERATION_CHOICES = [
    SelectChoice("all", _l("Hold every comment for review")),
    SelectChoice("first", _l("Hold comments until the member has one approved comment")),
    SelectChoice("none", _l("Hold nothing (the link limit and hold list still apply)")),
]


class SettingsForm(Form):
    """Text fields throughout, so that a refused value is shown again exactly as typed."""

    COMMENT_MODERATION = SelectField(
        _l("New comments"), choices=MODERATION_CHOICES, validate_choice=False
    )
    COMMENT_MAX_LINKS = StringField(_l("Most links in a comment before it is held"))
    COMMENT_MAX_LENGTH = StringField(_l("Longest comment (characters)"))
    COMMENT_HOLD_WORDS = TextAreaField(_l("Hold list: comments with these words wait"))
    COMMENT_BLOCK_WORDS = TextAreaField(_l("Block list: comments with these words are refused"))
    FLAG_THRESHOLD = StringField(_l("Flags that send a comment back to review"))
    COMMENT_EDIT_MINUTES = StringField(_l("Minutes a member may edit a comment"))
