"""The queue at speed: a moderator clears 50 held comments with the keyboard alone (j/k,
a, h with a reason, d with a reason, u), hears where they are, and without JavaScript every
decision returns to the next comment's anchor."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.models import Comment, CommentStatus, ModerationAction, ModerationEvent, UserRole, utcnow
from tests.e2e.test_moderation_journey import log_in

HELD = 50


def focused_entry(page) -> str:  # noqa: ANN001
    return page.evaluate("() => document.activeElement.id")


def wait_for_focus_to_leave(page, entry_id: str) -> None:  # noqa: ANN001
    page.wait_for_function(
        """(old) => {
          const active = document.activeElement;
          return document.readyState === "complete" && active && active.id !== old
            && active.classList.contains("queue-entry");
        }""",
        arg=entry_id,
    )


def test_a_moderator_clears_50_held_comments_with_the_keyboard(live_server, live_make, page):
    articles = [live_make.article(f"Artikel {n}") for n in range(3)]
    authors = [live_make.user(f"schreiber{n}") for n in range(10)]
    moderator = live_make.user("moderatorin", role=UserRole.MODERATOR)
    start = utcnow() - timedelta(hours=3)
    held = [
        live_make.comment(
            articles[n % 3],
            authors[n % 10],
            f"Wartender Kommentar Nummer {n}.",
            status=CommentStatus.PENDING,
            created_at=start + timedelta(minutes=n),
        )
        for n in range(HELD)
    ]
    page.on("dialog", lambda dialog: dialog.accept())  # "Delete this comment?": Enter
    log_in(page.context, live_server.app, moderator, live_server.url)
    page.goto(live_server.url + "/moderation/")

    page.keyboard.press("?")
    assert page.locator("#queue-keys-list").is_visible()
    assert "nächster Kommentar" in page.locator("#queue-keys-list").inner_text()
    page.keyboard.press("?")
    assert page.locator("#queue-keys-list").is_hidden()

    page.keyboard.press("j")
    assert focused_entry(page) == f"entry-{held[0].id}"  # the oldest first
    assert "Kommentar 1 von 25, von schreiber0." in page.locator("#queue-status").inner_text()
    page.keyboard.press("j")
    page.keyboard.press("k")
    assert focused_entry(page) == f"entry-{held[0].id}"

    # Approve, and take it back with u: the comment is back, with the focus.
    page.keyboard.press("a")
    wait_for_focus_to_leave(page, f"entry-{held[0].id}")
    assert "Rückgängig" in page.locator("#queue-status").inner_text()
    page.keyboard.press("u")
    page.wait_for_function("(id) => document.activeElement.id === id", arg=f"entry-{held[0].id}")
    with live_server.app.app_context():
        assert db.session.get(Comment, held[0].id).status is CommentStatus.PENDING

    decided = {"a": [], "h": [], "d": []}
    for number in range(HELD):
        entry = focused_entry(page)
        comment_id = int(entry.removeprefix("entry-"))
        key = "h" if number % 10 == 3 else "d" if number % 10 == 7 else "a"
        page.keyboard.press(key)
        if key != "a":
            assert page.evaluate("() => document.activeElement.name") == "reason"
            page.keyboard.type(f"Grund {number}")
            page.keyboard.press("Enter")
        decided[key].append(comment_id)
        if number < HELD - 1:
            wait_for_focus_to_leave(page, entry)
    page.wait_for_function(
        "() => document.querySelector('#queue-status').textContent.includes('Nichts wartet')"
    )

    with live_server.app.app_context():
        states = dict(db.session.execute(select(Comment.id, Comment.status)).all())
        assert sorted(decided["a"] + decided["h"] + decided["d"]) == sorted(c.id for c in held)
        assert all(states[i] is CommentStatus.VISIBLE for i in decided["a"])
        assert all(states[i] is CommentStatus.HIDDEN for i in decided["h"])
        assert all(states[i] is CommentStatus.DELETED for i in decided["d"])
        hidden = db.session.get(Comment, decided["h"][0])
        assert hidden.status_reason.params["text"] == "Grund 3"
        counted = dict(
            db.session.execute(
                select(ModerationEvent.action, func.count(ModerationEvent.id)).group_by(
                    ModerationEvent.action
                )
            ).all()
        )
    assert counted[ModerationAction.APPROVE] == len(decided["a"]) + 1  # one was undone
    assert counted[ModerationAction.UNDO] == 1
    assert counted[ModerationAction.HIDE] == len(decided["h"]) == 5
    assert counted[ModerationAction.DELETE] == len(decided["d"]) == 5


def test_without_javascript_a_decision_returns_to_the_next_comment(
    live_server, live_make, page_without_js
):
    article = live_make.article("Ohne Skript entscheiden")
    author = live_make.user("schreiberin")
    moderator = live_make.user("moderatorin", role=UserRole.MODERATOR)
    first, second = (
        live_make.comment(
            article,
            author,
            text,
            status=CommentStatus.PENDING,
            created_at=utcnow() - timedelta(minutes=minutes),
        )
        for text, minutes in (("Der ältere.", 10), ("Der neuere.", 5))
    )
    page = page_without_js
    log_in(page.context, live_server.app, moderator, live_server.url)
    page.goto(live_server.url + "/moderation/")
    page.locator(f"#entry-{first.id} button.moderation-controls__approve").click()
    assert page.url.endswith(f"/moderation/#entry-{second.id}")
    assert "Der Kommentar wurde freigegeben." in page.locator(".flashes").inner_text()
    assert page.locator(".undo-offer button").is_visible()

    # Deleting asks on a page of its own first; the reason typed is kept.
    entry = page.locator(f"#entry-{second.id}")
    entry.locator("summary", has_text="Löschen").click()
    entry.get_by_label("Grund (wird dem Autor angezeigt)").last.fill("Doppelt")
    entry.locator("form.moderation-controls__form--delete button").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Diesen Kommentar löschen?"
    assert page.get_by_label("Grund (wird dem Autor angezeigt)").input_value() == "Doppelt"
    with live_server.app.app_context():
        assert db.session.get(Comment, second.id).status is CommentStatus.PENDING
    page.get_by_role("button", name="Löschen").click()
    assert "Der Kommentar wurde gelöscht." in page.locator(".flashes").inner_text()
    with live_server.app.app_context():
        assert db.session.get(Comment, second.id).status is CommentStatus.DELETED
    page.locator(".undo-offer button").click()
    assert "rückgängig gemacht" in page.locator(".flashes").inner_text()
    with live_server.app.app_context():
        assert db.session.get(Comment, second.id).status is CommentStatus.PENDING
