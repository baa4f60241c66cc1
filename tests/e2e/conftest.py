"""A real server thread and the system Chromium, driven by Playwright.

Browser tests run in the SQLite pass (CI deselects them in the PostgreSQL pass with
``-m "not e2e"``); without Chromium they skip on a developer's machine and fail in CI.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import make_app
from tests.support import Factory, require

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


class LiveServer:
    """The app served by werkzeug on 127.0.0.1 in a thread, with its own database."""

    def __init__(self, app) -> None:  # noqa: ANN001
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        app.config["BASE_URL"] = self.url  # links in mails lead back to this server
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)


@pytest.fixture
def live_app(database_url: str, tmp_path: Path, marked_settings: dict):  # noqa: ANN201
    return make_app(database_url, tmp_path, **marked_settings)


@pytest.fixture
def live_server(live_app) -> Iterator[LiveServer]:  # noqa: ANN001
    with LiveServer(live_app) as server:
        yield server
    with live_app.app_context():
        from app.extensions import db

        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def live_make(live_app) -> Factory:  # noqa: ANN001
    return Factory(live_app)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    require(CHROMIUM.exists(), "Chromium is not installed: sudo apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser) -> Iterator:  # noqa: ANN001
    """A fresh browser context and page, JavaScript on, failing the test on page errors."""
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def page_without_js(browser) -> Iterator:  # noqa: ANN001
    context = browser.new_context(
        locale="de-DE", viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def scene_server(database_template, database_kind, tmp_path_factory) -> Iterator[LiveServer]:  # noqa: ANN001
    """One live server per test module on a database filled by tests/scene.build_scene."""
    from tests.scene import scene_app

    directory = tmp_path_factory.mktemp("scene")
    with scene_app(database_template, database_kind, directory) as app, LiveServer(app) as server:
        yield server
