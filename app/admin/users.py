"""Admin: people, their roles, their comments and what was decided about them."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.admin import bp, labels
from app.admin.forms import RoleForm
from app.extensions import db
from app.models import User, UserRole, utcnow
from app.permissions import admin_required, can_change_role, is_admin
from app.services import people
from app.services.errors import DomainError, InvalidInput
from app.whole_numbers import page_arg


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.get("/users")
@admin_required
def users():  # noqa: ANN201
    query = request.args.get("q", "")[:200]
    raw_role = request.args.get("role", "")
    role = UserRole(raw_role) if raw_role in set(UserRole) else None
    page = page_arg()
    listing = people.list_people(db.session, query=query, role=role, page=page)
    if not listing.rows and page > 1:
        abort(404)
    return render_template(
        "admin/users.html", listing=listing, query=query, role=role, roles=list(UserRole)
    )


def _render_user(user: User, form: RoleForm, status: int = 200):  # noqa: ANN202
    return (
        render_template(
            "admin/user.html",
            user=user,
            form=form,
            comments=people.comments_of(db.session, user),
            history=people.history_of(db.session, user),
            decisions=people.decisions_by(db.session, user),
            may_change_role=can_change_role(current_user, user),
            roles=list(UserRole),
        ),
        status,
    )


@bp.get("/users/<int:user_id>")
@admin_required
def user(user_id: int):  # noqa: ANN201
    found = _user_or_404(user_id)
    return _render_user(found, RoleForm(role=found.role.value))


@bp.post("/users/<int:user_id>/role")
@admin_required
def change_role(user_id: int):  # noqa: ANN201
    found = _user_or_404(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400)
    if not can_change_role(current_user, found):
        abort(403)
    try:
        role = UserRole(form.role.data)
    except ValueError:
        form.role.errors = [_("Please choose one of the roles.")]
        return _render_user(found, form, 422)
    try:
        people.change_role(db.session, found, role, actor=current_user, now=utcnow())
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        form.role.errors = [str(error)]
        return _render_user(found, form, 422 if isinstance(error, InvalidInput) else 409)
    flash(
        _("%(name)s is now: %(role)s.", name=found.display_name, role=labels.role(role)),
        "success",
    )
    if not is_admin(current_user):  # demoted themselves: the admin area is closed to them now
        return redirect(url_for("articles.home"))
    return redirect(url_for("admin.user", user_id=found.id))
