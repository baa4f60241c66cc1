"""The files in deploy/ are complete and agree with the application."""

from __future__ import annotations

import re

import pytest

from app.config import DEFAULTS
from tests.deploy.stack import (
    ENV_EXAMPLE,
    NGINX,
    NGINX_TEMPLATE,
    PROJECT_ROOT,
    Nginx,
    read_env_file,
    render_template,
    unit_command,
)
from tests.support import require

pytestmark = pytest.mark.deploy


def test_the_environment_example_lists_every_setting():
    text = ENV_EXAMPLE.read_text()
    listed = set(re.findall(r"^#? ?DISKURS_([A-Z_]+)=", text, flags=re.MULTILINE))
    assert set(DEFAULTS) - listed == set()
    values = read_env_file()
    assert values["DISKURS_ENV"] == "production"
    assert values["DISKURS_RATELIMIT_STORAGE_URI"].startswith("redis://")
    assert values["DISKURS_TRUSTED_PROXIES"] == "1"  # nginx is one hop


def test_the_units_run_the_project_s_commands():
    env = {"DISKURS_WEB_WORKERS": "3"}
    web = unit_command("diskurs-web@.service", "8001", env)
    assert web[0] == str(PROJECT_ROOT / ".venv" / "bin" / "gunicorn")
    assert web[web.index("--workers") + 1] == "3"
    assert web[web.index("--bind") + 1] == "127.0.0.1:8001"
    assert web[-1] == "wsgi:app"
    socket_unit = (PROJECT_ROOT / "deploy" / "systemd" / "diskurs-web@.socket").read_text()
    assert "ListenStream=127.0.0.1:%i" in socket_unit  # the address of --bind
    service = (PROJECT_ROOT / "deploy" / "systemd" / "diskurs-web@.service").read_text()
    assert "Requires=diskurs-web@%i.socket" in service
    worker = unit_command("diskurs-worker@.service", "1", env)
    assert worker[1:] == ["--app", "wsgi", "notifications", "work"]


def test_the_template_needs_exactly_its_documented_names():
    text = NGINX_TEMPLATE.read_text()
    names = set(re.findall(r"\$\{(DISKURS_[A-Z_]+)\}", text))
    for name in names:
        assert f"#   {name}" in text  # each is explained at the top
    with pytest.raises(AssertionError, match="no value"):
        render_template(text, {})
    # The body limit is the application's.
    assert f"client_max_body_size {DEFAULTS['MAX_CONTENT_LENGTH'] // (1024 * 1024)}m;" in text


def test_nginx_accepts_the_rendered_configuration(tmp_path):
    require(NGINX is not None, "nginx is not installed (apt-get install nginx)")
    checked = Nginx(18080, [18081, 18082], tmp_path).check()
    assert checked.returncode == 0, checked.stderr
