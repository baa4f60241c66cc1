"""Attack strings as comments, usernames and article titles run nothing in a real browser.

The corpus is ../shared/corpora/blns.json (read there) plus classic payloads. Each page is
opened twice: with the Content-Security-Policy bypassed, which proves the escaping alone, and
with it, where nothing may even try to run (no CSP violation reported).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import Comment, CommentStatus, ModerationAction, User, UserRole, utcnow
from app.services import publishing, transitions
from app.services.errors import DomainError
from app.text import render_comment
from tests.conftest import SHARED
from tests.e2e.conftest import LiveServer
from tests.scene import Scene, scene_app, scene_of, session_cookie
from tests.support import require

BLNS = SHARED / "corpora" / "blns.json"

# Each calls a different function, so a dialog names the payload that fired.
CLASSIC = [
    "<script>alert('script-tag')</script>",
    "<img src=x onerror=alert('img-onerror')>",
    "<svg/onload=alert('svg-onload')>",
    "\"><script>alert('attr-break')</script>",
    "'><img src=x onerror=confirm('single-quote')>",
    "</title><script>alert('title-break')</script>",
    "</textarea><script>alert('textarea-break')</script>",
    "<details open ontoggle=prompt('details')>",
    "<a href=\"javascript:alert('js-href')\">klick</a>",
    "[klick](javascript:alert('md-link'))",
    "![bild](x\" onerror=\"alert('md-image'))",
    "<iframe src=\"javascript:alert('iframe')\"></iframe>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('mxss')>",
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(\'refresh\')">',
    "javascript:alert('bare-js')",
    "{{ config }}{% print 7*7 %}",
    "<style>body{display:none}</style>",
]

# Posted one by one through the forms (every string of CLASSIC goes through the previews).
FORM_SAMPLE = [CLASSIC[0], CLASSIC[1], CLASSIC[3], CLASSIC[9]]

WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.sample || e.blockedURI));
});
"""

INJECTED = """() => {
  const found = [];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      if (attr.name.startsWith("on")) found.push(`${el.tagName} ${attr.name}`);
      const isUrl = ["href", "src", "action", "formaction", "xlink:href", "data"]
        .includes(attr.name);
      if (isUrl && /^\\s*javascript:/i.test(attr.value))
        found.push(`${el.tagName} ${attr.name}=javascript:`);
    }
  }
  // A JSON-LD data block is never run; it must hold JSON and nothing else.
  const data = 'script[type="application/ld+json"]:not([src])';
  const foreign = `script:not([src]):not(${data}), script[src]:not([src^='/static/'])`;
  for (const el of document.querySelectorAll(foreign))
    found.push("script " + (el.src || el.textContent.slice(0, 40)));
  for (const el of document.querySelectorAll(data)) {
    try { JSON.parse(el.textContent); } catch (e) { found.push("data block that is not JSON"); }
    if (el.children.length) found.push("data block with elements");
  }
  for (const el of document.querySelectorAll("iframe, object, embed, base, body meta, body style"))
    found.push(el.tagName);
  return found;
}"""


def corpus() -> list[str]:
    require(BLNS.exists(), f"the attack corpus is missing at {BLNS}")
    strings = json.loads(BLNS.read_text(encoding="utf-8"))
    return CLASSIC + [s for s in strings if s.strip()]


@dataclass
class Watch:
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)


@contextmanager
def watched_tab(browser, server, *, user: User | None, bypass_csp: bool) -> Iterator[Any]:  # noqa: ANN001
    context = browser.new_context(locale="de-DE", bypass_csp=bypass_csp)
    if user is not None:
        name, value = session_cookie(server.app, user)
        context.add_cookies([{"name": name, "value": value, "url": server.url}])
    context.add_init_script(WATCH_CSP)
    tab = context.new_page()
    watch = Watch()

    def on_dialog(dialog) -> None:  # noqa: ANN001
        watch.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    tab.on("pageerror", lambda error: watch.errors.append(str(error)))
    tab.on(
        "console",
        lambda message: watch.console.append(message.text) if message.type == "error" else None,
    )
    tab.watch = watch
    try:
        yield tab
    finally:
        context.close()


def assert_nothing_ran(tab, where: str) -> None:  # noqa: ANN001
    tab.wait_for_load_state("load")
    tab.wait_for_timeout(100)  # let onerror/onload handlers of broken images fire, if any
    watch: Watch = tab.watch
    assert not watch.dialogs, f"{where}: a dialog opened: {watch.dialogs[:5]}"
    assert not watch.errors, f"{where}: script errors: {watch.errors[:5]}"
    violations = tab.evaluate("() => window.__cspViolations")
    assert not violations, f"{where}: something tried to run: {violations[:5]}"
    assert not [c for c in watch.console if "Content Security Policy" in c], where
    injected = tab.evaluate(INJECTED)
    assert not injected, f"{where}: injected markup: {injected[:5]}"


