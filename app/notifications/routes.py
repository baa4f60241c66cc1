"""One's notices, following an article, the settings on /account, and unsubscribing."""

from __future__ import annotations

from contextlib import nullcontext

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.config import SUPPORTED_LOCALES
from app.extensions import csrf, db
from app.models import User, utcnow
from app.notifications import bp
from app.notifications.forms import ClearForm, FollowForm, SettingsForm, interval_label
from app.permissions import is_moderator
from app.rate_limits import per_address
from app.services import articles as article_service
from app.services.errors import DomainError
from app.services.notifications import onsite, preferences, unsubscribe
from app.services.throttle import UNSUBSCRIBES
from app.whole_numbers import page_arg

NOTICES_PER_PAGE = 30


def _me() -> User:
    return current_user._get_current_object()  # the row itself, for the services


@bp.after_request
def _private(response):  # noqa: ANN001, ANN202
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/notifications")
@login_required
def index():  # noqa: ANN201
    """The member's notices, newest first; opening the page marks them as seen."""
    page = page_arg()
    now = utcnow()
    listing = onsite.notices_page(db.session, _me().id, now, page, NOTICES_PER_PAGE)
    if page > listing.pages:
        abort(404)
    onsite.mark_all_read(db.session, _me().id, now)
    g.unread_notices = 0  # what the header shows from now on
    page_html = render_template("notifications/index.html", listing=listing, clear_form=ClearForm())
    db.session.commit()  # after rendering, so that the rows shown need not be read again
    return page_html


@bp.post("/notifications")
@login_required
def clear():  # noqa: ANN201
    form = ClearForm()
    if form.validate():
        cleared = onsite.clear_read(db.session, _me().id, utcnow())
        db.session.commit()
        if cleared:
            flash(_("The notices you have seen are off the list."), "success")
        else:
            flash(_("There was nothing to clear."), "info")
    else:
        flash(_form_problem(form), "error")
    return redirect(url_for("notifications.index"))


@bp.post("/articles/<slug>/follow")
@login_required
def follow(slug: str):  # noqa: ANN201
    now = utcnow()
    article = article_service.find_by_slug(db.session, slug).article
    if article is None or not article.is_public_at(now):
        abort(404)
    form = FollowForm()
    back = url_for("articles.article", slug=article.slug) + "#follow"
    if not form.validate() or form.follow.data not in ("0", "1"):
        flash(_form_problem(form), "error")
        return redirect(back)
    if form.follow.data == "1":
        preferences.follow(db.session, _me().id, article.id, now)
        message = _followed_message()
    else:
        preferences.unfollow(db.session, _me().id, article.id)
        message = _("You no longer follow this discussion.")
    db.session.commit()
    flash(message, "success")
    return redirect(back)


def _followed_message() -> str:
    settings = preferences.settings_of(db.session, _me().id)
    if not settings.follow_mails:
        return _(
            "You follow this discussion. Mails about followed articles are switched off "
            "in your account; new comments are listed under your notifications."
        )
    minutes = preferences.digest_minutes(settings, current_app.config)
    return _(
        "You follow this discussion: new comments come by mail, %(interval)s.",
        interval=interval_label(minutes),
    )


def _form_problem(form) -> str:  # noqa: ANN001
    """What to tell about a form that could not be used: an expired token, or a field."""
    if "csrf_token" in form.errors:
        return _("The form had expired. Please try again.")
    for errors in form.errors.values():
        if errors:
            return str(errors[0])
    return _("The form could not be read. Please try again.")


def settings_form(formdata: object = None) -> SettingsForm:
    """The settings form of the account page, filled from the member's saved choices."""
    config = current_app.config
    saved = preferences.settings_of(db.session, _me().id)
    form = SettingsForm(
        formdata=formdata,
        obj=saved,
        choices=preferences.digest_choices(config),
    )
    if formdata is None:
        form.digest_minutes.data = preferences.digest_minutes(saved, config)
    return form


@bp.post("/account/notifications")
@login_required
def save_settings():  # noqa: ANN201
    me = _me()
    form = settings_form(request.form)
    back = url_for("account.index") + "#notifications"
    if not form.validate():
        flash(_form_problem(form), "error")
        return redirect(back)
    try:
        preferences.save_settings(
            db.session,
            me,
            form.values(is_moderator(me)),
            now=utcnow(),
            config=current_app.config,
        )
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(back)
    db.session.commit()
    flash(_("Your notification settings are saved."), "success")
    return redirect(back)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # mail programs post here without a session (RFC 8058); the token is the proof
@per_address(UNSUBSCRIBES)
def unsubscribe_link(token: str):  # noqa: ANN201
    """GET asks for confirmation (link scanners fetch links); POST stops the mails."""
    try:
        what = unsubscribe.read_token(db.session, current_app.config["SECRET_KEY"], token)
    except unsubscribe.LinkInvalid:
        return render_template("notifications/unsubscribe_invalid.html"), 404
    # In the language the mail was in, if the member chose one; else as the browser asks.
    with force_locale(what.user.locale) if what.user.locale in SUPPORTED_LOCALES else nullcontext():
        if request.method == "GET":
            return render_template("notifications/unsubscribe.html", what=what)
        changed = unsubscribe.apply(db.session, what, utcnow())
        db.session.commit()
        return render_template("notifications/unsubscribed.html", what=what, changed=changed)


bp.add_app_template_global(settings_form, "notification_settings_form")
