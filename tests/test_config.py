"""Settings: defaults, then instance/config.py, then DISKURS_* environment variables."""

from __future__ import annotations

import pytest

from app import create_app
from app.config import ConfigError, load_settings
from tests.conftest import make_app


def test_defaults_follow_the_design(tmp_path, monkeypatch):
    for name in ("DISKURS_ENV", "DISKURS_SECRET_KEY", "DISKURS_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings(tmp_path)
    assert settings["ENV"] == "development"
    assert settings["DEFAULT_LOCALE"] == "de" and settings["TIMEZONE"] == "Europe/Berlin"
    assert settings["COMMENT_MODERATION"] == "first"
    assert (settings["COMMENT_MAX_LINKS"], settings["COMMENT_MAX_LENGTH"]) == (2, 5000)
    assert (settings["COMMENT_MAX_DEPTH"], settings["COMMENTS_PER_PAGE"]) == (5, 50)
    assert (settings["COMMENT_EDIT_MINUTES"], settings["FLAG_THRESHOLD"]) == (15, 3)
    assert settings["RATELIMIT_STORAGE_URI"] == "memory://"
    assert settings["DATABASE_URL"] == f"sqlite:///{tmp_path / 'diskurs.sqlite3'}"
    assert settings["SESSION_COOKIE_HTTPONLY"] and settings["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert not settings["SESSION_COOKIE_SECURE"]


def test_development_secret_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("DISKURS_SECRET_KEY", raising=False)
    monkeypatch.delenv("DISKURS_ENV", raising=False)
    first = load_settings(tmp_path)["SECRET_KEY"]
    assert len(first) >= 32
    assert load_settings(tmp_path)["SECRET_KEY"] == first
    assert (tmp_path / "secret_key").read_text() == first


def test_production_without_secret_key_stops_with_a_clear_message(tmp_path, monkeypatch):
    monkeypatch.setenv("DISKURS_ENV", "production")
    monkeypatch.delenv("DISKURS_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="DISKURS_SECRET_KEY"):
        create_app({"INSTANCE_PATH": tmp_path})
    assert not (tmp_path / "secret_key").exists()


def test_production_with_secret_key_sends_secure_cookies(tmp_path, monkeypatch):
    monkeypatch.setenv("DISKURS_ENV", "production")
    monkeypatch.setenv("DISKURS_SECRET_KEY", "k" * 40)
    monkeypatch.setenv("DISKURS_BASE_URL", "https://diskurs.example.org")
    settings = load_settings(tmp_path)
    assert settings["SESSION_COOKIE_SECURE"] and settings["REMEMBER_COOKIE_SECURE"]
    assert settings["DEBUG"] is False


def test_production_without_base_url_stops_with_a_clear_message(tmp_path, monkeypatch):
    monkeypatch.setenv("DISKURS_ENV", "production")
    monkeypatch.setenv("DISKURS_SECRET_KEY", "k" * 40)
    monkeypatch.delenv("DISKURS_BASE_URL", raising=False)
    with pytest.raises(ConfigError, match="DISKURS_BASE_URL"):
        load_settings(tmp_path)


def test_links_are_built_from_the_base_url_not_from_the_request(tmp_path):
    from app.links import absolute_url

    url = f"sqlite:///{tmp_path / 'x.db'}"
    app = make_app(url, tmp_path, BASE_URL="https://diskurs.example.org/blog/")
    with app.test_request_context("/", base_url="http://evil.example"):
        link = absolute_url("auth.reset_password", token="t", _anchor="top")
    with app.app_context():  # a worker without a request builds the same link
        assert absolute_url("auth.reset_password", token="t", _anchor="top") == link
    assert link == "https://diskurs.example.org/blog/reset/t#top"


def test_instance_file_overrides_defaults_and_environment_overrides_both(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text(
        "COMMENT_MAX_LINKS = 7\nTIMEZONE = 'Europe/Vienna'\nlowercase_is_ignored = 1\n"
    )
    monkeypatch.setenv("DISKURS_COMMENT_MAX_LINKS", "4")
    monkeypatch.setenv("DISKURS_COMMENT_HOLD_WORDS", "casino, kredit ")
    monkeypatch.setenv("DISKURS_RATELIMIT_ENABLED", "false")
    settings = load_settings(tmp_path)
    assert settings["COMMENT_MAX_LINKS"] == 4
    assert settings["TIMEZONE"] == "Europe/Vienna"
    assert settings["COMMENT_HOLD_WORDS"] == ["casino", "kredit"]
    assert settings["RATELIMIT_ENABLED"] is False
    assert "lowercase_is_ignored" not in settings


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DISKURS_COMMENT_MAX_LINKS", "many", "whole number"),
        ("DISKURS_COMMENT_MODERATION", "sometimes", "all, first or none"),
        ("DISKURS_DEFAULT_LOCALE", "fr", "DEFAULT_LOCALE"),
    ],
)
def test_bad_settings_are_refused_with_a_message(tmp_path, monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=message):
        load_settings(tmp_path)


def test_trusted_proxies_decide_whose_address_is_believed(tmp_path, make):
    from tests.conftest import make_app

    def remote_addr(app) -> str:
        @app.get("/_addr")
        def show() -> str:
            from flask import request

            return request.remote_addr or ""

        return app.test_client().get("/_addr", headers={"X-Forwarded-For": "203.0.113.9"}).text

    url = f"sqlite:///{tmp_path / 'x.db'}"
    assert remote_addr(make_app(url, tmp_path)) == "127.0.0.1"
    assert remote_addr(make_app(url, tmp_path, TRUSTED_PROXIES=1)) == "203.0.113.9"
