"""Members write in a real browser: posting, replying with and without JavaScript, previews,
and text that survives a reload, a closed tab and an ended session."""

from __future__ import annotations

import pytest

from tests.support import PASSWORD


@pytest.fixture
def setting(live_app):  # noqa: ANN001, ANN201
    live_app.config.update(COMMENT_MODERATION="none")
    return live_app


def _log_in(tab, app, user, base_url: str) -> None:  # noqa: ANN001
    """Give the browser the session cookie a login would have set."""
    serializer = app.session_interface.get_signing_serializer(app)
    value = serializer.dumps({"_user_id": user.get_id(), "_fresh": True})
    tab.context.add_cookies(
        [{"name": app.config["SESSION_COOKIE_NAME"], "value": value, "url": base_url}]
    )


def _comment(tab, text: str):  # noqa: ANN001, ANN202
    return tab.locator("article.comment", has_text=text)


@pytest.mark.writes_in_a_row
def test_post_and_reply_in_place_with_javascript(page, live_server, live_make, setting):
    article = live_make.article("Zinsen")
    anna = live_make.user("Anna")
    live_make.comment(article, live_make.user("Berta"), "Was meint ihr?")
    _log_in(page, setting, anna, live_server.url)
    page.goto(f"{live_server.url}/articles/{article.slug}")

    page.get_by_label("Ihr Kommentar").fill("Ich meine: *steigen*.")
    page.get_by_role("button", name="Vorschau").click()
    preview = page.locator("#comment-preview em", has_text="steigen")
    preview.wait_for()
    assert page.url.endswith(f"/articles/{article.slug}")  # shown in place, no new page
    page.get_by_role("button", name="Kommentar abschicken").click()
    page.wait_for_url("**#comment-*")
    assert _comment(page, "Ich meine: steigen.").is_visible()

    question = _comment(page, "Was meint ihr?")
    question.get_by_role("link", name="Antworten").click()
    form = page.locator("li:has(> article.comment:has-text('Was meint ihr?')) > #comment-form")
    form.wait_for()
    assert page.locator(".comment-form__reply-to").inner_text() == "Antwort an Berta"
    assert page.evaluate("document.activeElement.name") == "body"
    form.get_by_label("Ihr Kommentar").fill("Eine Antwort an Berta")
    form.get_by_role("button", name="Kommentar abschicken").click()
    page.wait_for_url("**#comment-*")
    nested = page.locator(
        "li:has(> article.comment:has-text('Was meint ihr?')) ol article.comment",
        has_text="Eine Antwort an Berta",
    )
    assert nested.is_visible()


def test_cancel_a_reply_in_place(page, live_server, live_make, setting):
    article = live_make.article()
    live_make.comment(article, live_make.user("Berta"), "Frage")
    _log_in(page, setting, live_make.user(), live_server.url)
    page.goto(f"{live_server.url}/articles/{article.slug}")
    _comment(page, "Frage").get_by_role("link", name="Antworten").click()
    page.get_by_role("link", name="Antwort abbrechen").click()
    assert page.locator("#comment-form-home > #comment-form").count() == 1
    assert page.locator("input[name=parent_id]").input_value() == ""


def test_reply_through_the_reply_page_without_javascript(
    page_without_js, live_server, live_make, setting
):
    tab = page_without_js
    article = live_make.article()
    live_make.comment(article, live_make.user("Berta"), "Frage ohne Skript")
    _log_in(tab, setting, live_make.user(), live_server.url)
    tab.goto(f"{live_server.url}/articles/{article.slug}")
    _comment(tab, "Frage ohne Skript").get_by_role("link", name="Antworten").click()
    assert "reply_to=" in tab.url and tab.url.endswith("#comment-form")
    assert tab.get_by_text("Antwort an Berta").is_visible()
    tab.get_by_label("Ihr Kommentar").fill("Antwort ohne Skript")
    tab.get_by_role("button", name="Vorschau").click()
    assert tab.locator("#comment-preview").inner_text().strip().endswith("Antwort ohne Skript")
    assert tab.get_by_label("Ihr Kommentar").input_value() == "Antwort ohne Skript"
    tab.get_by_role("button", name="Kommentar abschicken").click()
    nested = tab.locator(
        "li:has(> article.comment:has-text('Frage ohne Skript')) ol article.comment",
        has_text="Antwort ohne Skript",
    )
    assert nested.is_visible()


def test_unsent_text_survives_a_reload_and_a_closed_tab(page, live_server, live_make, setting):
    article = live_make.article()
    _log_in(page, setting, live_make.user(), live_server.url)
    url = f"{live_server.url}/articles/{article.slug}"
    page.goto(url)
    page.get_by_label("Ihr Kommentar").fill("Noch nicht fertig …")
    page.reload()
    assert page.get_by_label("Ihr Kommentar").input_value() == "Noch nicht fertig …"

    page.close()
    tab = page.context.new_page()
    tab.goto(url)
    field = tab.get_by_label("Ihr Kommentar")
    assert field.input_value() == "Noch nicht fertig …"
    tab.get_by_role("button", name="Kommentar abschicken").click()
    tab.wait_for_url("**#comment-*")
    tab.goto(url)  # once posted, the kept copy is gone
    assert tab.get_by_label("Ihr Kommentar").input_value() == ""


def test_ended_session_then_login_brings_the_text_back(
    page_without_js, live_server, live_make, setting
):
    tab = page_without_js
    article = live_make.article()
    member = live_make.user("Clara")
    _log_in(tab, setting, member, live_server.url)
    tab.goto(f"{live_server.url}/articles/{article.slug}")
    tab.get_by_label("Ihr Kommentar").fill("Ein Gedanke, der nicht verloren gehen darf.")
    tab.context.clear_cookies()  # the session ends while the member writes
    tab.get_by_role("button", name="Kommentar abschicken").click()

    assert "/login" in tab.url
    tab.locator("input[name=username]").fill("Clara")
    tab.locator("input[name=password]").fill(PASSWORD)
    tab.locator("form:has(input[name=password])").get_by_role("button").first.click()
    assert f"/articles/{article.slug}" in tab.url and "draft=" in tab.url
    field = tab.get_by_label("Ihr Kommentar")
    assert field.input_value() == "Ein Gedanke, der nicht verloren gehen darf."
    tab.get_by_role("button", name="Kommentar abschicken").click()
    assert _comment(tab, "Ein Gedanke, der nicht verloren gehen darf.").is_visible()
