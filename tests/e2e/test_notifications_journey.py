"""A reply reaches the member it answers: the header of her page counts one unread notice,
the notice leads to the reply, and the mail the worker sends does too."""

from __future__ import annotations

import threading

from app.services.notifications.worker import work
from tests.e2e.harness import log_in
from tests.e2e.mailbox import Mailbox, body_of, links_in


def test_a_reply_is_heard_of_on_the_site_and_by_mail(browser, live_app, live_server, live_make):
    live_app.config.update(COMMENT_MODERATION="none")
    article = live_make.article("Zinsen und Inflation")
    anna, ben = live_make.user("Anna", locale="de"), live_make.user("Ben", locale="de")
    first = live_make.comment(article, anna, "Was meint ihr zur Inflation?")
    stop = threading.Event()
    with Mailbox() as mailbox:
        live_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=mailbox.port)
        worker = threading.Thread(
            target=work, args=(live_app,), kwargs={"poll_seconds": 0.2, "stop": stop}
        )
        worker.start()
        try:
            bens = browser.new_context(locale="de-DE")
            log_in(bens, live_app, ben, live_server.url)
            tab = bens.new_page()
            tab.goto(f"{live_server.url}/articles/{article.slug}")
            comment = tab.locator(f"#comment-{first.id}")
            comment.get_by_role("link", name="Antworten").click()
            form = tab.locator(f"li:has(> article#comment-{first.id}) > #comment-form")
            form.wait_for()
            form.get_by_label("Ihr Kommentar").fill("Sie steigen, und zwar deutlich.")
            form.get_by_role("button", name="Kommentar abschicken").click()
            tab.wait_for_load_state()
            bens.close()

            annas = browser.new_context(locale="de-DE")
            log_in(annas, live_app, anna, live_server.url)
            tab = annas.new_page()
            tab.goto(f"{live_server.url}/")
            link = tab.locator(".site-nav__notices")
            assert link.locator(".badge").inner_text() == "1"
            assert "1 ungelesen" in link.inner_text()
            link.click()
            entry = tab.locator(".notice-entry", has_text="Ben hat auf Ihren Kommentar")
            assert "Sie steigen, und zwar deutlich." in entry.inner_text()
            assert tab.locator(".site-nav__notices .badge").count() == 0
            entry.get_by_role("link", name="Zum Kommentar").click()
            tab.wait_for_load_state()
            assert "#comment-" in tab.url
            reply = tab.locator(f"article#{tab.url.rsplit('#', 1)[1]}")
            assert "Sie steigen, und zwar deutlich." in reply.inner_text()

            mail = mailbox.wait_for("anna@example.org")
            assert "Ben hat auf Ihren Kommentar" in mail["Subject"]
            from_mail = [u for u in links_in(body_of(mail)) if "/comments/" in u]
            mail_tab = annas.new_page()
            mail_tab.goto(from_mail[0])
            assert mail_tab.url == tab.url
            annas.close()
        finally:
            stop.set()
            worker.join(timeout=10)
