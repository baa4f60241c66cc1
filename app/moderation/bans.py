"""Members as moderators see them: their record, and banning and unbanning."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.extensions import db
from app.models import User, utcnow
from app.moderation import bp
from app.moderation.answers import decided
from app.moderation.forms import BanForm, UnbanForm
from app.permissions import moderator_required
from app.services import bans as ban_service
from app.services import queue as queue_service
from app.services.errors import DomainError, InvalidInput


def _member(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def _render_member(user: User, ban_form: BanForm, status: int = 200):  # noqa: ANN202
    events, _articles = queue_service.log_page(db.session, per_page=20, target_user_id=user.id)
    return render_template(
        "moderation/member.html",
        member=user,
        record=queue_service.author_records(db.session, [user])[user.id],
        comments=queue_service.recent_comments(db.session, user),
        events=events,
        ban_form=ban_form,
        unban_form=UnbanForm(formdata=None),
        may_ban=ban_service.may_ban(current_user, user),
        banned_now=user.is_banned_at(utcnow()),
    ), status


@bp.get("/members/<int:user_id>")
@moderator_required
def member(user_id: int):  # noqa: ANN201
    return _render_member(_member(user_id), BanForm(formdata=None))


@bp.post("/members/<int:user_id>/ban")
@moderator_required
def ban(user_id: int):  # noqa: ANN201
    user = _member(user_id)
    form = BanForm()
    if not form.validate():
        return _render_member(user, form, 400)
    try:
        until = form.until_utc(current_app.config["TIMEZONE"])
        event = ban_service.ban(
            db.session,
            user,
            actor=current_user._get_current_object(),
            now=utcnow(),
            reason=form.reason.data,
            until=until,
            hide_comments=form.hide_comments.data,
        )
        db.session.commit()
    except InvalidInput as error:
        db.session.rollback()
        field = getattr(form, error.field or "", None)
        if field is not None:
            field.errors = [*field.errors, str(error)]
        else:
            flash(str(error), "error")
        return _render_member(_member(user_id), form, 400)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("moderation.member", user_id=user_id))
    hidden = len((event.previous or {}).get("hidden", []))
    if hidden:
        flash(ngettext("%(num)d comment hidden.", "%(num)d comments hidden.", hidden), "success")
    back = url_for("moderation.member", user_id=user_id)
    return decided(_("%(name)s is banned.", name=user.display_name), event, back)


@bp.post("/members/<int:user_id>/unban")
@moderator_required
def unban(user_id: int):  # noqa: ANN201
    user = _member(user_id)
    form = UnbanForm()
    try:
        if not form.validate():
            raise InvalidInput(str(next(iter(form.errors.values()))[0]))
        ban_service.unban(
            db.session,
            user,
            actor=current_user._get_current_object(),
            now=utcnow(),
            reason=form.reason.data,
        )
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        flash(_("The ban of %(name)s has ended.", name=user.display_name), "success")
    return redirect(url_for("moderation.member", user_id=user_id))


@bp.get("/bans")
@moderator_required
def banned():  # noqa: ANN201
    return render_template(
        "moderation/bans.html", members=ban_service.banned_members(db.session, utcnow())
    )
