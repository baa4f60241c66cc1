"""German pages are always German: the catalogues are compiled by every way of installing
the project, and the app refuses to start when one it offers is missing."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
from pathlib import Path

import pytest

from app.catalogues import MissingCatalogue, check_catalogues

ROOT = Path(__file__).resolve().parents[1]


def test_a_missing_catalogue_is_named_with_the_command_that_builds_it(tmp_path):
    (tmp_path / "de" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "de" / "LC_MESSAGES" / "messages.po").write_text("")
    with pytest.raises(MissingCatalogue) as refused:
        check_catalogues(tmp_path, ["de", "en"])
    message = str(refused.value)
    assert str(tmp_path / "de" / "LC_MESSAGES" / "messages.mo") in message
    assert "make translations" in message and "pybabel compile -d translations" in message
    (tmp_path / "de" / "LC_MESSAGES" / "messages.mo").write_bytes(b"")
    check_catalogues(tmp_path, ["de", "en"])  # English is the source: it needs none


def test_the_projects_catalogues_are_there():
    check_catalogues(ROOT / "translations", ["de"])


def _project_copy(target: Path) -> Path:
    """The project's files as a fresh checkout has them: no venv, no compiled catalogue."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    for name in listed:
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    assert not list(target.glob("translations/*/LC_MESSAGES/*.mo"))
    return target


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, language: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Accept-Language": language})
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - our server
        return response.status, response.read().decode()


@pytest.mark.install
def test_plain_pip_install_compiles_the_catalogues_and_serves_german(tmp_path):
    """Installed with plain ``pip install -e .`` (no make), the site answers in German."""
    project = _project_copy(tmp_path / "diskurs")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    # The dependencies come from the project's own environment, so nothing is downloaded
    # but the build requirements; the project itself is installed as a deployment would.
    site = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import sysconfig; print(sysconfig.get_path('purelib'))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(site, "project-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    installed = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--no-deps", "-e", str(project)],
        capture_output=True,
        text=True,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert (project / "translations/de/LC_MESSAGES/messages.mo").is_file()

    env = {key: value for key, value in os.environ.items() if not key.startswith("DISKURS_")}
    env["DISKURS_DATABASE_URL"] = f"sqlite:///{tmp_path / 'site.sqlite3'}"
    python = str(venv / "bin" / "python")
    flask = [python, "-m", "flask", "--app", "wsgi"]
    where = subprocess.run(
        [python, "-c", "import app; print(app.__file__)"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert where.stdout.strip().startswith(str(project))
    migrated = subprocess.run([*flask, "db", "upgrade"], cwd=project, env=env, capture_output=True)
    assert migrated.returncode == 0, migrated.stderr
    port = _free_port()
    server = subprocess.Popen(
        [python, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(100):
            try:
                _get(f"http://127.0.0.1:{port}/healthz", "de")
                break
            except OSError:
                time.sleep(0.2)
        status, page = _get(f"http://127.0.0.1:{port}/login", "de")
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert status == 200
    assert '<html lang="de">' in page
    assert "Passwort" in page and "Anmelden" in page and "Password" not in page

    (project / "translations/de/LC_MESSAGES/messages.mo").unlink()
    refused = subprocess.run(
        [*flask, "routes"], cwd=project, env=env, capture_output=True, text=True
    )
    assert refused.returncode != 0
    said = refused.stdout + refused.stderr
    assert "translations/de/LC_MESSAGES/messages.mo" in said
    assert "make translations" in said
