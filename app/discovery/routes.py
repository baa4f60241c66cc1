"""``/sitemap.xml``, ``/robots.txt``, ``/favicon.ico`` and ``/site.webmanifest``."""

from __future__ import annotations

from flask import Response, current_app, render_template, send_from_directory

from app.caching.pages import site_page
from app.discovery import bp
from app.discovery.sitemap import sitemap_entries
from app.extensions import db
from app.models import utcnow

ICONS = "icons"


@bp.get("/sitemap.xml")
def sitemap():  # noqa: ANN201
    return site_page(_sitemap)


def _sitemap() -> Response:
    body = render_template("discovery/sitemap.xml", entries=sitemap_entries(db.session, utcnow()))
    return Response(body, mimetype="application/xml")


@bp.get("/robots.txt")
def robots():  # noqa: ANN201
    body = lambda: Response(render_template("discovery/robots.txt"), mimetype="text/plain")  # noqa: E731
    return site_page(body, with_comments=False)


@bp.get("/favicon.ico")
def favicon():  # noqa: ANN201
    """Browsers ask for it at the root of every site, whatever the page links to."""
    folder = f"{current_app.static_folder}/{ICONS}"
    return send_from_directory(folder, "favicon.ico", mimetype="image/vnd.microsoft.icon")


@bp.get("/site.webmanifest")
def manifest():  # noqa: ANN201
    def body() -> Response:
        rendered = render_template("discovery/manifest.json")
        return Response(rendered, mimetype="application/manifest+json")

    return site_page(body, with_comments=False)
