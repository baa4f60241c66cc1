"""An admin writes an article, previews it, schedules it, publishes it; readers then find it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.models import UserRole, utcnow
from tests.support import PASSWORD


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_admin_writes_previews_schedules_and_publishes(request, live_server, live_make, javascript):
    tab = request.getfixturevalue("page" if javascript else "page_without_js")
    live_make.user("Redakteurin", role=UserRole.ADMIN)
    start = utcnow() - timedelta(days=10)
    live_make.article("Älterer Beitrag", published_at=start)
    live_make.article("Neuerer Beitrag", published_at=start + timedelta(days=1))

    # Log in through the real form.
    tab.goto(live_server.url + "/login?next=/admin/articles")
    tab.locator("input[name=username]").fill("Redakteurin")
    tab.locator("input[name=password]").fill(PASSWORD)
    tab.locator("form.auth-form button[type=submit]").click()
    tab.wait_for_url("**/admin/articles")

    # Write.
    tab.get_by_role("link", name="Beitrag schreiben").click()
    tab.get_by_label("Titel", exact=True).fill("Größere Übungen für Banken")
    if javascript:  # the slug is proposed while the title is typed
        expect(tab.locator("#slug")).to_have_attribute(
            "placeholder", "groessere-uebungen-fuer-banken"
        )
    tab.get_by_label("Themen", exact=True).fill("Bankenrating, Übungen")
    body = (
        "## Worum es geht\n\nBanken üben *mehr*.\n\n"
        '![Ein Balkendiagramm](https://example.org/d.png "Übungen je Bank")'
    )
    tab.get_by_label("Text", exact=True).fill(body)

    # Preview: rendered, nothing saved, everything still in the form.
    tab.get_by_role("button", name="Vorschau").click()
    preview = tab.locator(".editor-preview")
    expect(preview.get_by_role("heading", name="Worum es geht")).to_be_visible()
    expect(preview.locator("figcaption")).to_have_text("Übungen je Bank")
    expect(tab.get_by_label("Text", exact=True)).to_have_value(body)

    # Schedule for next year: not yet public.
    next_year = utcnow().year + 1
    tab.get_by_label("Veröffentlichung am").fill(f"{next_year}-03-01T09:30")
    tab.get_by_role("button", name="Planen").click()
    expect(tab.locator(".flashes")).to_contain_text("Geplant")
    expect(tab.locator(".admin-heading .state")).to_have_text("Geplant")
    tab.goto(live_server.url + "/")
    expect(tab.get_by_role("link", name="Größere Übungen für Banken")).to_have_count(0)

    # Publish now.
    tab.go_back()
    tab.get_by_role("button", name="Jetzt veröffentlichen").click()
    expect(tab.locator(".flashes")).to_contain_text("Veröffentlicht")

    # Readers find it on the home page, with working previous/next links.
    tab.goto(live_server.url + "/")
    tab.get_by_role("link", name="Größere Übungen für Banken").click()
    title = tab.get_by_role("heading", level=1)
    expect(title).to_have_text("Größere Übungen für Banken")
    expect(tab).to_have_url(re.compile(r"/articles/groessere-uebungen-fuer-banken$"))
    expect(tab.locator(".article__body figcaption")).to_have_text("Übungen je Bank")
    tab.locator("a.neighbours__prev").first.click()
    expect(title).to_have_text("Neuerer Beitrag")
    tab.locator("a.neighbours__next").first.click()
    expect(title).to_have_text("Größere Übungen für Banken")
    expect(tab.locator("a.neighbours__next")).to_have_count(0)
