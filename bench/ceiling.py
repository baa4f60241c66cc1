"""The ceiling: the least a Flask app under the same gunicorn can do for a page of a size.

``GET /<size>`` answers a fixed HTML body of exactly *size* bytes, built once per worker
(``?cache=public`` marks it as readers' pages are marked, for nginx's cache).
Every figure of the benchmark is divided by this app's figure for the same body size, so
the ratios do not depend on how fast the machine is.

    gunicorn --workers 2 --bind 127.0.0.1:5078 bench.ceiling:app
"""

from __future__ import annotations

from flask import Flask, Response, request

app = Flask(__name__)
_bodies: dict[int, bytes] = {}


def body_of(size: int) -> bytes:
    if size not in _bodies:
        start, end = b"<!DOCTYPE html><html><body><p>", b"</p></body></html>\n"
        filler = max(size - len(start) - len(end), 0)
        _bodies[size] = (start + b"x" * filler + end)[:size] if size else b""
    return _bodies[size]


@app.get("/<int:size>")
@app.get("/articles/<int:size>")  # where nginx's configuration uses its cache
def fixed(size: int) -> Response:
    response = Response(body_of(size), mimetype="text/html")
    if request.args.get("cache") == "public":  # what nginx's cache can do for a kept page
        response.headers["Cache-Control"] = "public, max-age=10, stale-while-revalidate=60"
    return response