def _normalised(text: str) -> str:
    """What the HTML parser makes of text: line ends unified, NUL replaced."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")


def build_attack_scene(app: Flask) -> Scene:
    """Every attack string as an article title, a username and a comment, straight in the DB.

    The services' own checks refuse some strings as titles; those are left out, since the
    point here is what the pages do with what was accepted.
    """
    scene = Scene()
    strings = corpus()
    now = utcnow()
    with app.app_context():
        admin = _user(0, "Redakteurin", role=UserRole.ADMIN)
        moderator = _user(-1, "Moderatorin", role=UserRole.MODERATOR)
        discussion = publishing.create_article(
            db.session,
            publishing.ArticleInput(title="Diskussion", body="Text", author_name="Redaktion",
                                    slug="diskussion", published_at=now),
            now=now,
        )  # fmt: skip
        titles = []
        for number, text in enumerate(strings, start=1):
            with db.session.begin_nested():
                try:
                    article = publishing.create_article(
                        db.session,
                        publishing.ArticleInput(
                            title=text[:200], body=text, author_name=text[:100] or "x",
                            slug=f"xss-{number}", topics=[text[:80]], published_at=now,
                        ),
                        now=now,
                    )  # fmt: skip
                    titles.append(article.title)
                except DomainError:
                    pass
            user = _user(number, text[:30])
            db.session.add(
                Comment(
                    article_id=discussion.id, author_id=user.id, body=text,
                    body_html=render_comment(text), status=CommentStatus.VISIBLE, created_at=now,
                )
            )  # fmt: skip
        db.session.flush()
        # The queue and the log show these too, with the text as the reason.
        newest = select(Comment).order_by(Comment.id.desc()).limit(20)
        for comment in db.session.scalars(newest).all():
            transitions.change_status(
                db.session, comment, CommentStatus.PENDING, action=ModerationAction.FLAG_THRESHOLD,
                actor=moderator, now=now, reason=comment.body[:500],
            )  # fmt: skip
        transitions.discussion_changed(db.session, discussion.id)
        db.session.commit()
        scene.users = {"admin": admin, "moderator": moderator}
        for text in CLASSIC[:6]:
            scene.users[text] = db.session.scalar(select(User).where(User.username == text[:30]))
        for user in scene.users.values():
            db.session.refresh(user)
            db.session.expunge(user)
    scene.data["titles"] = titles
    return scene


@pytest.fixture(scope="module")
def attacked(database_template, database_kind, tmp_path_factory) -> Iterator[LiveServer]:  # noqa: ANN001
    directory = tmp_path_factory.mktemp("xss")
    with (
        scene_app(
            database_template, database_kind, directory, build=build_attack_scene,
            ARTICLES_PER_PAGE=2000, COMMENTS_PER_PAGE=2000,
        ) as app,
        LiveServer(app) as server,
    ):  # fmt: skip
        yield server


_PASSWORD_HASH: dict[str, str] = {}


def _user(number: int, name: str, role: UserRole = UserRole.MEMBER) -> User:
    """An account with *name* as typed, past the name rules (those have their own tests)."""
    from app.services.accounts import hash_password

    if not _PASSWORD_HASH:
        _PASSWORD_HASH["hash"] = hash_password("correct horse battery")
    user = User(
        username=name, username_key=f"xss-user-{number}", email=f"xss{number}@example.org",
        email_key=f"xss{number}@example.org", password_hash=_PASSWORD_HASH["hash"], role=role,
        email_confirmed_at=utcnow(),
    )  # fmt: skip
    db.session.add(user)
    db.session.flush()
    return user


@pytest.mark.parametrize("bypass_csp", [True, False], ids=["escaping-alone", "with-csp"])
def test_attack_strings_run_nothing_on_public_pages(browser, attacked, bypass_csp):
    titles = scene_of(attacked.app).data["titles"]
    with watched_tab(browser, attacked, user=None, bypass_csp=bypass_csp) as tab:
        tab.goto(attacked.url + "/")
        assert_nothing_ran(tab, "home")
        shown = tab.locator(".teaser__title a").all_text_contents()
        assert sorted(_normalised(t) for t in shown) == sorted(
            _normalised(t) for t in [*titles, "Diskussion"]
        ), "a title did not come back as typed"

        tab.goto(attacked.url + "/articles/diskussion")
        assert_nothing_ran(tab, "the discussion")
        for text in CLASSIC:
            assert tab.get_by_text(text[:30], exact=False).count() > 0, f"{text!r} is not shown"

        for number in range(1, len(CLASSIC) + 1):
            tab.goto(f"{attacked.url}/articles/xss-{number}")
            assert_nothing_ran(tab, f"article {CLASSIC[number - 1]!r}")
            assert tab.title().startswith(" ".join(CLASSIC[number - 1].split()))


@pytest.mark.parametrize("bypass_csp", [True, False], ids=["escaping-alone", "with-csp"])
def test_attack_strings_as_my_own_username_run_nothing(browser, attacked, bypass_csp):
    for name in CLASSIC[:3]:
        user = scene_of(attacked.app).users[name]
        with watched_tab(browser, attacked, user=user, bypass_csp=bypass_csp) as tab:
            tab.goto(attacked.url + "/articles/xss-1")
            assert_nothing_ran(tab, f"logged in as {name!r}")
            assert tab.get_by_text(name[:30]).count() > 0


STAFF_PAGES = {
    "moderator": ["/moderation/", "/moderation/log", "/moderation/bans"],
    "admin": ["/admin/articles", "/admin/users", "/admin/pages"],
}


@pytest.mark.parametrize("bypass_csp", [True, False], ids=["escaping-alone", "with-csp"])
def test_attack_strings_run_nothing_on_moderation_and_admin_pages(browser, attacked, bypass_csp):
    scene = scene_of(attacked.app)
    for role, paths in STAFF_PAGES.items():
        with watched_tab(browser, attacked, user=scene.users[role], bypass_csp=bypass_csp) as tab:
            for path in paths:
                response = tab.goto(attacked.url + path)
                assert response is not None and response.status == 200, path
                assert_nothing_ran(tab, f"{path} as {role}")


def _write_as(live_server, member, tab) -> None:  # noqa: ANN001
    from tests.e2e.harness import log_in

    log_in(tab.context, live_server.app, member, live_server.url)


@pytest.mark.writes_in_a_row
def test_attack_strings_typed_into_the_forms_run_nothing(browser, live_app, live_server, live_make):
    """Typed by hand: a refused registration shows them again, comments and article titles
    are stored and shown, the previews render them. With the CSP bypassed: escaping alone
    must hold (the pages above are also checked with the CSP on)."""
    bypass_csp = True
    live_app.config.update(COMMENT_MODERATION="none")
    article = live_make.article("Offene Diskussion")
    member = live_make.user("Schreiberin")
    admin = live_make.user("Chefin", role=UserRole.ADMIN)

    with watched_tab(browser, live_server, user=None, bypass_csp=bypass_csp) as tab:
        for text in CLASSIC:
            tab.goto(live_server.url + "/register")
            tab.locator("input[name=username]").fill(text)
            tab.locator("input[name=email]").fill(text)
            tab.locator("input[name=password]").fill(text)
            tab.locator("input[name=password_confirm]").fill(text + "x")
            tab.locator("form.auth-form button[type=submit]").click()
            assert_nothing_ran(tab, f"registration refused for {text!r}")
            assert tab.locator("input[name=username]").input_value() == text[:30]
            assert tab.locator("input[name=email]").input_value() == text.strip()

    with watched_tab(browser, live_server, user=member, bypass_csp=bypass_csp) as tab:
        tab.goto(f"{live_server.url}/articles/{article.slug}")
        tab.get_by_label("Ihr Kommentar").fill("\n\n".join(CLASSIC))
        tab.get_by_role("button", name="Vorschau").click()
        tab.locator("#comment-preview").get_by_text("script-tag").first.wait_for()
        assert_nothing_ran(tab, "comment preview")
        for text in FORM_SAMPLE:
            tab.get_by_label("Ihr Kommentar").fill(text)
            tab.get_by_role("button", name="Kommentar abschicken").click()
            tab.wait_for_url("**#comment-*")
            assert_nothing_ran(tab, f"comment {text!r}")
        for text in FORM_SAMPLE:
            assert tab.locator("#comments").get_by_text(text[:20]).count() > 0, text

    with watched_tab(browser, live_server, user=admin, bypass_csp=bypass_csp) as tab:
        for text in FORM_SAMPLE:
            tab.goto(live_server.url + "/admin/articles/new")
            tab.get_by_label("Titel", exact=True).fill(text)
            tab.get_by_label("Text", exact=True).fill(text)
            tab.get_by_role("button", name="Vorschau").click()
            assert_nothing_ran(tab, f"article preview of {text!r}")
            tab.get_by_role("button", name="Veröffentlichen", exact=True).click()
            assert_nothing_ran(tab, f"article {text!r} saved")
        tab.goto(live_server.url + "/")
        assert_nothing_ran(tab, "home with the new articles")
        for text in FORM_SAMPLE:
            assert tab.get_by_role("link", name=" ".join(text.split())).count() == 1, text
