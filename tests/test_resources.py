"""Everything the site serves besides pages answers with its type and parses as that type."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from flask import Flask

from tests.atom_check import check_feed
from tests.page_types import RESOURCES, Resource
from tests.scene import scene_app, scene_of

BASE = "http://localhost"


@pytest.fixture(scope="module")
def resource_app(
    database_template: str, database_kind: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    with scene_app(database_template, database_kind, tmp_path_factory.mktemp("res")) as app:
        yield app


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r.name)
def test_resource_answers_with_its_type(resource_app: Flask, resource: Resource) -> None:
    response = resource_app.test_client().get(resource.url(scene_of(resource_app)))
    assert response.status_code == 200
    assert response.mimetype == resource.mimetype
    assert "Content-Security-Policy" in response.headers
    if resource.mimetype == "application/atom+xml":
        assert check_feed(response.data, BASE) == []
    elif resource.mimetype == "application/xml":
        assert response.data.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
        assert b"<loc>http://localhost/</loc>" in response.data
    elif resource.mimetype == "application/manifest+json":
        assert json.loads(response.data)["icons"]
    elif resource.mimetype == "text/plain":
        assert "Sitemap: http://localhost/sitemap.xml" in response.get_data(as_text=True)
    else:
        assert response.data[:4] == b"\x00\x00\x01\x00"
