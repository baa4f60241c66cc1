"""Words and helpers the notification templates use, in the reader's language."""

from __future__ import annotations

from flask_babel import gettext as _

from app.models import NoticeKind
from app.notifications import bp
from app.services.notifications.compose import moment_of, reason_for_mail
from app.text import excerpt_of_rendered


def notice_kind(kind: NoticeKind | str) -> str:
    return {
        NoticeKind.REPLY: _("reply"),
        NoticeKind.FOLLOWED: _("followed article"),
        NoticeKind.APPROVED: _("comment approved"),
        NoticeKind.UNHIDDEN: _("comment shown again"),
        NoticeKind.HIDDEN: _("comment hidden"),
        NoticeKind.BANNED: _("ban"),
        NoticeKind.UNBANNED: _("ban lifted"),
        NoticeKind.WAITING: _("waiting for review"),
    }.get(NoticeKind(kind), str(kind))


def notice_excerpt(body_html: str) -> str:
    return excerpt_of_rendered(body_html, 280)


bp.add_app_template_filter(notice_kind, "notice_kind")
bp.add_app_template_filter(moment_of, "notice_moment")
bp.add_app_template_filter(notice_excerpt, "notice_excerpt")
bp.add_app_template_global(reason_for_mail, "notice_reason")
