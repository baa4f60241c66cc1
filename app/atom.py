"""Atom feeds (RFC 4287) with the threading extension (RFC 4685): how they are answered.

The feed templates live in templates/feeds/; every address in them is absolute and built
from BASE_URL (app/links.py), never from the request.
"""

from __future__ import annotations

from typing import Any

from flask import Response, make_response, render_template

MIMETYPE = "application/atom+xml"


def atom_response(template: str, **context: Any) -> Response:
    response = make_response(render_template(template, **context))
    response.mimetype = MIMETYPE
    return response
