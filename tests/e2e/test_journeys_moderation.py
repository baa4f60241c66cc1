"""A new member's comment is held; a moderator logs in and approves it from the queue with the
keyboard alone; then readers see it. With and without JavaScript.

(tests/e2e/test_moderation_journey.py has bulk approval from the queue; this one follows one
comment from the member's form to the reader.)
"""

from __future__ import annotations

import re

import pytest

from app.models import UserRole
from tests.e2e.harness import log_in, press_tab_until
from tests.support import PASSWORD

TEXT = "Mein erster Beitrag hier: Festgeld lohnt sich wieder."


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_held_comment_is_approved_with_the_keyboard_and_readers_see_it(
    browser, live_server, live_make, javascript
):
    article = live_make.article("Festgeld")
    newcomer = live_make.user("Neue")  # confirmed, but nothing approved yet: held
    live_make.user("Mod", role=UserRole.MODERATOR)
    contexts, errors = [], []

    def context():  # noqa: ANN202
        made = browser.new_context(locale="de-DE", java_script_enabled=javascript)
        made.on("page", lambda tab: tab.on("pageerror", lambda error: errors.append(str(error))))
        contexts.append(made)
        return made

    try:
        member = context().new_page()
        log_in(member.context, live_server.app, newcomer, live_server.url)
        member.goto(f"{live_server.url}/articles/{article.slug}")
        member.get_by_label("Ihr Kommentar").fill(TEXT)
        member.get_by_role("button", name="Kommentar abschicken").click()
        found = re.search(r"#comment-(\d+)$", member.url)
        assert found, member.url
        comment_id = int(found.group(1))
        own = member.locator(f"#comment-{comment_id}")
        assert "Wartet auf Freigabe" in own.inner_text()

        reader = context().new_page()
        reader.goto(f"{live_server.url}/articles/{article.slug}")
        assert reader.locator("#comments").get_by_text(TEXT).count() == 0

        moderator = context().new_page()
        moderator.goto(f"{live_server.url}/login")
        # The name field takes the focus by itself (autofocus, applied just after loading).
        moderator.wait_for_function("document.activeElement.name === 'username'")
        moderator.keyboard.type("Mod")
        moderator.keyboard.press("Tab")
        moderator.keyboard.type(PASSWORD)
        moderator.keyboard.press("Enter")
        moderator.wait_for_url(f"{live_server.url}/")
        press_tab_until(moderator, "a.site-nav__moderation")
        assert "1" in moderator.evaluate("document.activeElement.textContent")
        moderator.keyboard.press("Enter")
        moderator.wait_for_url("**/moderation/")
        entry = moderator.locator(f"#entry-{comment_id}")
        assert TEXT in entry.inner_text()
        press_tab_until(moderator, f"#entry-{comment_id} button.moderation-controls__approve")
        if javascript:  # sent in place; the queue says so in its status line
            moderator.keyboard.press("Enter")
            status = moderator.locator("#queue-status")
            status.get_by_text("freigegeben").wait_for()
            assert moderator.locator(f"#entry-{comment_id}").is_hidden()
        else:
            with moderator.expect_navigation():
                moderator.keyboard.press("Enter")
            assert "freigegeben" in moderator.locator(".flashes").inner_text()
            assert moderator.locator(f"#entry-{comment_id}").count() == 0

        reader.reload()
        assert reader.locator(f"#comment-{comment_id}").get_by_text(TEXT).is_visible()
        member.reload()
        assert "Wartet auf Freigabe" not in member.locator(f"#comment-{comment_id}").inner_text()
        assert not errors, f"JavaScript errors: {errors}"
    finally:
        for made in contexts:
            made.close()
