"""Forms of the notification pages. The rules are checked by the services."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from wtforms import BooleanField, HiddenField, SelectField

from app.forms import Form


class FollowForm(Form):
    follow = HiddenField()  # "1" follows the article, "0" stops following it


class ClearForm(Form):
    """Takes the notices one has seen off the list."""


class RetryForm(Form):
    """An admin sends failed mails again."""


def interval_label(minutes: int) -> str:
    if minutes % 1440 == 0:
        days = minutes // 1440
        return ngettext("at most once a day", "at most once every %(num)d days", days)
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("at most once an hour", "at most once every %(num)d hours", hours)
    return ngettext("at most once a minute", "at most once every %(num)d minutes", minutes)


def _minutes(value: object) -> int:
    """The interval chosen; 0 (offered nowhere, so refused by the service) for anything else."""
    try:
        return int(str(value))
    except ValueError:
        return 0


class SettingsForm(Form):
    reply_mails = BooleanField(_l("Replies to my comments"))
    decision_mails = BooleanField(_l("Moderators’ decisions on my comments and my account"))
    follow_mails = BooleanField(_l("New comments under the articles I follow"))
    follow_when_writing = BooleanField(_l("Follow an article when I write a comment under it"))
    moderation_mails = BooleanField(_l("Comments waiting for review"))
    digest_minutes = SelectField(
        _l("Mails about new comments under followed articles"),
        coerce=_minutes,
        validate_choice=False,  # app.services.notifications.preferences.save_settings checks it
    )

    def __init__(self, *args: Any, choices: list[int], **kwargs: Any) -> None:
        super().__init__(*args, prefix="notifications", **kwargs)
        self.digest_minutes.choices = [(m, interval_label(m)) for m in choices]

    def values(self, may_moderate: bool) -> Mapping[str, Any]:
        values: dict[str, Any] = {
            "reply_mails": self.reply_mails.data,
            "decision_mails": self.decision_mails.data,
            "follow_mails": self.follow_mails.data,
            "follow_when_writing": self.follow_when_writing.data,
            "digest_minutes": self.digest_minutes.data,
        }
        if may_moderate:
            values["moderation_mails"] = self.moderation_mails.data
        return values
