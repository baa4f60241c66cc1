"""A reader in a real browser: searching from the header, the topics in the header, dark
mode, printing an article, the reply action on a phone, and structured data under the CSP."""

from __future__ import annotations

import json

import pytest

from tests.e2e.harness import WIDTHS, browser_tab
from tests.scene import scene_of

# Collects what the Content-Security-Policy refuses, from before the page's first byte.
WATCH_CSP = """
window.__refused = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__refused.push(e.violatedDirective + " " + e.blockedURI);
});
"""


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_reader_searches_from_the_header_and_opens_a_result(
    browser, scene_server, javascript
) -> None:
    with browser_tab(browser, scene_server.app, scene_server.url, javascript=javascript) as tab:
        tab.goto(scene_server.url + "/")
        box = tab.get_by_role("searchbox", name="Beiträge und Kommentare durchsuchen")
        box.fill("Uebungen Banken")
        box.press("Enter")
        tab.wait_for_url("**/search?q=*")
        assert tab.get_by_role("heading", level=1).inner_text() == "Suche"
        result = tab.locator(".search-result__title a").first
        assert "Übungen" in result.inner_text()
        assert tab.locator(".search-result mark").count() >= 2
        result.click()
        heading = tab.get_by_role("heading", level=1).inner_text()
        assert heading == "Größere Übungen für Banken"


def test_comments_are_found_and_lead_to_their_place_in_the_thread(browser, scene_server) -> None:
    with browser_tab(browser, scene_server.app, scene_server.url) as tab:
        tab.goto(scene_server.url + "/search?q=Sparkassen")
        tab.get_by_role("link", name="Kommentare").first.click()
        snippet = tab.locator(".search-result__snippet--comment a").first
        assert "Sparkassen" in snippet.inner_text()
        snippet.click()
        tab.wait_for_url("**/articles/**#comment-*")
        target = tab.url.rsplit("#", 1)[1]
        assert tab.locator(f"#{target}").is_visible()
        assert "Sparkassen" in tab.locator(f"#{target} .comment__body").inner_text()


def test_the_header_leads_to_every_topic(browser, scene_server) -> None:
    with browser_tab(browser, scene_server.app, scene_server.url) as tab:
        tab.goto(scene_server.url + "/")
        navigation = tab.get_by_role("navigation", name="Hauptthemen")
        navigation.get_by_role("link", name="Nachrichten").click()
        assert tab.url.endswith("/topics/nachrichten")
        assert (
            navigation.get_by_role("link", name="Nachrichten").get_attribute("aria-current")
            == "page"
        )
        navigation.get_by_role("link", name="Alle Themen").click()
        assert tab.url.endswith("/topics")
        assert tab.locator(".topic-index__item").count() >= 2


def test_structured_data_is_read_and_nothing_is_refused_by_the_csp(browser, scene_server) -> None:
    scene = scene_of(scene_server.app)
    with browser_tab(browser, scene_server.app, scene_server.url) as tab:
        tab.add_init_script(WATCH_CSP)
        console: list[str] = []
        tab.on("console", lambda message: console.append(message.text))
        for path in (f"/articles/{scene.paths['article']}", "/"):
            tab.goto(scene_server.url + path)
            tab.wait_for_load_state("load")
            raw = tab.locator('script[type="application/ld+json"]').text_content()
            data = json.loads(raw)
            assert data["@context"] == "https://schema.org"
            assert tab.evaluate("window.__refused") == [], path
        assert not [line for line in console if "Content Security Policy" in line], console


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_colours_follow_the_systems_scheme(browser, scene_server, scheme) -> None:
    with browser_tab(browser, scene_server.app, scene_server.url, color_scheme=scheme) as tab:
        tab.goto(scene_server.url + "/")
        background = tab.evaluate("getComputedStyle(document.body).backgroundColor")
        red, green, blue = (int(part) for part in background[4:-1].split(","))
        brightness = (red + green + blue) / 3
        assert brightness > 200 if scheme == "light" else brightness < 60, background


def test_an_article_prints_without_the_sites_furniture(browser, scene_server) -> None:
    scene = scene_of(scene_server.app)
    with browser_tab(browser, scene_server.app, scene_server.url) as tab:
        tab.goto(scene_server.url + f"/articles/{scene.paths['article']}")
        tab.emulate_media(media="print")
        for hidden in (".site-header", ".site-footer", ".comments", ".neighbours"):
            assert not tab.locator(hidden).first.is_visible(), hidden
        assert tab.locator(".article__title").is_visible()
        assert tab.locator(".article__body").is_visible()
        tab.emulate_media(media="screen")
        assert tab.locator(".comments").is_visible()


def test_the_reply_action_is_easy_to_hit_on_a_phone(browser, scene_server) -> None:
    scene = scene_of(scene_server.app)
    with browser_tab(
        browser, scene_server.app, scene_server.url, role="member", width=WIDTHS["narrow"]
    ) as tab:
        tab.goto(scene_server.url + f"/articles/{scene.paths['article']}")
        replies = tab.locator("a.comment__reply")
        assert replies.count() >= 2
        for index in range(replies.count()):
            box = replies.nth(index).bounding_box()
            assert box["height"] >= 44 and box["width"] >= 44, box
