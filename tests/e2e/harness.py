"""Browser helpers: contexts logged in as someone, axe-core, horizontal overflow, screenshots."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask

from tests.e2e.conftest import ARTIFACTS
from tests.page_types import PageType
from tests.scene import Scene, scene_of, session_cookie
from tests.support import require

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]
SERIOUS = ("serious", "critical")
WIDTHS = {"narrow": 375, "wide": 1280}
SCHEMES = ("light", "dark")  # prefers-color-scheme: the site follows the system's choice
SCREENSHOTS = ARTIFACTS / "screenshots"

_RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " -> " + n.failureSummary),
  }));
}"""


@contextmanager
def browser_tab(
    browser: Any,
    app: Flask,
    base_url: str,
    *,
    role: str | None = None,
    width: int = WIDTHS["wide"],
    bypass_csp: bool = False,
    javascript: bool = True,
    site_scripts: bool = True,
    locale: str = "de-DE",
    color_scheme: str = "light",
) -> Iterator[Any]:
    """A page in a fresh context, logged in as the scene's user with *role* (None: a reader).

    ``site_scripts=False`` shows the pages as without JavaScript while the browser can still
    run the test's own scripts (axe-core needs timers, which a page without JavaScript lacks).
    """
    context = browser.new_context(
        locale=locale,
        viewport={"width": width, "height": 900},
        bypass_csp=bypass_csp,
        java_script_enabled=javascript,
        color_scheme=color_scheme,
    )
    if not site_scripts:
        context.route("**/static/js/**", lambda route: route.abort())
    if role:
        log_in(context, app, scene_of(app).users[role], base_url)
    try:
        yield context.new_page()
    finally:
        context.close()


def serious_axe_violations(tab: Any) -> list[dict]:
    """axe-core's serious and critical violations on the page (the context must bypass CSP)."""
    require(AXE.exists(), "axe-core is missing: run `make node_modules/.installed` (needs npm)")
    tab.add_script_tag(path=str(AXE))
    violations = tab.evaluate(_RUN_AXE, AXE_TAGS)
    return [v for v in violations if v["impact"] in SERIOUS]


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['impact']} {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"])
        for v in violations
    )


def horizontal_overflow(tab: Any) -> list[str]:
    """How far the page scrolls sideways, and the elements that stick out, if it does."""
    return tab.evaluate(
        """() => {
      const root = document.documentElement;
      if (root.scrollWidth <= root.clientWidth) return [];
      const wide = [...document.body.querySelectorAll("*")]
        .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 0.5)
        .slice(0, 8)
        .map((el) => el.tagName.toLowerCase() + (el.className ? "." + el.className : ""));
      return [`scrollWidth ${root.scrollWidth} > ${root.clientWidth}`, ...wide];
    }"""
    )


def screenshot(tab: Any, name: str) -> Path:
    """A full-page PNG in test-artifacts/screenshots (ignored by git)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path


def log_in(context: Any, app: Flask, user: Any, base_url: str) -> None:
    """Give the browser the session cookie a login would have set (the login form has its
    own journeys)."""
    name, value = session_cookie(app, user)
    context.add_cookies([{"name": name, "value": value, "url": base_url}])


def open_page_type(tab: Any, base_url: str, page_type: PageType, scene: Scene) -> int:
    """Open *page_type* as a person would: go to the page, and if it is the answer to a form,
    type into the fields and press its button. The status of the page shown."""
    response = tab.goto(base_url + page_type.url(scene))
    if page_type.form is None:
        assert response is not None
        return response.status
    submitter, first_field, scope, hidden = None, None, tab, {}
    if page_type.submit:  # the fields are those of the form this button sends
        tab.evaluate(
            "() => document.querySelectorAll('details').forEach((d) => { d.open = true; })"
        )
        submitter = tab.locator(page_type.submit).first
        scope = submitter.locator("xpath=ancestor::form[1]")
    for name, value in page_type.form.items():
        button = scope.locator(f"button[name='{name}'][value='{value}']")
        if button.count():
            submitter = button.first
            continue
        field = scope.locator(f"[name='{name}']").first
        if field.get_attribute("type") == "hidden":  # set below, in the form being sent
            hidden[name] = value
            continue
        if field.evaluate("(element) => element.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
        first_field = first_field or field
    form = (submitter or first_field).locator("xpath=ancestor::form[1]")
    for name, value in hidden.items():  # as a page kept open too long would still send it
        form.locator(f"[name='{name}']").evaluate("(element, v) => { element.value = v; }", value)
    if submitter is None:
        submitter = form.locator("[type=submit]").first
    with tab.expect_navigation() as navigation:
        submitter.click()
    return navigation.value.status


def press_tab_until(tab: Any, selector: str, limit: int = 150) -> None:
    """Press Tab until *selector* has the focus, as someone without a mouse would."""
    for _ in range(limit):
        tab.keyboard.press("Tab")
        if tab.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} never got the focus")
