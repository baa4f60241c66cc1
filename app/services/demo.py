"""Demo content for an empty database: articles, fixed pages, accounts and a few comments.

The texts live as Markdown files with a front-matter header under ``app/demo/`` (see its
README) and are read with the importer's parser. The articles' dates are moved so that the
newest appeared a few days before loading; their order and spacing stay as written.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import text
from app.models import (
    Article,
    Comment,
    CommentStatus,
    ModerationAction,
    Page,
    Topic,
    User,
    UserRole,
)
from app.services.accounts import create_user
from app.services.importer import ArticleSource, site_zone
from app.services.importer.dates import local_day, local_to_utc
from app.services.importer.front_matter import parse_markdown_article, split_front_matter
from app.services.publishing import ArticleInput, create_article
from app.services.transitions import change_status, discussion_changed, log_event

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo"
NEWEST_DAYS_AGO = 3
ACCOUNTS: tuple[tuple[str, UserRole], ...] = (
    ("admin", UserRole.ADMIN),
    ("moderator", UserRole.MODERATOR),
    ("Mia", UserRole.MEMBER),
    ("Jonas", UserRole.MEMBER),
)
# Articles by this author name are the admin account's: its comments there show as the author's.
EDITORIAL = ("Redaktion Diskurs", "admin")
PAGE_KEYS = ("title", "slug", "footer_position")
COMMENT_KEYS = ("article", "author", "reply_to", "status", "hours_after")


@dataclass
class DemoAccount:
    user: User
    password: str


@dataclass
class DemoResult:
    articles: list[Article]
    pages: list[Page]
    comments: list[Comment]
    accounts: list[DemoAccount]
    topics: set[str] = field(default_factory=set)

    def lines(self) -> list[str]:
        pending = sum(c.status is CommentStatus.PENDING for c in self.comments)
        lines = [
            f"Demo content loaded: {len(self.articles)} articles in {len(self.topics)} topics, "
            f"{len(self.pages)} pages, {len(self.comments)} comments ({pending} pending).",
            "Demo accounts (the passwords are shown only this once; write them down):",
        ]
        width = max(len(account.user.username or "") for account in self.accounts)
        for account in self.accounts:
            user = account.user
            lines.append(
                f"  {user.username:<{width}}  {user.role.value:<9}  {user.email:<24}  "
                f"password: {account.password}"
            )
        return lines


def has_content(session: Session) -> bool:
    """Anything a site owner made already: then the demo must not mix itself in."""
    return any(
        session.scalar(select(model.id).limit(1)) is not None
        for model in (Article, Page, User, Topic, Comment)
    )


def read_articles(directory: Path) -> list[tuple[str, ArticleSource]]:
    """(file stem, article) for each demo article, in file order; dates as written."""
    found = []
    for path in sorted(directory.glob("*.md")):
        source = parse_markdown_article(path.read_text(encoding="utf-8"))
        if source.day is None:
            raise ValueError(f"{path}: a demo article needs a date")
        found.append((path.stem, source))
    return found


def _create_articles(
    session: Session, directory: Path, now: datetime, zone: tzinfo
) -> list[Article]:
    sources = read_articles(directory)
    newest = max(source.day for _, source in sources)
    shift = (local_day(now, zone) - timedelta(days=NEWEST_DAYS_AGO)) - newest
    articles = []
    for _, source in sources:
        published = local_to_utc(source.day + shift, source.time, zone)
        data = ArticleInput(
            title=source.title,
            body=source.body,
            author_name=source.author,
            slug=source.slug,
            topics=source.topics,
            summary=source.summary,
            published_at=published,
        )
        articles.append(create_article(session, data, now=published))
    return articles


def _create_pages(session: Session, directory: Path, now: datetime) -> list[Page]:
    pages = []
    for path in sorted(directory.glob("*.md")):
        fields, body = split_front_matter(path.read_text(encoding="utf-8"), PAGE_KEYS, PAGE_KEYS)
        page = Page(
            title=fields["title"],
            slug=fields["slug"],
            body=body + "\n",
            body_html=text.render_article(body),
            footer_position=int(fields["footer_position"]),
            updated_at=now,
        )
        session.add(page)
        pages.append(page)
    session.flush()
    return sorted(pages, key=lambda page: page.footer_position)


def _create_accounts(session: Session, since: datetime) -> list[DemoAccount]:
    accounts = []
    for name, role in ACCOUNTS:
        password = secrets.token_urlsafe(12)
        user = create_user(
            session,
            username=name,
            email=f"{name.lower()}@example.org",
            password=password,
            role=role,
            now=since,
            confirmed=True,
        )
        accounts.append(DemoAccount(user, password))
    return accounts


def _create_comments(
    session: Session,
    directory: Path,
    articles: list[Article],
    users: dict[str, User],
    now: datetime,
) -> list[Comment]:
    by_slug = {article.slug: article for article in articles}
    moderator = next(user for user in users.values() if user.role is UserRole.MODERATOR)
    planned = []
    for path in sorted(directory.glob("*.md")):
        fields, body = split_front_matter(
            path.read_text(encoding="utf-8"), COMMENT_KEYS, ("article", "author")
        )
        article, author = by_slug.get(fields["article"]), users.get(fields["author"])
        if article is None or author is None:
            raise ValueError(f"{path}: no demo article or account {fields!r}")
        at = article.published_at + timedelta(hours=float(fields.get("hours_after", "1")))
        planned.append((min(at, now - timedelta(minutes=5)), path.stem, fields, body, article))

    comments: dict[str, Comment] = {}
    approved: set[int] = set()
    for at, stem, fields, body, article in sorted(planned, key=lambda item: item[0]):
        author = users[fields["author"]]
        parent = comments.get(fields.get("reply_to", ""))
        wanted = CommentStatus(fields.get("status", "visible"))
        # Under the default policy a member's first comment waits for a moderator.
        held = wanted is CommentStatus.PENDING or (
            author.role is UserRole.MEMBER and author.id not in approved
        )
        comment = Comment(
            article_id=article.id,
            author_id=author.id,
            parent_id=parent.id if parent else None,
            depth=parent.depth + 1 if parent else 1,
            body=body + "\n",
            body_html=text.render_comment(body),
            status=CommentStatus.PENDING if held else CommentStatus.VISIBLE,
            created_at=at,
        )
        session.add(comment)
        session.flush()
        log_event(
            session,
            action=ModerationAction.POST,
            actor=author,
            now=at,
            comment=comment,
            to_state=comment.status.value,
        )
        if held and wanted is CommentStatus.VISIBLE:
            approved_at = min(at + timedelta(minutes=40), now - timedelta(minutes=1))
            change_status(
                session,
                comment,
                CommentStatus.VISIBLE,
                action=ModerationAction.APPROVE,
                actor=moderator,
                now=approved_at,
            )
        else:
            discussion_changed(session, article.id)
        if comment.status is CommentStatus.VISIBLE:
            approved.add(author.id)
        comments[stem] = comment
    return list(comments.values())


def load_demo(
    session: Session,
    *,
    now: datetime,
    timezone: str | tzinfo | None = None,
    directory: Path = DEMO_DIR,
) -> DemoResult | None:
    """Fill an empty database with the demo; None (and no change) when it has content.

    The caller commits. *timezone* is the site's (config TIMEZONE when None).
    """
    if has_content(session):
        return None
    zone = site_zone(timezone)
    articles = _create_articles(session, directory / "articles", now, zone)
    oldest = min(article.published_at for article in articles)
    accounts = _create_accounts(session, since=oldest - timedelta(days=7))
    users = {account.user.username: account.user for account in accounts}
    for article in articles:
        if article.author_name == EDITORIAL[0]:
            article.author_id = users[EDITORIAL[1]].id
    pages = _create_pages(session, directory / "pages", now)
    comments = _create_comments(session, directory / "comments", articles, users, now)
    topics = {topic.name for article in articles for topic in article.topics}
    return DemoResult(articles, pages, comments, accounts, topics)
