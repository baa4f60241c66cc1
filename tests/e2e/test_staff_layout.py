"""Staff pages use the width of the window: at 1280 px nothing is cut off and nothing scrolls
sideways, neither the page nor a table in its box. And the "« previous | Home | next »"
line keeps each link within its own part, however long the titles."""

from __future__ import annotations

import pytest

from tests.e2e.harness import WIDTHS, browser_tab, horizontal_overflow
from tests.page_types import PAGE_TYPES, PageType
from tests.scene import scene_of

STAFF_PAGES = [
    page_type
    for page_type in PAGE_TYPES
    if page_type.path.startswith(("/admin", "/moderation"))
    and page_type.form is None
    and page_type.status == 200
]

BOXES_THAT_SCROLL = """() => [...document.querySelectorAll(".table-scroll, .log-table")]
  .filter((box) => box.scrollWidth > box.clientWidth + 1)
  .map((box) => box.className + ": " + box.scrollWidth + " > " + box.clientWidth)"""


@pytest.mark.parametrize("page_type", STAFF_PAGES, ids=lambda p: p.name)
def test_staff_pages_fit_1280_px(browser, scene_server, page_type: PageType) -> None:
    app = scene_server.app
    with browser_tab(
        browser, app, scene_server.url, role=page_type.role, width=WIDTHS["wide"]
    ) as tab:
        response = tab.goto(scene_server.url + page_type.url(scene_of(app)))
        assert response is not None and response.status == 200
        assert horizontal_overflow(tab) == []
        assert tab.evaluate(BOXES_THAT_SCROLL) == []
        main = tab.evaluate("() => document.querySelector('main').getBoundingClientRect().width")
        assert main > 1100, "staff pages use the window's width, not the reading column"
        links = tab.evaluate(
            "() => [...document.styleSheets].map((s) => s.href || '').filter((h) => h)"
        )
        assert any(href.split("?")[0].endswith("/css/staff.css") for href in links)


def test_reading_pages_keep_the_reading_column_and_no_staff_styles(browser, scene_server):
    app = scene_server.app
    with browser_tab(browser, app, scene_server.url, width=WIDTHS["wide"]) as tab:
        tab.goto(f"{scene_server.url}/articles/{scene_of(app).paths['article']}")
        main = tab.evaluate("() => document.querySelector('main').getBoundingClientRect().width")
        assert main < 800
        links = tab.evaluate("() => [...document.styleSheets].map((s) => s.href || '')")
        assert not any(href.split("?")[0].endswith("/css/staff.css") for href in links)


LONG = "Eine sehr lange Überschrift, die über mehrere Zeilen reicht, weil sie so viel sagt"


def test_previous_home_next_wrap_each_in_their_own_part(browser, live_server, live_make):
    from datetime import timedelta

    from app.models import utcnow

    start = utcnow() - timedelta(days=3)
    live_make.article(f"Davor: {LONG}", published_at=start)
    middle = live_make.article("Die Mitte", published_at=start + timedelta(days=1))
    live_make.article(f"Danach: {LONG}", published_at=start + timedelta(days=2))
    for width in WIDTHS.values():
        context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 900})
        try:
            tab = context.new_page()
            tab.goto(f"{live_server.url}/articles/{middle.slug}")
            nav = tab.locator("nav.neighbours").first
            boxes = nav.evaluate(
                """(nav) => [...nav.querySelectorAll(':scope > a')].map((part) => {
                  const box = part.getBoundingClientRect();
                  return {left: box.left, right: box.right, top: box.top, height: box.height};
                })"""
            )
            home = nav.get_by_role("link", name="Home", exact=True).evaluate(
                "(link) => link.getClientRects().length"
            )
            assert home == 1, "Home never breaks over two lines"
            previous, middle_part, following = boxes
            if width == WIDTHS["wide"]:
                # Side by side: each title wraps in its own column, Home between them.
                assert previous["right"] <= middle_part["left"] + 1
                assert middle_part["right"] <= following["left"] + 1
                assert previous["height"] > middle_part["height"]  # the long title wrapped
            else:
                assert previous["top"] < middle_part["top"] < following["top"]  # stacked
            assert horizontal_overflow(tab) == []
        finally:
            context.close()
