"""Words for states, roles and decisions in the admin area, in the reader's language."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _

from app.admin import bp
from app.models import AccountState, CommentStatus, ModerationAction, UserRole
from app.services.article_admin import ArticleState


def article_state(state: ArticleState) -> str:
    return {
        ArticleState.DRAFT: _("Draft"),
        ArticleState.SCHEDULED: _("Scheduled"),
        ArticleState.PUBLISHED: _("Published"),
        ArticleState.DELETED: _("Deleted"),
    }[state]


def role(value: UserRole) -> str:
    return {
        UserRole.MEMBER: _("Member"),
        UserRole.MODERATOR: _("Moderator"),
        UserRole.ADMIN: _("Administrator"),
    }[value]


def account_state(state: AccountState) -> str:
    return {
        AccountState.ACTIVE: _("active"),
        AccountState.BANNED: _("banned"),
        AccountState.DELETED: _("deleted"),
    }[state]


def comment_status(status: CommentStatus | str) -> str:
    return {
        CommentStatus.PENDING: _("pending"),
        CommentStatus.VISIBLE: _("visible"),
        CommentStatus.HIDDEN: _("hidden"),
        CommentStatus.DELETED: _("deleted"),
    }.get(CommentStatus(status), str(status))


def moderation_action(action: ModerationAction) -> str:
    return {
        ModerationAction.POST: _("posted"),
        ModerationAction.EDIT: _("edited"),
        ModerationAction.APPROVE: _("approved"),
        ModerationAction.HIDE: _("hidden"),
        ModerationAction.UNHIDE: _("shown again"),
        ModerationAction.DELETE: _("deleted"),
        ModerationAction.FLAG_THRESHOLD: _("flagged for review"),
        ModerationAction.DISMISS_FLAGS: _("flags dismissed"),
        ModerationAction.BAN: _("banned"),
        ModerationAction.UNBAN: _("unbanned"),
        ModerationAction.CLOSE: _("comments closed"),
        ModerationAction.REOPEN: _("comments reopened"),
        ModerationAction.DELETE_ARTICLE: _("article deleted"),
        ModerationAction.RESTORE_ARTICLE: _("article restored"),
        ModerationAction.CHANGE_ROLE: _("role changed"),
    }.get(action, str(action))


def state_word(value: str | None) -> str:
    """A logged from/to state, which may be a comment state, an article state or a role."""
    if value is None:
        return ""
    for kind, label in (
        (CommentStatus, comment_status),
        (ArticleState, article_state),
        (UserRole, role),
        (AccountState, account_state),
    ):
        if value in set(kind):
            return label(kind(value))
    return value


for name, function in {
    "admin_article_state": article_state,
    "admin_role": role,
    "admin_account_state": account_state,
    "admin_comment_status": comment_status,
    "admin_action": moderation_action,
    "admin_state_word": state_word,
}.items():
    bp.add_app_template_filter(function, name)


@bp.context_processor
def admin_navigation() -> dict:
    def admin_sections() -> list[tuple[str, str]]:
        sections = [
            ("admin.articles", _("Articles")),
            ("admin.pages", _("Pages")),
            ("admin.users", _("People")),
            ("admin.export", _("Export")),
        ]
        if "admin.settings" in current_app.view_functions:
            sections.append(("admin.settings", _("Settings")))
        if "notifications.failed" in current_app.view_functions:
            sections.append(("notifications.failed", _("Mails")))
        return sections

    return {"admin_sections": admin_sections}
