"""Every state of the discussion the server renders is valid HTML (Nu HTML checker)."""

from __future__ import annotations

from app.models import CommentStatus, UserRole
from tests.comment_helpers import page_url, post_comment
from tests.html_checker import check_documents, require_checker
from tests.support import login_as


def test_discussion_states_are_valid_html(app, make):
    require_checker()
    app.config.update(COMMENT_MODERATION="none", COMMENTS_PER_PAGE=2, COMMENT_MAX_DEPTH=2)
    article, closed = make.article(), make.article(comments_open=False)
    member, moderator = make.user("Mira"), make.user(role=UserRole.MODERATOR)
    top = make.comment(article, member, "Oben *mit* <b>Markup</b>")
    middle = make.comment(article, make.user(), "Mitte", parent=top)
    make.comment(article, member, "Tief", parent=middle)
    removed = make.comment(article, member, "weg", status=CommentStatus.DELETED)
    make.comment(article, make.user(), "unter einem entfernten", parent=removed)
    make.comment(article, member, "wartet", status=CommentStatus.PENDING)
    make.comment(article, member, "dritter Faden")

    reader, writer, mod = app.test_client(), app.test_client(), app.test_client()
    login_as(writer, member)
    login_as(mod, moderator)
    unconfirmed = app.test_client()
    login_as(unconfirmed, make.user(confirmed=False))
    documents = {
        "reader": reader.get(page_url(article)).data,
        "reader-reply-login": reader.get(page_url(article, reply_to=top.id)).data,
        "reader-page-2": reader.get(page_url(article, page=2)).data,
        "reader-closed": reader.get(page_url(closed)).data,
        "member": writer.get(page_url(article)).data,
        "member-reply": writer.get(page_url(article, reply_to=top.id)).data,
        "member-bad-reply": writer.get(page_url(article, reply_to=removed.id)).data,
        "member-refused": post_comment(writer, article, "   ").data,
        "member-bad-parent": post_comment(writer, article, "x", parent_id="nope").data,
        "member-preview": post_comment(writer, article, "**Vorschau**", preview="1").data,
        "member-closed-refused": post_comment(writer, closed, "zu spät").data,
        "member-edit": writer.get(f"/comments/{top.id}/edit").data,
        "moderator": mod.get(page_url(article)).data,
        "moderator-closed": mod.get(page_url(closed)).data,
        "unconfirmed": unconfirmed.get(page_url(article)).data,
    }
    problems = check_documents(documents)
    invalid = {name: [str(p) for p in found] for name, found in problems.items() if found}
    assert not invalid, invalid
