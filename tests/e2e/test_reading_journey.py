"""A reader browses: home -> an article -> the next article -> a topic -> back."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.models import utcnow


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_reader_walks_from_home_through_articles_to_a_topic(
    request, live_server, live_make, javascript
):
    tab = request.getfixturevalue("page" if javascript else "page_without_js")
    start = utcnow() - timedelta(days=10)
    live_make.article("Erster Beitrag", topics=["Bankenrating"], published_at=start)
    live_make.article(
        "Zweiter Beitrag", topics=["Nachrichten"], published_at=start + timedelta(days=1)
    )

    tab.goto(live_server.url + "/")
    tab.get_by_role("link", name="Erster Beitrag").click()
    assert tab.get_by_role("heading", level=1).inner_text() == "Erster Beitrag"

    tab.locator("a.neighbours__next").first.click()
    assert tab.get_by_role("heading", level=1).inner_text() == "Zweiter Beitrag"
    assert tab.locator("a.neighbours__next").count() == 0

    tab.get_by_role("link", name="Nachrichten").first.click()
    assert tab.url.endswith("/topics/nachrichten")
    assert tab.get_by_role("link", name="Zweiter Beitrag").is_visible()
    assert tab.get_by_role("link", name="Erster Beitrag").count() == 0

    tab.go_back()
    assert tab.get_by_role("heading", level=1).inner_text() == "Zweiter Beitrag"
