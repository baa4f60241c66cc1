"""A moderator clears the queue with the keyboard alone; then a reader sees the comments."""

from __future__ import annotations

from urllib.parse import urlsplit

from app.models import CommentStatus, UserRole

MAX_TABS = 120


def log_in(context, app, user, base_url: str) -> None:  # noqa: ANN001
    """Give the browser the session cookie a login would have given it."""
    value = app.session_interface.get_signing_serializer(app).dumps(
        {"_user_id": user.get_id(), "_fresh": True}
    )
    host = urlsplit(base_url).hostname
    context.add_cookies(
        [{"name": app.config["SESSION_COOKIE_NAME"], "value": value, "domain": host, "path": "/"}]
    )


def tab_to(page, selector: str, backwards: bool = False) -> None:  # noqa: ANN001
    """Press Tab (or Shift+Tab) until *selector* has the focus, as a keyboard user would."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} never got the focus with {key}")


def test_a_moderator_approves_from_the_queue_with_the_keyboard(
    live_server, live_make, page, browser
):
    article = live_make.article("Tastatur und Freigabe")
    author = live_make.user("schreiberin")
    moderator = live_make.user("moderatorin", role=UserRole.MODERATOR)
    first = live_make.comment(article, author, "Bitte freigeben.", status=CommentStatus.PENDING)
    second = live_make.comment(article, author, "Ich auch.", status=CommentStatus.PENDING)

    log_in(page.context, live_server.app, moderator, live_server.url)
    page.goto(live_server.url + "/moderation/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Kommentare, die auf eine Entscheidung warten"
    )
    assert page.locator(".site-nav .badge").inner_text() == "2"

    # One comment by its own button: Tab to "Freigeben", Enter. The script sends it and
    # moves on to the next comment without loading the page again.
    tab_to(page, f"#entry-{first.id} button.moderation-controls__approve")
    page.keyboard.press("Enter")
    page.wait_for_function("(id) => document.activeElement.id === id", arg=f"entry-{second.id}")
    assert "Der Kommentar wurde freigegeben." in page.locator("#queue-status").inner_text()
    assert page.locator(f"#entry-{first.id}").is_hidden()
    page.reload()
    assert page.locator(f"#entry-{first.id}").count() == 0

    # The other by its checkbox (Space) and the bulk button (Space).
    tab_to(page, f"#select-{second.id}")
    page.keyboard.press("Space")
    assert page.locator(f"#select-{second.id}").is_checked()
    tab_to(page, "#bulk-form button[value=approve]", backwards=True)
    with page.expect_navigation():
        page.keyboard.press("Space")
    assert "1 Kommentar freigegeben." in page.locator(".flashes").inner_text()
    assert "Nichts wartet." in page.locator("main").inner_text()
    assert page.locator(".site-nav .badge").count() == 0

    reader = browser.new_context(locale="de-DE")
    try:
        tab = reader.new_page()
        tab.goto(f"{live_server.url}/articles/{article.slug}")
        comments = tab.locator("#comments")
        assert comments.get_by_text("Bitte freigeben.").is_visible()
        assert comments.get_by_text("Ich auch.").is_visible()
        assert tab.locator(".moderation-controls").count() == 0
    finally:
        reader.close()


def test_a_moderator_takes_a_bulk_approval_back_with_the_keyboard(live_server, live_make, page):
    article = live_make.article("Zu schnell freigegeben")
    author = live_make.user("schreiberin")
    moderator = live_make.user("moderatorin", role=UserRole.MODERATOR)
    waiting = [
        live_make.comment(article, author, text, status=CommentStatus.PENDING)
        for text in ("Erster Entwurf.", "Zweiter Entwurf.")
    ]
    log_in(page.context, live_server.app, moderator, live_server.url)
    page.goto(live_server.url + "/moderation/")
    for comment in waiting:
        tab_to(page, f"#select-{comment.id}")
        page.keyboard.press("Space")
    tab_to(page, "#bulk-form button[value=approve]", backwards=True)
    with page.expect_navigation():
        page.keyboard.press("Space")
    assert "2 Kommentare freigegeben." in page.locator(".flashes").inner_text()
    assert "diese 2 Entscheidungen" in page.locator(".flashes").inner_text()

    tab_to(page, ".flashes .undo-offer button", backwards=True)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "2 Entscheidungen wurden rückgängig gemacht." in page.locator(".flashes").inner_text()
    assert page.locator(".site-nav .badge").inner_text() == "2"
    for comment in waiting:
        assert page.locator(f"#entry-{comment.id}").is_visible()


def test_a_member_flags_a_comment_without_javascript(live_server, live_make, page_without_js):
    article = live_make.article("Melden ohne Skript")
    author = live_make.user("schreiberin")
    member = live_make.user("leserin")
    comment = live_make.comment(article, author, "Kauft hier!")
    log_in(page_without_js.context, live_server.app, member, live_server.url)

    page_without_js.goto(f"{live_server.url}/articles/{article.slug}")
    page_without_js.locator(f"#comment-{comment.id} .flag-control a").click()
    page_without_js.get_by_label("Spam oder Werbung").check()
    page_without_js.get_by_role("button", name="Melden", exact=True).click()
    assert "Danke." in page_without_js.locator(".flashes").inner_text()
    assert urlsplit(page_without_js.url).path == f"/articles/{article.slug}"
