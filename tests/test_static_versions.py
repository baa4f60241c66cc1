"""Stylesheets and scripts are linked with a digest of their content; icons are not."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from app.static_versions import content_version


def test_pages_link_stylesheets_and_scripts_with_their_content_digest(client, app):
    html = client.get("/").get_data(as_text=True)
    links = re.findall(r'(?:href|src)="/static/([^"?]+)\?v=([0-9a-f]+)"', html)
    assert {"css/site.css", "js/site.js"} <= {name for name, _ in links}
    folder = Path(app.static_folder)
    for name, version in links:
        assert version == hashlib.sha256((folder / name).read_bytes()).hexdigest()[:12]
    assert re.search(r'href="/static/icons/icon\.svg"', html)  # plain address
    assert client.get("/static/css/site.css?v=" + links[0][1]).status_code == 200


def test_a_changed_file_gets_a_new_version(tmp_path):
    (tmp_path / "a.css").write_text("body { color: red }")
    first = content_version(str(tmp_path), "a.css")
    (tmp_path / "a.css").write_text("body { color: blue }")
    assert content_version(str(tmp_path), "a.css") not in (None, first)
    assert content_version(str(tmp_path), "missing.css") is None
