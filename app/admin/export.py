"""Admin: download the whole site as a WordPress export file."""

from __future__ import annotations

import tempfile

from flask import current_app, render_template, request, send_file

from app.admin import bp
from app.extensions import db
from app.models import utcnow
from app.permissions import admin_required
from app.services.importer import site_zone
from app.services.wordpress.export import write_wxr


@bp.get("/export")
@admin_required
def export():  # noqa: ANN201
    return render_template("admin/export.html")


@bp.get("/export/wordpress.xml")
@admin_required
def export_wordpress():  # noqa: ANN201
    config = current_app.config
    now = utcnow()
    # Written to a temporary file first: the database is read in one go, the answer is
    # then sent in pieces, and memory holds neither.
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (send_file closes it)
    write_wxr(
        db.session,
        spool,
        site_name=config["SITE_NAME"],
        base_url=config["BASE_URL"],
        zone=site_zone(config["TIMEZONE"]),
        now=now,
        with_emails=request.args.get("emails") == "1",
    )
    spool.seek(0)
    response = send_file(
        spool,
        mimetype="application/xml",
        as_attachment=True,
        download_name=f"wordpress-{now:%Y-%m-%d}.xml",
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
