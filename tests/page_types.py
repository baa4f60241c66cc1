"""Every kind of page the site serves, on one database full of realistic content.

The HTML validity, accessibility, security-header and screenshot tests all walk
``PAGE_TYPES``. A new page type is one more ``PageType`` line: a name, the path (with
``{placeholders}`` filled from ``Scene.paths``), who looks at it and the status it answers with.
If the page needs content the scene does not have yet, add it in ``tests/scene.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask
from werkzeug.test import TestResponse

from tests.scene import Scene, client_as, scene_of
from tests.support import csrf_token


@dataclass(frozen=True)
class PageType:
    """A page as someone sees it: opened at *path*, or, with *form*, the page that answers
    when that form on *path* is sent (a refused form shown again, a preview)."""

    name: str
    path: str  # with {placeholders} from Scene.paths
    role: str | None = None  # None: a reader who is not logged in; else a key of Scene.users
    status: int = 200
    # Field name -> value typed; a button's name -> value picks the button that sends it.
    form: dict[str, str] | None = None
    action: str | None = None  # where the form posts, when not to *path*
    # The button that sends the form, when the fields alone do not say which form it is.
    submit: str | None = None

    def url(self, scene: Scene) -> str:
        return self.path.format_map(scene.paths)

    def action_url(self, scene: Scene) -> str:
        return (self.action or self.path).format_map(scene.paths)


PAGE_TYPES: list[PageType] = [
    PageType("home", "/"),
    PageType("home-page-2", "/?page=2"),
    PageType("article-deep-thread", "/articles/{article}"),
    PageType("article-deep-thread-member", "/articles/{article}", role="member"),
    PageType("article-deep-thread-moderator", "/articles/{article}", role="moderator"),
    PageType("article-draft-preview", "/articles/{draft}", role="admin"),
    PageType("topic", "/topics/{topic}"),
    PageType("fixed-page", "/pages/{page}"),
    PageType("not-found", "/articles/no-such-article", status=404),
    PageType("gone", "/articles/{deleted}", status=410),
    PageType("forbidden", "/moderation/", role="member", status=403),
    PageType("login", "/login"),
    PageType("register", "/register"),
    PageType("reset", "/reset"),
    PageType("account", "/account", role="member"),
    PageType("account-comments", "/account/comments", role="member"),
    PageType("article-reply-without-js", "/articles/{article}?reply_to={comment}", role="member"),
    PageType("comment-edit", "/comments/{own_comment}/edit", role="member"),
    PageType("reset-new-password", "/reset/{reset_token}"),
    PageType("reset-link-invalid", "/reset/not-a-token", status=410),
    PageType("confirm-link-invalid", "/confirm/not-a-token", status=404),
    PageType(
        "login-refused", "/login", form={"username": "Mitglied", "password": "falsch"}, status=401
    ),
    PageType(
        "register-refused",
        "/register",
        form={"username": "x", "email": "kein-name", "password": "kurz", "password_confirm": "y"},
        status=422,
    ),
    PageType(
        "comment-refused",
        "/articles/{article}",
        role="member",
        form={"body": "   "},
        action="/articles/{article}/comments",
        status=422,
    ),
    PageType(
        "comment-preview-without-js",
        "/articles/{article}",
        role="member",
        form={"body": "*Vorschau* mit `Code`", "preview": "1"},
        action="/articles/{article}/comments",
    ),
    PageType(
        "admin-article-refused",
        "/admin/articles/new",
        role="admin",
        form={"title": "", "body": "Text ohne Titel", "action": "draft"},
        status=422,
    ),
    PageType(
        "admin-article-expired-token",
        "/admin/articles/new",
        role="admin",
        form={
            "title": "Titel",
            "body": "Lange geschrieben",
            "action": "draft",
            "csrf_token": "alt",
        },
        status=400,
    ),
    PageType(
        "too-large",
        "/articles/{article}",
        role="member",
        form={"body": "x" * (3 * 1024 * 1024)},
        action="/articles/{article}/comments",
        status=413,
    ),
    PageType("admin-articles", "/admin/articles", role="admin"),
    PageType("admin-article-new", "/admin/articles/new", role="admin"),
    PageType("admin-article-edit", "/admin/articles/{draft_id}/edit", role="admin"),
    PageType("admin-article-delete", "/admin/articles/{draft_id}/delete", role="admin"),
    PageType("admin-pages", "/admin/pages", role="admin"),
    PageType("admin-page-new", "/admin/pages/new", role="admin"),
    PageType("admin-page-edit", "/admin/pages/{page_id}/edit", role="admin"),
    PageType("admin-users", "/admin/users", role="admin"),
    PageType("admin-user", "/admin/users/{member_id}", role="admin"),
    PageType("moderation-queue", "/moderation/", role="moderator"),
    PageType("moderation-log", "/moderation/log", role="moderator"),
    PageType("moderation-history", "/moderation/comments/{comment}", role="moderator"),
    PageType("moderation-member", "/moderation/members/{member_id}", role="moderator"),
    # Banned: the unban form and the form to change the ban on one page.
    PageType("moderation-member-banned", "/moderation/members/{banned_id}", role="moderator"),
    PageType("moderation-bans", "/moderation/bans", role="moderator"),
    PageType("flag-comment", "/comments/{comment}/flag", role="member"),
    PageType("admin-settings", "/admin/settings", role="admin"),
    PageType("notifications", "/notifications", role="member"),
    PageType("unsubscribe", "/unsubscribe/{unsubscribe_token}"),
    PageType("unsubscribe-invalid", "/unsubscribe/not-a-token", status=404),
    PageType("admin-notifications", "/admin/notifications", role="admin"),
    PageType(
        "admin-settings-preview",
        "/admin/settings",
        role="admin",
        form={
            "COMMENT_MODERATION": "all",
            "COMMENT_MAX_LINKS": "0",
            "COMMENT_MAX_LENGTH": "5000",
            "COMMENT_HOLD_WORDS": "krypto, Aufsicht",
            "COMMENT_BLOCK_WORDS": "Verordnung",
            "FLAG_THRESHOLD": "3",
            "COMMENT_EDIT_MINUTES": "15",
            "preview": "1",
        },
    ),
    PageType("moderation-queue-flagged", "/moderation/?kind=flagged", role="moderator"),
    PageType("moderation-queue-newest", "/moderation/?order=newest", role="moderator"),
    PageType(
        "moderation-delete-without-js",
        "/moderation/comments/{held}",
        role="moderator",
        form={"reason": "Doppelt"},
        action="/moderation/comments/{held}/delete",
        submit="form.moderation-controls__form--delete button",
    ),
    PageType(
        "comment-delete-without-js",
        "/articles/{article}",
        role="member",
        form={},
        action="/comments/{own_comment}/delete",
        submit="form.comment__delete button",
    ),
    PageType("flag-removed-comment", "/comments/{removed}/flag", role="member", status=404),
    PageType("topics", "/topics"),
    PageType("search", "/search?q=Banken"),
    PageType("search-comments", "/search?q=Aufsicht&kind=comments", role="member"),
    PageType("search-empty", "/search"),
    PageType("search-nothing-found", "/search?q=Quantenbuchhaltung"),
    PageType("search-common-words", "/search?q=und+die+der"),
]


@dataclass(frozen=True)
class Resource:
    """What the site serves besides pages: feeds, the sitemap, robots.txt, icons."""

    name: str
    path: str  # with {placeholders} from Scene.paths
    mimetype: str

    def url(self, scene: Scene) -> str:
        return self.path.format_map(scene.paths)


RESOURCES: list[Resource] = [
    Resource("feed", "/feed.atom", "application/atom+xml"),
    Resource("comments-feed", "/comments.atom", "application/atom+xml"),
    Resource("topic-feed", "/topics/{topic}/feed.atom", "application/atom+xml"),
    Resource("article-comments-feed", "/articles/{article}/comments.atom", "application/atom+xml"),
    Resource("sitemap", "/sitemap.xml", "application/xml"),
    Resource("robots", "/robots.txt", "text/plain"),
    Resource("favicon", "/favicon.ico", "image/vnd.microsoft.icon"),
    Resource("manifest", "/site.webmanifest", "application/manifest+json"),
]


def fetch(
    app: Flask, page_type: PageType, language: str = "de", base_url: str = "http://localhost"
) -> TestResponse:
    """The response a browser gets for *page_type*, through the test client."""
    scene = scene_of(app)
    client = client_as(app, page_type.role)
    options = {"headers": {"Accept-Language": language}, "base_url": base_url}
    response = client.get(page_type.url(scene), **options)
    if page_type.form is None:
        return response
    # A form may name its own token (an expired one); else the page's is sent.
    data = {"csrf_token": csrf_token(response.data), **page_type.form}
    # Over HTTPS the CSRF check also wants the page the form came from, as browsers send it.
    options["headers"]["Referer"] = base_url + page_type.url(scene)
    return client.post(page_type.action_url(scene), data=data, **options)
