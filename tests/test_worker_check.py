"""Production refuses several workers that would each keep their own rate-limit counts."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.config import ConfigError, check_shared_limits, declared_workers, load_settings
from tests.conftest import make_app

PROJECT_ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {
    "DISKURS_ENV": "production",
    "DISKURS_SECRET_KEY": "a production secret",
    "DISKURS_BASE_URL": "https://diskurs.example.org",
}


@pytest.mark.parametrize(
    "environ,argv,expected",
    [
        ({}, ["/srv/.venv/bin/gunicorn", "wsgi:app"], None),
        ({}, ["/srv/.venv/bin/gunicorn", "--workers", "4", "wsgi:app"], 4),
        ({}, ["/srv/.venv/bin/gunicorn", "-w", "3", "wsgi:app"], 3),
        ({}, ["/srv/.venv/bin/gunicorn", "-w2", "wsgi:app"], 2),
        ({}, ["/srv/.venv/bin/gunicorn", "--workers=5", "wsgi:app"], 5),
        ({}, ["/srv/.venv/bin/flask", "-w", "3"], None),  # not gunicorn's command line
        ({"WEB_CONCURRENCY": "4"}, ["python"], 4),
        ({"GUNICORN_CMD_ARGS": "--bind 0.0.0.0:80 --workers 6"}, ["python"], 6),
        ({"WEB_CONCURRENCY": "4"}, ["gunicorn", "-w", "1"], 1),  # the command line wins
    ],
)
def test_the_worker_count_is_read_where_gunicorn_reads_it(environ, argv, expected):
    assert declared_workers(environ, argv) == expected


def test_memory_counts_with_several_workers_are_refused_with_the_setting_to_change():
    settings = {"RATELIMIT_STORAGE_URI": "memory://", "RATELIMIT_ENABLED": True}
    with pytest.raises(ConfigError, match="DISKURS_RATELIMIT_STORAGE_URI=redis://"):
        check_shared_limits(settings, 2)
    check_shared_limits(settings, 1)
    check_shared_limits(settings, None)
    check_shared_limits(dict(settings, RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0"), 8)


def test_production_with_web_concurrency_and_memory_counts_does_not_start(tmp_path, monkeypatch):
    for name, value in PRODUCTION.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("WEB_CONCURRENCY", "4")
    with pytest.raises(ConfigError, match="4 workers"):
        load_settings(tmp_path)
    monkeypatch.setenv("DISKURS_RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
    assert load_settings(tmp_path)["ENV"] == "production"


def test_production_with_an_unknown_worker_count_warns(tmp_path, monkeypatch, caplog):
    for name, value in PRODUCTION.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.delenv("GUNICORN_CMD_ARGS", raising=False)
    # Running the migrations configures logging anew and switches existing loggers off.
    monkeypatch.setattr(logging.getLogger("app"), "disabled", False)
    with caplog.at_level(logging.WARNING):
        make_app(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path, RATELIMIT_ENABLED=True)
    assert "DISKURS_RATELIMIT_STORAGE_URI" in caplog.text


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _gunicorn(workers: int, tmp_path: Path) -> subprocess.Popen:
    env = dict(os.environ, **PRODUCTION)
    env["DISKURS_DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    for name in ("WEB_CONCURRENCY", "GUNICORN_CMD_ARGS", "DISKURS_RATELIMIT_STORAGE_URI"):
        env.pop(name, None)
    # "python -m gunicorn": its own command line is not visible to the application, so the
    # refusal below comes from the check in gunicorn.conf.py alone.
    command = [sys.executable, "-m", "gunicorn", "--workers", str(workers)]
    command += ["--bind", f"127.0.0.1:{_free_port()}", "wsgi:app"]
    return subprocess.Popen(
        command,
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_gunicorn_with_two_workers_and_memory_counts_refuses_to_start(tmp_path):
    process = _gunicorn(2, tmp_path)
    try:
        output, _ = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode != 0
    assert "DISKURS_RATELIMIT_STORAGE_URI" in output


def test_gunicorn_with_one_worker_starts(tmp_path):
    process = _gunicorn(1, tmp_path)
    try:
        deadline = time.monotonic() + 30
        lines: list[str] = []
        while time.monotonic() < deadline and process.poll() is None:
            line = process.stdout.readline()
            lines.append(line)
            if "Booting worker" in line:
                break
        assert any("Booting worker" in line for line in lines), "".join(lines)
    finally:
        process.terminate()
        try:  # reading what it still writes, so that a full pipe never holds it up
            process.communicate(timeout=30)
        except subprocess.TimeoutExpired:  # a worker still loading the app on a busy machine
            process.kill()
            process.communicate()


def test_a_worker_freezes_what_it_loaded_for_the_garbage_collector():
    import gc
    import runpy

    hooks = runpy.run_path(str(PROJECT_ROOT / "gunicorn.conf.py"))
    gc.unfreeze()
    try:
        hooks["post_worker_init"](None)
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()
