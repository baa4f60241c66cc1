"""The data model. Import models from here."""

from app.models.article import Article, ArticleSlug, BodyFormat, Page, Topic, article_topics
from app.models.base import UTCDateTime, fixed, utcnow
from app.models.cache_version import CacheVersion, VersionScope
from app.models.comment import (
    Comment,
    CommentDraft,
    CommentRevision,
    CommentStatus,
    Flag,
    FlagReason,
)
from app.models.legacy import LegacyPath, LegacyTarget
from app.models.moderation import (
    ModerationAction,
    ModerationEvent,
    Reason,
    ReasonCode,
    SiteSetting,
)
from app.models.notification import (
    ArticleFollow,
    MailState,
    Notice,
    NoticeDigest,
    NoticeKind,
    NotificationSettings,
)
from app.models.user import AccountState, User, UserKind, UserRole, email_key, username_key

__all__ = [
    "CacheVersion",
    "VersionScope",
    "AccountState",
    "Article",
    "ArticleFollow",
    "ArticleSlug",
    "BodyFormat",
    "Comment",
    "CommentDraft",
    "CommentRevision",
    "CommentStatus",
    "Flag",
    "FlagReason",
    "LegacyPath",
    "LegacyTarget",
    "MailState",
    "ModerationAction",
    "ModerationEvent",
    "Notice",
    "NoticeDigest",
    "NoticeKind",
    "NotificationSettings",
    "Page",
    "Reason",
    "ReasonCode",
    "SiteSetting",
    "Topic",
    "UTCDateTime",
    "fixed",
    "User",
    "UserKind",
    "UserRole",
    "article_topics",
    "email_key",
    "username_key",
    "utcnow",
]
