"""What every template can use: the permission predicates and the site's footer pages."""

from __future__ import annotations

from typing import Any

from flask import Flask, g
from sqlalchemy import select

from app.extensions import db
from app.models import Page, utcnow
from app.permissions import TEMPLATE_PREDICATES


def footer_pages() -> list[Page]:
    """The fixed pages linked from every footer, loaded once per request."""
    if "footer_pages" not in g:
        g.footer_pages = db.session.execute(
            select(Page.slug, Page.title).order_by(Page.footer_position, Page.title)
        ).all()
    return g.footer_pages


def init_app(app: Flask) -> None:
    @app.context_processor
    def inject() -> dict[str, Any]:
        return {
            "footer_pages": footer_pages,
            "site_name": app.config["SITE_NAME"],
            "now": utcnow(),
        }

    app.jinja_env.globals.update(TEMPLATE_PREDICATES)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
