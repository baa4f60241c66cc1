"""Mails of notices, written in the reader's language at the moment they are sent.

Every link is absolute to ``BASE_URL``; every mail has a plain-text and an HTML part, a
Message-ID of its own, In-Reply-To/References naming its article (so mail programs put an
article's mails into one thread) and a one-click unsubscribe link (RFC 8058). A mail is
addressed to its reader alone and names other members only by their display name.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app, g
from flask_babel import force_locale, format_date, format_time, ngettext
from flask_babel import gettext as _

from app.config import SUPPORTED_LOCALES
from app.links import absolute_url
from app.mail import mail_domain
from app.models import Article, Comment, ModerationEvent, Notice, NoticeKind, User
from app.services.notifications import unsubscribe
from app.services.notifications.rules import TOPIC_OF, Topic
from app.services.reasons import Audience, reason_text
from app.text import excerpt_of_rendered

TEMPLATE = "notifications/mail/{name}.{format}"
EXCERPT_LENGTH = 400
DIGEST_ENTRIES = 25  # listed in one digest; the rest is counted, and linked to


@dataclass
class Subject:
    """A notice with what it points to, loaded for rendering."""

    notice: Notice
    comment: Comment | None = None
    article: Article | None = None
    event: ModerationEvent | None = None
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str
    html: str
    headers: dict[str, str]
    message_id: str


def reason_for_mail(event: ModerationEvent | None) -> str | None:
    """The reason of a moderator's decision as the comment's author should read it, in the
    language forced around the call (a moderator's own words stay as they were typed)."""
    if event is None or event.reason is None:
        return None
    return reason_text(event.reason, Audience.AUTHOR) or None


def language_of(user: User) -> str:
    locale = user.locale if user.locale in SUPPORTED_LOCALES else None
    return locale or current_app.config["DEFAULT_LOCALE"]


@contextmanager
def in_language(user: User) -> Iterator[None]:
    """Gettext and dates in *user*'s language, inside a request or in a worker without one."""
    g.notification_language = language_of(user)  # flask-babel forces only with a non-empty g
    try:
        with force_locale(language_of(user)):
            yield
    finally:
        g.pop("notification_language", None)


def _thread_headers(article_id: int | None, topic: str) -> dict[str, str]:
    root = f"<article-{article_id}@{mail_domain()}>" if article_id else None
    if topic == Topic.MODERATION:
        root = f"<moderation@{mail_domain()}>"
    return {"In-Reply-To": root, "References": root} if root else {}


def _unsubscribe_url(recipient: User, topic: Topic, article_id: int | None) -> str:
    token = unsubscribe.token_for(current_app.config["SECRET_KEY"], recipient.id, topic, article_id)
    return absolute_url("notifications.unsubscribe_link", token=token)


def _render(name: str, values: dict[str, Any]) -> tuple[str, str]:
    environment = current_app.jinja_env
    text = environment.get_template(TEMPLATE.format(name=name, format="txt")).render(values)
    html = environment.get_template(TEMPLATE.format(name=name, format="html")).render(values)
    return text, html


def _mail(
    recipient: User,
    name: str,
    subject: str,
    values: dict[str, Any],
    *,
    topic: Topic,
    article_id: int | None,
    message_id: str,
) -> Mail:
    stop = _unsubscribe_url(recipient, topic, article_id if topic is Topic.FOLLOWING else None)
    values = {
        **values,
        "recipient": recipient,
        "subject": subject,
        "lang": language_of(recipient),
        "site_name": current_app.config["SITE_NAME"],
        "topic": topic.value,
        "unsubscribe_url": stop,
        "settings_url": absolute_url("account.index", _anchor="notifications"),
        "home_url": absolute_url("articles.home"),
    }
    text, html = _render(name, values)
    headers = {
        **_thread_headers(article_id, topic),
        "List-Unsubscribe": f"<{stop}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return Mail(recipient.email or "", subject, text, html, headers, message_id)


def _comment_values(subject: Subject) -> dict[str, Any]:
    comment, article = subject.comment, subject.article
    return {
        "comment": comment,
        "article": article,
        "author_name": comment.author.display_name if comment else "",
        "excerpt": excerpt_of_rendered(comment.body_html, EXCERPT_LENGTH) if comment else "",
        "comment_url": absolute_url("comments.permalink", comment_id=comment.id)
        if comment
        else None,
        "article_url": absolute_url("articles.article", slug=article.slug) if article else None,
    }


def single_mail(recipient: User, subject: Subject) -> Mail:
    """The mail of one notice (a reply, a decision, a ban)."""
    notice = subject.notice
    kind, title = notice.kind, subject.article.title if subject.article else ""
    with in_language(recipient):
        values = {**_comment_values(subject), "kind": kind.value}
        if kind is NoticeKind.REPLY:
            name = "reply"
            line = _(
                "%(name)s replied to your comment on “%(title)s”",
                name=values["author_name"],
                title=title,
            )
        elif kind is NoticeKind.BANNED:
            name, line = "banned", _banned_subject()
            values.update(_ban_values(subject))
        elif kind is NoticeKind.UNBANNED:
            name = "unbanned"
            line = _("You may write at %(site)s again", site=current_app.config["SITE_NAME"])
        else:
            name, line = "decision", _decision_subject(kind, title)
            values["reason"] = reason_for_mail(subject.event)
        return _mail(
            recipient,
            name,
            line,
            values,
            topic=TOPIC_OF[kind],
            article_id=notice.article_id,
            message_id=f"<notice-{notice.id}@{mail_domain()}>",
        )


def _decision_subject(kind: NoticeKind, title: str) -> str:
    if kind is NoticeKind.APPROVED:
        return _("Your comment on “%(title)s” is published", title=title)
    if kind is NoticeKind.UNHIDDEN:
        return _("Your comment on “%(title)s” is visible again", title=title)
    return _("A moderator has hidden your comment on “%(title)s”", title=title)


def _banned_subject() -> str:
    return _("Your account at %(site)s may not write for now", site=current_app.config["SITE_NAME"])


def moment_of(value: str | None) -> str:
    """A moment kept in a notice's parameters (ISO 8601), as its reader's language writes
    it in the site's time zone, to the minute."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value)
    return f"{format_date(moment, 'long')}, {format_time(moment, 'short')}"


def _ban_values(subject: Subject) -> dict[str, Any]:
    until = subject.params.get("until")
    return {
        "reason": subject.params.get("reason"),
        "until": moment_of(until) if until else None,
        "comments_hidden": bool(subject.params.get("comments_hidden")),
    }


def digest_mail(recipient: User, subjects: Sequence[Subject]) -> Mail:
    """One mail for many notices of one digest: new comments under a followed article, or
    the comments waiting in the moderation queue."""
    first = subjects[0].notice
    message_id = f"<digest-{min(s.notice.id for s in subjects)}@{mail_domain()}>"
    if first.kind is NoticeKind.WAITING:  # flagged, then held: one comment, listed once
        subjects = list({s.notice.comment_id: s for s in subjects}.values())
    with in_language(recipient):
        entries = [_comment_values(subject) for subject in subjects[:DIGEST_ENTRIES]]
        more = len(subjects) - len(entries)
        if first.kind is NoticeKind.WAITING:
            line = ngettext(
                "%(num)d comment is waiting for review",
                "%(num)d comments are waiting for review",
                len(subjects),
            )
            values = {
                "entries": entries,
                "more": more,
                "count": len(subjects),
                "queue_url": absolute_url("moderation.queue"),
            }
            return _mail(
                recipient,
                "waiting",
                line,
                values,
                topic=Topic.MODERATION,
                article_id=None,
                message_id=message_id,
            )
        article = subjects[0].article
        line = ngettext(
            "%(num)d new comment on “%(title)s”",
            "%(num)d new comments on “%(title)s”",
            len(subjects),
            title=article.title,
        )
        values = {
            "entries": entries,
            "more": more,
            "count": len(subjects),
            "article": article,
            "article_url": absolute_url("articles.article", slug=article.slug),
        }
        return _mail(
            recipient,
            "followed",
            line,
            values,
            topic=Topic.FOLLOWING,
            article_id=first.article_id,
            message_id=message_id,
        )
