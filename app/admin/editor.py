"""The article editor: one form for writing, previewing, saving, scheduling and publishing.

Which button was pressed decides the publication date; everything typed is kept when a
save is refused, and a save over someone else's newer version is refused (no lost update).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import text
from app.admin.expired import EXPIRED_STATUS, token_expired
from app.admin.forms import ArticleForm, local_input, parse_local
from app.extensions import db
from app.i18n import site_timezone
from app.models import Article, ArticleSlug, BodyFormat, Topic, utcnow
from app.services import publishing
from app.services.article_admin import ArticleState, state_of
from app.services.errors import DomainError, InvalidInput
from app.services.publishing import render_body
from app.services.slugs import slugify
from app.whole_numbers import parse_id

ACTIONS = ("preview", "draft", "schedule", "publish", "save", "unpublish")


def fill_from(form: ArticleForm, article: Article) -> None:
    form.title.data = article.title
    form.slug.data = article.slug
    form.author_name.data = article.author_name
    form.topics.data = ", ".join(topic.name for topic in article.topics)
    form.summary.data = article.summary or ""
    form.body.data = article.body
    form.comments_open.data = article.comments_open
    form.publish_at.data = local_input(article.published_at, site_timezone())
    form.revision.data = str(article.revision)


def _publication(form: ArticleForm, article: Article | None, action: str, now: datetime):  # noqa: ANN202
    """The publication date the pressed button asks for (None: a draft)."""
    if action in ("draft", "unpublish"):
        return None
    typed = form.publish_at.data or ""
    if (
        article is not None
        and article.published_at
        and typed == local_input(article.published_at, site_timezone())
    ):
        # The field shows whole minutes; keep the exact stored moment when it was not changed.
        chosen = article.published_at
    else:
        chosen = parse_local(typed, site_timezone())
    if action == "schedule":
        if chosen is None or chosen <= now:
            raise InvalidInput(
                _("To schedule, give a date and time in the future."), field="publish_at"
            )
        return chosen
    if action == "publish":  # now, unless an earlier date was given on purpose
        return chosen if chosen is not None and chosen <= now else now
    # "save" keeps the state; the date field may move the publication.
    if chosen is None and article is not None:
        return article.published_at
    return chosen


def _input(form: ArticleForm, article: Article | None, published_at) -> publishing.ArticleInput:  # noqa: ANN001
    return publishing.ArticleInput(
        title=form.title.data or "",
        body=form.body.data or "",
        author_name=form.author_name.data or "",
        slug=(form.slug.data or "").strip() or None,
        topics=publishing.split_topics(form.topics.data or ""),
        summary=form.summary.data,
        published_at=published_at,
        comments_open=bool(form.comments_open.data),
        author_id=article.author_id if article is not None else current_user.id,
    )


def _expected_revision(form: ArticleForm) -> int:
    revision = parse_id(form.revision.data)
    if revision is None:
        abort(400)
    return revision


def _saved_message(before: ArticleState | None, after: ArticleState, article: Article) -> str:
    if after is ArticleState.SCHEDULED:
        when = format_datetime(article.published_at, "medium")
        return _("Scheduled: readers see the article from %(when)s.", when=when)
    if after is ArticleState.PUBLISHED and before is not ArticleState.PUBLISHED:
        return _("Published.")
    if after is ArticleState.DRAFT and before in (ArticleState.PUBLISHED, ArticleState.SCHEDULED):
        return _("Unpublished: the article is a draft again.")
    if after is ArticleState.DRAFT:
        return _("Saved as draft.")
    return _("Saved.")


def handle(form: ArticleForm, article: Article | None):  # noqa: ANN201
    """Show the editor, or act on the button pressed; *article* is None for a new one."""
    if request.method != "POST":
        return render(form, article)
    if token_expired(form):
        return render(form, article), EXPIRED_STATUS
    action = request.form.get("action", "save")
    if action not in ACTIONS or not form.validate():
        abort(400)
    if action == "preview":
        return render(form, article, preview=True)
    now = utcnow()
    before = state_of(article, now) if article is not None else None
    try:
        data = _input(form, article, _publication(form, article, action, now))
        if article is None:
            article = publishing.create_article(db.session, data, now)
        else:
            expected = _expected_revision(form)
            article = publishing.update_article(
                db.session, article, data, now, expected_revision=expected
            )
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        return refused(form, article, error)
    except IntegrityError as clash:  # another save took the same name a moment earlier
        db.session.rollback()
        if "topics" in str(clash.orig):
            return refused(form, article, InvalidInput(_("Please save again."), field="topics"))
        taken = publishing.SlugTaken(_("Another article has or had this slug; choose another."))
        return refused(form, article, taken)
    flash(_saved_message(before, state_of(article, now), article), "success")
    return redirect(url_for("admin.edit_article", article_id=article.id))


def refused(form: ArticleForm, article: Article | None, error: DomainError):  # noqa: ANN201
    """Show the editor again with everything typed and the reason beside its field."""
    field = getattr(error, "field", None)
    if field and field in form:
        form[field].errors = [*form[field].errors, str(error)]
    else:
        form.form_errors.append(str(error))
    conflict = isinstance(error, publishing.StaleEdit)
    if conflict and article is not None:
        # After the rollback the article reloads as it is now; saving again is a choice
        # made after seeing that version, so the form now carries its revision.
        form.revision.data = str(article.revision)
    return render(form, article, current=article if conflict else None), 409 if conflict else 422


def render(form: ArticleForm, article: Article | None, **extra: Any):  # noqa: ANN201
    topics = db.session.scalars(select(Topic.name).order_by(Topic.name)).all()
    earlier = []
    if article is not None:
        earlier = db.session.scalars(
            select(ArticleSlug.slug).where(ArticleSlug.article_id == article.id)
        ).all()
    context: dict[str, Any] = {
        "form": form,
        "article": article,
        "state": state_of(article, utcnow()) if article is not None else None,
        "existing_topics": topics,
        "earlier_slugs": earlier,
        "proposed_slug": slugify(form.title.data or ""),
        "timezone": current_app.config["TIMEZONE"],
        "preview_html": None,
        "missing_alt": [],
        "current": None,
    }
    if extra.pop("preview", False):
        body = (form.body.data or "").replace("\r\n", "\n")
        body_format = article.body_format if article is not None else BodyFormat.MARKDOWN
        context["preview_html"] = render_body(body, body_format)
        context["preview_excerpt"] = text.excerpt(
            render_body(form.summary.data, body_format)
            if (form.summary.data or "").strip()
            else context["preview_html"]
        )
        context["missing_alt"] = text.images_without_alt(body)
    context.update(extra)
    return render_template("admin/article_form.html", **context)
