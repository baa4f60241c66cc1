"""Admin: the moderation settings (policy, lists, limits); a saved value wins over the config."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.admin import bp
from app.admin.expired import EXPIRED_STATUS, token_expired
from app.extensions import csrf, db
from app.models import utcnow
from app.moderation.forms import MODERATION_CHOICES, SettingsForm
from app.permissions import admin_required
from app.services import site_settings
from app.services.policy_preview import POLICY_KEYS, preview_policy


def _as_text(key: str, value: Any) -> str:
    if key in site_settings.WORD_LISTS:
        return "\n".join(value)
    return str(value)


def _configured(key: str, value: Any) -> str:
    """The configured value as the hint beside the field names it."""
    if key == "COMMENT_MODERATION":
        labels = {choice.value: str(choice.label) for choice in MODERATION_CHOICES}
        return labels.get(value, str(value))
    return _as_text(key, value)


def _render(form: SettingsForm, status: int = 200, preview=None):  # noqa: ANN001, ANN202
    config = current_app.config
    return render_template(
        "admin/settings.html",
        form=form,
        configured={key: _configured(key, config[key]) for key in site_settings.EDITABLE},
        saved=site_settings.saved_keys(db.session),
        preview=preview,
    ), status


@bp.route("/settings", methods=["GET", "POST"])
@csrf.exempt  # checked below, where an expired token keeps what was typed
@admin_required
def settings():  # noqa: ANN201
    form = SettingsForm()
    if not form.is_submitted():
        values = site_settings.effective_settings(db.session, current_app.config)
        for key, value in values.items():
            getattr(form, key).data = _as_text(key, value)
        return _render(form)
    if token_expired(form):
        return _render(form, EXPIRED_STATUS)
    if not form.validate():
        return _render(form, 400)
    raw = {key: getattr(form, key).data or "" for key in site_settings.EDITABLE}
    values, errors = site_settings.clean_settings(raw)
    if errors:
        for key, error in errors.items():
            getattr(form, key).errors = [*getattr(form, key).errors, str(error)]
        flash(_("Nothing was saved: please correct the marked fields."), "error")
        return _render(form, 400)
    if "preview" in request.form:  # shows what the change would do; saves nothing
        in_force = site_settings.effective_settings(db.session, current_app.config)
        proposed = {**in_force, **{key: values[key] for key in POLICY_KEYS if key in values}}
        return _render(form, preview=preview_policy(db.session, in_force, proposed))
    site_settings.save_settings(db.session, values, utcnow(), config=current_app.config)
    db.session.commit()
    flash(_("The settings have been saved."), "success")
    return redirect(url_for("admin.settings"))
