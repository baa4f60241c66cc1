"""Every page type passes axe-core (WCAG 2.2 AA rules, contrast included) at 375 and 1280 px
in the light and the dark colour scheme, and at 375 px nothing scrolls sideways."""

from __future__ import annotations

import pytest

from tests.e2e.harness import (
    SCHEMES,
    WIDTHS,
    browser_tab,
    describe,
    horizontal_overflow,
    open_page_type,
    serious_axe_violations,
)
from tests.page_types import PAGE_TYPES, PageType
from tests.scene import scene_of


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("page_type", PAGE_TYPES, ids=lambda p: p.name)
def test_page_is_accessible(
    browser, scene_server, page_type: PageType, width: str, scheme: str
) -> None:
    app = scene_server.app
    with browser_tab(
        browser,
        app,
        scene_server.url,
        role=page_type.role,
        width=WIDTHS[width],
        bypass_csp=True,
        color_scheme=scheme,
        # A form's answer is checked as the server sends it (scripts would answer in place).
        site_scripts=page_type.form is None,
    ) as tab:
        errors: list[str] = []
        tab.on("pageerror", lambda error: errors.append(str(error)))
        status = open_page_type(tab, scene_server.url, page_type, scene_of(app))
        assert status == page_type.status

        violations = serious_axe_violations(tab)
        assert not violations, f"{page_type.name} at {width}, {scheme}:\n{describe(violations)}"
        if width == "narrow":
            overflow = horizontal_overflow(tab)
            assert not overflow, f"{page_type.name} scrolls sideways at 375 px: {overflow}"
        assert not errors, f"JavaScript errors on {page_type.name}: {errors}"


def test_axe_reports_what_it_should(browser, scene_server) -> None:
    """The harness itself: an image without alt text and a wide box are found."""
    with browser_tab(
        browser, scene_server.app, scene_server.url, width=WIDTHS["narrow"], bypass_csp=True
    ) as tab:
        tab.goto(scene_server.url + "/")
        tab.evaluate(
            """() => {
          const img = document.createElement("img");
          img.src = "/static/none.png";
          document.querySelector("main").append(img);
          const wide = document.createElement("div");
          wide.style.width = "900px";
          wide.textContent = "x";
          document.querySelector("main").append(wide);
        }"""
        )
        assert "image-alt" in [v["id"] for v in serious_axe_violations(tab)]
        assert horizontal_overflow(tab)
