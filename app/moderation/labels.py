"""How the moderation pages name states, actions and flag reasons, in the reader's language."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from app import text
from app.models import FlagReason, ModerationAction, Reason
from app.moderation import bp
from app.permissions import is_moderator
from app.services.reasons import Audience, reason_text


@bp.app_template_filter("reason_for_moderators")
def reason_for_moderators(reason: Reason | None) -> str:
    """A reason as moderators read it (the matching word of the hold list included)."""
    return reason_text(reason, Audience.MODERATOR)


@bp.app_template_filter("reason_for_author")
def reason_for_author(reason: Reason | None) -> str:
    """A reason as its author reads it: plain words, the hold list not given away."""
    return reason_text(reason, Audience.AUTHOR)


@bp.app_template_global()
def reason_for_viewer(reason: Reason | None, viewer: Any) -> str:
    """The words for *viewer*: moderators see what matched, everyone else does not."""
    if is_moderator(viewer):
        return reason_for_moderators(reason)
    return reason_for_author(reason)


@bp.app_template_global()
def flag_reason_label(reason: Any) -> str:
    labels = {
        FlagReason.SPAM: _("Spam"),
        FlagReason.ABUSE: _("Abuse"),
        FlagReason.OFF_TOPIC: _("Off topic"),
        FlagReason.OTHER: _("Other"),
    }
    try:
        return labels[FlagReason(reason)]
    except ValueError:
        return str(reason)


@bp.app_template_global()
def moderation_state_label(state: str | None) -> str:
    if not state:
        return "–"
    labels = {
        "pending": _("waiting"),
        "visible": _("visible"),
        "hidden": _("hidden"),
        "deleted": _("deleted"),
        "active": _("active"),
        "banned": _("banned"),
        "expired": _("ban expired"),
        "open": _("open"),
        "closed": _("closed"),
    }
    return labels.get(str(state), str(state))


@bp.app_template_global()
def moderation_action_label(action: Any) -> str:
    labels = {
        ModerationAction.POST: _("Posted"),
        ModerationAction.EDIT: _("Edited"),
        ModerationAction.APPROVE: _("Approved"),
        ModerationAction.HIDE: _("Hidden"),
        ModerationAction.UNHIDE: _("Shown again"),
        ModerationAction.DELETE: _("Deleted"),
        ModerationAction.FLAG_THRESHOLD: _("Flagged for review"),
        ModerationAction.DISMISS_FLAGS: _("Flags dismissed"),
        ModerationAction.BAN: _("Banned"),
        ModerationAction.UNBAN: _("Unbanned"),
        ModerationAction.CLOSE: _("Comments closed"),
        ModerationAction.REOPEN: _("Comments reopened"),
        ModerationAction.DELETE_ARTICLE: _("Article deleted"),
        ModerationAction.RESTORE_ARTICLE: _("Article restored"),
        ModerationAction.CHANGE_ROLE: _("Role changed"),
        ModerationAction.UNDO: _("Undone"),
    }
    try:
        return labels[ModerationAction(action)]
    except ValueError:
        return str(action)


@bp.app_template_filter("comment_excerpt")
def comment_excerpt(body_html: str, limit: int = 200) -> str:
    """A comment's text as a short plain quote (for the comment another one answers)."""
    return text.excerpt_of_rendered(body_html or "", limit)
