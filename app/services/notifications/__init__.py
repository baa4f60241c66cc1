"""Notifications: people hear of what concerns them, once, when there is something to see.

- ``events``: the hooks the comment lifecycle calls; they write notices (the outbox) in the
  event's own transaction.
- ``rules``: who hears of what, and whether what a notice points to still holds.
- ``preferences``: mails per topic, the digest interval, followed articles.
- ``onsite``: the member's list of notices and the header's unread count.
- ``compose`` and ``delivery``: mails in the reader's language, sent by workers that claim
  rows so that several can run at once, with retries and a list of failures for admins.
- ``unsubscribe``: signed one-click links (RFC 8058).
"""

from app.services.notifications.events import (
    account_erased,
    comment_flagged,
    comment_posted,
    comment_status_changed,
    member_banned,
    member_unbanned,
)

__all__ = [
    "account_erased",
    "comment_flagged",
    "comment_posted",
    "comment_status_changed",
    "member_banned",
    "member_unbanned",
]
