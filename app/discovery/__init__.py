"""What search engines and browsers ask a site for: sitemap, robots.txt, icons, manifest."""

from flask import Blueprint

bp = Blueprint("discovery", __name__)

from app.discovery import routes  # noqa: E402, F401
