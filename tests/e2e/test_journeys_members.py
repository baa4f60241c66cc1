"""Journeys of a member across accounts and comments, with and without JavaScript.

- A reader follows "log in" from the comments, registers, confirms the address with the link
  from a real mail, comes back to the comment form, posts, and replies to someone.
- A member whose session ends while writing logs in again and finds the text (with
  JavaScript; tests/e2e/test_comment_journeys.py has it without).
- A member edits and then deletes a comment; the reply below it keeps its place.
"""

from __future__ import annotations

import pytest

from tests.e2e.harness import log_in
from tests.e2e.mailbox import Mailbox, body_of, links_in
from tests.support import PASSWORD

MODES = pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])


@pytest.fixture
def open_discussion(live_app):  # noqa: ANN001, ANN201
    """Comments go straight through: holding new members' comments is another journey."""
    live_app.config.update(COMMENT_MODERATION="none")
    return live_app


def _tab(request, javascript: bool):  # noqa: ANN001, ANN202
    return request.getfixturevalue("page" if javascript else "page_without_js")


def _comment(tab, text: str):  # noqa: ANN001, ANN202
    return tab.locator("article.comment", has_text=text)


def _thread_of(tab, text: str):  # noqa: ANN001, ANN202
    """The list item holding the comment with *text* and its replies."""
    return tab.locator(f"li:has(> article.comment:has-text('{text}'))")


def _post(tab, form_scope, text: str) -> None:  # noqa: ANN001
    form_scope.get_by_label("Ihr Kommentar").fill(text)
    form_scope.get_by_role("button", name="Kommentar abschicken").click()
    tab.wait_for_load_state()


@pytest.mark.writes_in_a_row
@MODES
def test_a_reader_registers_from_the_comments_and_joins_in(
    request, live_app, live_server, live_make, open_discussion, javascript
):
    tab = _tab(request, javascript)
    article = live_make.article("Zinsen und Inflation")
    live_make.comment(article, live_make.user("Berta"), "Was meint ihr zur Inflation?")
    with Mailbox() as mailbox:
        live_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=mailbox.port)

        tab.goto(f"{live_server.url}/articles/{article.slug}")
        tab.locator("#comments").get_by_role("link", name="Anmelden").click()
        assert "/login" in tab.url
        tab.locator("main").get_by_role("link", name="Registrieren").click()
        assert "/register" in tab.url
        tab.locator("input[name=username]").fill("Neuling")
        tab.locator("input[name=email]").fill("neuling@example.org")
        tab.locator("input[name=password]").fill(PASSWORD)
        tab.locator("input[name=password_confirm]").fill(PASSWORD)
        tab.locator("form.auth-form button[type=submit]").click()

        # Back under the article, told to look for the mail; not logged in before that,
        # as the answer must not differ from the one for an address with an account.
        assert tab.url.endswith(f"/articles/{article.slug}#comment-form")
        assert "neuling@example.org" in tab.locator(".flashes").inner_text()
        assert "Neuling" not in tab.locator(".site-nav").inner_text()
        assert tab.locator("textarea[name=body]").count() == 0

        mail = mailbox.wait_for("neuling@example.org")
    confirm = [link for link in links_in(body_of(mail)) if "/confirm/" in link]
    assert confirm and confirm[0].startswith(live_server.url), body_of(mail)

    # The link opens in another tab, as from a mail program.
    mail_tab = tab.context.new_page()
    mail_tab.goto(confirm[0])
    assert "bestätigt" in mail_tab.locator(".flashes").inner_text()
    mail_tab.close()

    tab.reload()
    assert tab.url.endswith("#comment-form")
    _post(tab, tab.locator("#comment-form"), "Ich bin neu hier und finde: *steigen*.")
    assert _comment(tab, "Ich bin neu hier und finde: steigen.").is_visible()

    _comment(tab, "Was meint ihr zur Inflation?").get_by_role("link", name="Antworten").click()
    if javascript:  # the form moves under the comment, no page is loaded
        form = _thread_of(tab, "Was meint ihr zur Inflation?").locator("> #comment-form")
        form.wait_for()
    else:  # the reply page
        assert "reply_to=" in tab.url
        form = tab.locator("#comment-form")
    assert "Antwort an Berta" in form.inner_text()
    _post(tab, form, "Eine Antwort an Berta.")
    reply = _thread_of(tab, "Was meint ihr zur Inflation?").locator(
        "ol article.comment", has_text="Eine Antwort an Berta."
    )
    assert reply.is_visible()
    assert "Neuling" in reply.locator(".comment__author").inner_text()


