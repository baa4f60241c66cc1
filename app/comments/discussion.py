"""What the article page shows under an article: its discussion.

The thread a reader sees is built from the article's comments alone (no viewer), so it
depends only on the comments, the page and the language, and is put together from kept
pieces (app/caching/fragments.py). Everything personal (the form with its CSRF token, one's
own waiting comments, edit and delete buttons, moderator controls) is added only for a
logged-in viewer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import abort, current_app, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.caching.fragments import ThreadView
from app.caching.pages import kept_for_site
from app.caching.standing import owns_nothing_in
from app.caching.versions import ArticleVersions
from app.comments.forms import CommentForm
from app.extensions import db
from app.models import Article
from app.notifications import personal
from app.permissions import is_moderator
from app.services import articles as article_service
from app.services import comments as comment_service
from app.services import drafts
from app.whole_numbers import id_arg

POSTED_KEY = "comment_posted_to"


@dataclass
class FormState:
    """The comment form as sent back after a refusal or a preview."""

    body: str = ""
    parent_id: int | None = None
    draft: str = ""
    submission: str = ""  # the form's key, kept when it is sent back
    error: Any = None  # beside the text field
    parent_error: Any = None  # about the comment replied to
    preview_html: str | None = None


def _viewer() -> Any:
    return current_user if current_user.is_authenticated else None


def requested_page(pages: int) -> int | None:
    """The page of comments the address asks for, or None when there is no such page."""
    # Compared in Python only, so a number of any size is simply past the last page.
    page = request.args.get("page", 1, type=int) or 1
    return page if 1 <= page <= pages else None


def _page(pages: int) -> int:
    page = requested_page(pages)
    if page is None:
        abort(404)
    return page


def writing_mode(article: Article | ArticleVersions, now: datetime) -> tuple[str, Any]:
    """How the bottom of the section looks: "form", "closed", "login" or "refused", and why
    writing is refused (of the article only whether comments are open counts)."""
    if not article.comments_open and not is_moderator(current_user):
        return "closed", None
    if not current_user.is_authenticated:
        return "login", None
    refusal = comment_service.writing_refusal(current_user, article, now)
    return ("refused", refusal) if refusal is not None else ("form", None)


def article_url(article: Article, **params: Any) -> str:
    """The article page, with *params* left out when empty, anchored at the form."""
    kept = {key: value for key, value in params.items() if value}
    return url_for("articles.article", slug=article.slug, **kept) + "#comment-form"


def discussion_context(
    article: Article, now: datetime, state: FormState | None = None
) -> dict[str, Any]:
    """Template variables for the comments section of *article*."""
    viewer = _viewer()
    # The thread, from kept pieces where nothing in them is personal (app/caching/fragments.py).
    own = 0 if viewer is not None and owns_nothing_in(article.id) else None
    minutes = edit_minutes() if viewer is not None else None
    thread = ThreadView(article, viewer, now, own_comments=own, edit_minutes=minutes)
    page = _page(thread.pages)
    mode, refusal = writing_mode(article, now)
    context: dict[str, Any] = {
        "comment_count": article.visible_comment_count,
        "thread": thread,
        "render_thread": thread.renderer(page),
        "comment_page": page,
        "comment_pages": thread.pages,
        "writing_mode": mode,
        "writing_refusal": refusal,
        "comments_open": article.comments_open,
        "reply_problem": None,
        "comment_posted": False,
    }
    if mode == "login":
        reply_to = id_arg("reply_to")
        target = article_url(
            article, reply_to=reply_to if thread.replyable(reply_to or 0) else None
        )
        context["login_url"] = url_for("auth.login", next=target)
        context["register_url"] = url_for("auth.register", next=target)
    if viewer is None:
        return context
    personal.read_for_article(article.id)

    settings = comment_settings()
    context["may_edit_comment"] = lambda c: comment_service.may_edit(viewer, c, now, minutes)
    context["comment_max_length"] = settings["COMMENT_MAX_LENGTH"]
    context["comment_posted"] = session.pop(POSTED_KEY, None) == article.id
    if mode == "form":
        state = state or _state_from_request(article, now, thread, context)
        context.update(_form_context(article, thread, state, page))
    elif state is not None:  # writing was refused meanwhile: offer the text to copy
        context.update(kept_text=state.body, form_error=state.error)
    return context


def comment_settings() -> dict[str, Any]:
    """The comment settings in force (an admin's saved values win), kept by the site's
    versions."""
    config = current_app.config
    return kept_for_site(
        "comment-settings", lambda: comment_service.comment_settings(db.session, config)
    )


def edit_minutes() -> int:
    """How long an author may edit a comment."""
    return int(comment_settings()["COMMENT_EDIT_MINUTES"])


def _state_from_request(article: Article, now: datetime, thread, context: dict) -> FormState:  # noqa: ANN001
    """The form of a GET: empty, answering ?reply_to=, or refilled from ?draft=."""
    state = FormState()
    draft = drafts.load_draft(db.session, request.args.get("draft"), article.id, now)
    if draft is not None:
        state.body, state.draft = draft.body, draft.token
        state.parent_id = draft.parent_id if thread.replyable(draft.parent_id or 0) else None
    reply_to = request.args.get("reply_to")
    if reply_to:
        target = thread.replyable(id_arg("reply_to") or 0)
        if target is None:
            context["reply_problem"] = _l(
                "That comment cannot be answered: it does not exist or is not visible. "
                "You can write a new comment instead."
            )
        else:
            state.parent_id = target.id
    return state


def _form_context(article: Article, thread, state: FormState, page: int) -> dict:  # noqa: ANN001
    # Only a comment everyone may see can be answered (and named as the one answered).
    parent = thread.replyable(state.parent_id) if state.parent_id else None
    form = CommentForm(
        formdata=None,
        body=state.body,
        parent_id=parent.id if parent else "",
        draft=state.draft,
        submission=state.submission or comment_service.new_submission_key(),
    )
    return {
        "comment_form": form,
        "form_action": url_for(
            "comments.create", slug=article.slug, page=page if page > 1 else None
        ),
        "reply_parent": parent,
        "form_error": state.error,
        "parent_error": state.parent_error,
        "preview_html": state.preview_html,
        "cancel_reply_url": article_url(article, page=page if page > 1 else None),
    }


def render_article_page(article: Article, now: datetime, state: FormState, status: int = 200):  # noqa: ANN201
    """The article page again, its form filled with *state* (nothing typed is lost)."""
    neighbours = article_service.neighbours(db.session, article, now)
    body = render_template(
        "articles/article.html",
        article=article,
        neighbours=neighbours,
        **discussion_context(article, now, state),
    )
    return body, status
