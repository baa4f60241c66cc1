"""Screenshots of the main pages at both widths and in both colour schemes, for people to
look at.

Every run writes them to test-artifacts/screenshots/ (ignored by git), and a picture of the
demo's most discussed article. With ``DISKURS_DOCS_SCREENSHOT=1`` that picture also replaces
docs/screenshot-article.png, the one in the README:

    DISKURS_DOCS_SCREENSHOT=1 .venv/bin/python -m pytest tests/e2e/test_screenshots.py
"""

from __future__ import annotations

import os
import shutil

import pytest

from app.extensions import db
from app.models import UserRole, utcnow
from app.services.demo import load_demo
from tests.e2e.harness import ROOT, SCHEMES, WIDTHS, browser_tab, screenshot
from tests.page_types import PAGE_TYPES
from tests.scene import scene_of, session_cookie

SHOWN = [
    "home",
    "article-deep-thread",
    "article-deep-thread-member",
    "topics",
    "search",
    "moderation-queue",
]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DOCS_SCREENSHOT = ROOT / "docs" / "screenshot-article.png"


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("name", SHOWN)
def test_screenshot(browser, scene_server, name: str, width: str, scheme: str) -> None:
    page_type = next(p for p in PAGE_TYPES if p.name == name)
    app = scene_server.app
    with browser_tab(
        browser,
        app,
        scene_server.url,
        role=page_type.role,
        width=WIDTHS[width],
        color_scheme=scheme,
    ) as tab:
        response = tab.goto(scene_server.url + page_type.url(scene_of(app)))
        assert response is not None and response.status == page_type.status
        path = screenshot(tab, f"{name}-{WIDTHS[width]}-{scheme}")
    assert path.read_bytes().startswith(PNG_SIGNATURE)


def test_readme_screenshot(browser, live_app, live_server) -> None:
    """The README shows the demo's most discussed article as a member sees it (``make run``)."""
    assert "docs/screenshot-article.png" in (ROOT / "README.md").read_text()
    with live_app.app_context():
        result = load_demo(db.session, now=utcnow())
        db.session.commit()
        article = max(result.articles, key=lambda a: a.visible_comment_count)
        assert article.visible_comment_count >= 2, "the demo has no discussion to show"
        member = next(a.user for a in result.accounts if a.user.role is UserRole.MEMBER)
        slug = article.slug
        cookie = session_cookie(live_app, member)
    context = browser.new_context(locale="de-DE", viewport={"width": 1000, "height": 900})
    try:
        context.add_cookies([{"name": cookie[0], "value": cookie[1], "url": live_server.url}])
        tab = context.new_page()
        response = tab.goto(f"{live_server.url}/articles/{slug}")
        assert response is not None and response.status == 200
        assert tab.locator("#comments article").count() >= 2
        path = screenshot(tab, "readme-article")
    finally:
        context.close()
    if os.environ.get("DISKURS_DOCS_SCREENSHOT"):
        DOCS_SCREENSHOT.parent.mkdir(exist_ok=True)
        shutil.copyfile(path, DOCS_SCREENSHOT)
    assert DOCS_SCREENSHOT.read_bytes().startswith(PNG_SIGNATURE)
