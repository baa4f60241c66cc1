"""Accounts: who someone is on the site and what role they have."""

from __future__ import annotations

import enum
import unicodedata
from datetime import datetime

from flask_babel import gettext
from flask_login import UserMixin
from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import UTCDateTime, str_enum, utcnow


class UserRole(enum.StrEnum):
    MEMBER = "member"
    MODERATOR = "moderator"
    ADMIN = "admin"


ROLE_RANK = {UserRole.MEMBER: 0, UserRole.MODERATOR: 1, UserRole.ADMIN: 2}


class UserKind(enum.StrEnum):
    """An account someone logs in with, or the name of an imported commenter without one."""

    ACCOUNT = "account"
    GUEST = "guest"


class AccountState(enum.StrEnum):
    ACTIVE = "active"
    BANNED = "banned"
    DELETED = "deleted"


def username_key(name: str) -> str:
    """The form under which names are compared: "Jürgen" and "JÜRGEN" are one name."""
    return unicodedata.normalize("NFKC", name).casefold()


def email_key(address: str) -> str:
    return address.strip().casefold()


class User(UserMixin, db.Model):
    __tablename__ = "users"
    # Erased and banned accounts are few: the moderation pages count them through this.
    __table_args__ = (Index("ix_users_state", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Personal columns are nullable because a deleted account has them erased.
    username: Mapped[str | None] = mapped_column(String(30))
    username_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    email: Mapped[str | None] = mapped_column(String(254))
    email_key: Mapped[str | None] = mapped_column(String(254), unique=True)
    # werkzeug's scrypt hashes are about 160 characters; leave room for a future method.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[UserRole] = mapped_column(str_enum(UserRole), default=UserRole.MEMBER)
    state: Mapped[AccountState] = mapped_column(str_enum(AccountState), default=AccountState.ACTIVE)
    banned_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ban_reason: Mapped[str | None] = mapped_column(String(500))
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    locale: Mapped[str | None] = mapped_column(String(10))
    # Part of the login session's id: raising it logs the account out everywhere.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    kind: Mapped[UserKind] = mapped_column(str_enum(UserKind), default=UserKind.ACCOUNT)
    # The author's id in the WordPress site an import came from; re-imports find the row by it.
    wp_id: Mapped[int | None] = mapped_column(unique=True, index=True)
    # A guest's identity in imports (a digest of name and address), so re-imports reuse it.
    guest_key: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)
    # A guest's address in email_key form, kept only so its owner can claim the comments:
    # never shown, never mailed.
    claim_email: Mapped[str | None] = mapped_column(String(254), index=True)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses logins of inactive users
        return self.state is not AccountState.DELETED and self.kind is not UserKind.GUEST

    @property
    def is_guest(self) -> bool:
        return self.kind is UserKind.GUEST

    @property
    def display_name(self) -> str:
        """The name shown with the member's comments; erased accounts show as deleted."""
        if self.state is AccountState.DELETED or not self.username:
            return gettext("deleted account")
        return self.username

    @property
    def is_deleted(self) -> bool:
        return self.state is AccountState.DELETED

    @property
    def is_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    def is_banned_at(self, now: datetime) -> bool:
        """Banned now? A ban with an end that has passed no longer counts."""
        if self.state is not AccountState.BANNED:
            return False
        return self.banned_until is None or self.banned_until > now

    def has_role(self, role: UserRole) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[role]

    def __repr__(self) -> str:
        return f"<User {self.id} {self.username!r}>"