def test_an_ended_session_keeps_the_text_with_javascript(
    page, live_server, live_make, open_discussion
):
    article = live_make.article()
    member = live_make.user("Clara")
    log_in(page.context, open_discussion, member, live_server.url)
    page.goto(f"{live_server.url}/articles/{article.slug}")
    page.get_by_label("Ihr Kommentar").fill("Ein Gedanke, der nicht verloren gehen darf.")
    page.context.clear_cookies()  # the session ends while the member writes
    page.get_by_role("button", name="Kommentar abschicken").click()

    assert "/login" in page.url
    page.locator("input[name=username]").fill("Clara")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form.auth-form button[type=submit]").click()
    assert f"/articles/{article.slug}" in page.url and "draft=" in page.url
    assert page.get_by_label("Ihr Kommentar").input_value() == (
        "Ein Gedanke, der nicht verloren gehen darf."
    )
    page.get_by_role("button", name="Kommentar abschicken").click()
    assert _comment(page, "Ein Gedanke, der nicht verloren gehen darf.").is_visible()


@MODES
def test_a_member_edits_then_deletes_a_comment_and_the_reply_keeps_its_place(
    request, live_server, live_make, open_discussion, javascript
):
    tab = _tab(request, javascript)
    article = live_make.article("Sparen")
    member = live_make.user("Dora")
    mine = live_make.comment(article, member, "Sparen lohnt sich nicht.")
    live_make.comment(article, live_make.user("Emil"), "Doch, auf lange Sicht!", parent=mine)
    log_in(tab.context, open_discussion, member, live_server.url)

    tab.goto(f"{live_server.url}/articles/{article.slug}")
    _comment(tab, "Sparen lohnt sich nicht.").get_by_role("link", name="Bearbeiten").click()
    field = tab.get_by_label("Ihr Kommentar")
    assert field.input_value() == "Sparen lohnt sich nicht."
    field.fill("Sparen lohnt sich nur mit Zinsen.")
    tab.get_by_role("button", name="Änderungen speichern").click()
    assert tab.url.endswith(f"#comment-{mine.id}")
    edited = tab.locator(f"#comment-{mine.id}")
    assert "Sparen lohnt sich nur mit Zinsen." in edited.inner_text()
    assert edited.locator(".comment__edited").is_visible()

    if javascript:  # asked to confirm first, in place
        tab.once("dialog", lambda dialog: dialog.accept())
    edited.get_by_role("button", name="Löschen").click()
    tab.wait_for_load_state()
    if not javascript:  # asked on a page of its own
        assert tab.get_by_role("heading", level=1).inner_text() == "Ihren Kommentar löschen?"
        assert "Sparen lohnt sich nur mit Zinsen." in tab.locator("main").inner_text()
        tab.get_by_role("button", name="Löschen").click()
        tab.wait_for_load_state()
    assert "gelöscht" in tab.locator(".flashes").inner_text()
    removed = tab.locator(f"#comment-{mine.id}")
    assert removed.inner_text().strip() == "Kommentar entfernt"
    assert "Sparen lohnt sich" not in tab.locator("#comments").inner_text()
    reply = tab.locator(f"li:has(> #comment-{mine.id}) ol article.comment")
    assert "Doch, auf lange Sicht!" in reply.inner_text()
