"""Settings: defaults here, then ``instance/config.py``, then ``DISKURS_<NAME>`` variables.

Every setting the site knows is listed in :data:`DEFAULTS`; an environment variable is
converted to the type of its default, so ``DISKURS_COMMENT_MAX_LINKS=4`` arrives as an int.
"""

from __future__ import annotations

import json
import os
import secrets
import shlex
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ENV_PREFIX = "DISKURS_"

DEFAULTS: dict[str, Any] = {
    "ENV": "development",
    "DATABASE_URL": None,  # None: a SQLite file in the instance folder
    "SECRET_KEY": None,  # None: generated once into the instance folder (development only)
    "SITE_NAME": "Diskurs",
    # The public address, for links in mails and feeds (never taken from a request).
    "BASE_URL": None,  # None: http://127.0.0.1:5000 in development; required in production
    # Host names the site answers for; empty: any in development, BASE_URL's in production.
    "TRUSTED_HOSTS": [],
    # The largest request body, in bytes. The largest form is the article editor: 200,000
    # characters of text (plus excerpt and title) that a browser may send percent-encoded,
    # up to 12 bytes for one character; 3 MiB holds that with room to spare.
    "MAX_CONTENT_LENGTH": 3 * 1024 * 1024,
    "DEFAULT_LOCALE": "de",
    "TIMEZONE": "Europe/Berlin",
    "COMMENT_MODERATION": "first",
    "COMMENT_MAX_LINKS": 2,
    "COMMENT_MAX_LENGTH": 5000,
    "COMMENT_MAX_DEPTH": 5,
    "COMMENT_EDIT_MINUTES": 15,
    "COMMENTS_PER_PAGE": 50,
    "FLAG_THRESHOLD": 3,
    # How long a moderator may take back a decision (hide, delete, approve, ban).
    "MODERATION_UNDO_MINUTES": 5,
    "COMMENT_MIN_INTERVAL_SECONDS": 15,
    "COMMENTS_PER_HOUR": 10,
    "COMMENT_HOLD_WORDS": [],
    "COMMENT_BLOCK_WORDS": [],
    "ARTICLES_PER_PAGE": 10,
    # Keep rendered readers' pages and viewer-independent thread pieces (app/caching/).
    "PAGE_CACHE": True,
    # Where they are kept: Redis (shared by every worker and instance) or, when empty, each
    # worker's own memory.
    "CACHE_REDIS_URL": "",
    "CACHE_TTL_SECONDS": 3600,  # every kept entry ages out after this, whatever happens
    # What readers' pages tell browsers and proxies (Cache-Control).
    "READER_MAX_AGE": 10,
    "READER_STALE_SECONDS": 60,
    # How long a worker reuses the versions it read for readers' pages (app/caching/recent.py).
    "READER_VERSIONS_SECONDS": 1.0,
    "FEED_SIZE": 20,
    "SEARCH_RESULTS_PER_PAGE": 10,
    # Shown under the site's name in the header; empty: a sentence about what the site is.
    "SITE_TAGLINE": "",
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_ENABLED": True,
    "TRUSTED_PROXIES": 0,
    "MAIL_SERVER": None,
    "MAIL_PORT": 25,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_USE_TLS": False,
    "MAIL_FROM": "diskurs@localhost",
    "EMAIL_CONFIRM_HOURS": 48,
    "PASSWORD_RESET_MINUTES": 60,
    # Throttles: at most N events per window (seconds) for one account or one address.
    "RATELIMIT_KEY_PREFIX": "diskurs",
    "LOGIN_FAILURES_PER_ACCOUNT": 5,
    "LOGIN_FAILURES_PER_ADDRESS": 20,
    "LOGIN_FAILURE_WINDOW_SECONDS": 15 * 60,
    "REGISTRATIONS_PER_ADDRESS": 10,
    "REGISTRATION_WINDOW_SECONDS": 60 * 60,
    "RESET_REQUESTS_PER_ADDRESS": 10,
    "RESET_MAILS_PER_ACCOUNT": 3,
    "CONFIRMATION_MAILS_PER_ACCOUNT": 3,
    "MAIL_WINDOW_SECONDS": 60 * 60,
    # Requests per address to views that write or search; the flood rules per member
    # (COMMENTS_PER_HOUR, COMMENT_MIN_INTERVAL_SECONDS) are stricter.
    "COMMENT_WRITES_PER_ADDRESS": 30,
    "SEARCHES_PER_ADDRESS": 60,
    "UNSUBSCRIBES_PER_ADDRESS": 60,
    "ADDRESS_WINDOW_SECONDS": 60,
    # Notifications: followers and moderators get at most one digest mail per interval
    # (members may choose another); the worker looks for due mails every POLL seconds and
    # retries a failing mail after RETRY seconds, doubling each time, MAX_ATTEMPTS in all.
    "NOTIFICATION_DIGEST_MINUTES": 60,
    "NOTIFICATION_POLL_SECONDS": 5,
    "NOTIFICATION_RETRY_SECONDS": 60,
    "NOTIFICATION_MAX_ATTEMPTS": 6,
}

SUPPORTED_LOCALES = ("de", "en")


class ConfigError(RuntimeError):
    """The settings cannot work together; the message says what to change."""


def _coerce(name: str, raw: str, default: Any) -> Any:
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError as exc:
            raise ConfigError(f"{ENV_PREFIX}{name} must be a whole number, got {raw!r}") from exc
    if isinstance(default, float):
        try:
            return float(raw)
        except ValueError as exc:
            raise ConfigError(f"{ENV_PREFIX}{name} must be a number, got {raw!r}") from exc
    if isinstance(default, list):
        raw = raw.strip()
        if raw.startswith("["):
            return list(json.loads(raw))
        return [part.strip() for part in raw.split(",") if part.strip()]
    return raw


def load_settings(instance_path: Path, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return the settings for one app: defaults, instance file, environment, then *overrides*."""
    settings = dict(DEFAULTS)
    instance_file = instance_path / "config.py"
    if instance_file.is_file():
        namespace: dict[str, Any] = {}
        exec(compile(instance_file.read_text(), str(instance_file), "exec"), namespace)  # noqa: S102
        settings.update({k: v for k, v in namespace.items() if k.isupper()})
    for name, default in DEFAULTS.items():
        raw = os.environ.get(ENV_PREFIX + name)
        if raw is not None:
            settings[name] = _coerce(name, raw, default)
    if overrides:
        settings.update(overrides)
    _finish(settings, instance_path)
    return settings


def _finish(settings: dict[str, Any], instance_path: Path) -> None:
    production = settings["ENV"] == "production"
    if not settings.get("SECRET_KEY"):
        if production:
            raise ConfigError(
                "DISKURS_ENV=production needs a secret key: set DISKURS_SECRET_KEY to a long "
                'random value, for example the output of: python3 -c "import secrets; '
                'print(secrets.token_hex(32))"'
            )
        settings["SECRET_KEY"] = _development_secret(instance_path)
    if not settings.get("BASE_URL"):
        if production:
            raise ConfigError(
                "DISKURS_ENV=production needs the site's public address for links in mails "
                "and feeds: set DISKURS_BASE_URL, e.g. https://diskurs.example.org"
            )
        settings["BASE_URL"] = "http://127.0.0.1:5000"
    if urlsplit(str(settings["BASE_URL"])).scheme not in {"http", "https"}:
        raise ConfigError("DISKURS_BASE_URL must start with https:// (or http://)")
    settings["TRUSTED_HOSTS"] = _trusted_hosts(settings, production)
    if not settings.get("DATABASE_URL"):
        settings["DATABASE_URL"] = f"sqlite:///{instance_path / 'diskurs.sqlite3'}"
    if settings["DEFAULT_LOCALE"] not in SUPPORTED_LOCALES:
        raise ConfigError(f"DISKURS_DEFAULT_LOCALE must be one of {', '.join(SUPPORTED_LOCALES)}")
    if settings["COMMENT_MODERATION"] not in {"all", "first", "none"}:
        raise ConfigError("DISKURS_COMMENT_MODERATION must be all, first or none")
    for name in ("NOTIFICATION_DIGEST_MINUTES", "NOTIFICATION_MAX_ATTEMPTS"):
        if int(settings[name]) < 1:
            raise ConfigError(f"DISKURS_{name} must be at least 1")

    # Names the extensions read.
    settings["SQLALCHEMY_DATABASE_URI"] = settings["DATABASE_URL"]
    settings["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True}
    settings["BABEL_DEFAULT_LOCALE"] = settings["DEFAULT_LOCALE"]
    settings["BABEL_DEFAULT_TIMEZONE"] = settings["TIMEZONE"]
    settings["DEBUG"] = not production and settings.get("DEBUG", False)
    settings["SESSION_COOKIE_HTTPONLY"] = True
    settings["SESSION_COOKIE_SAMESITE"] = "Lax"
    settings["SESSION_COOKIE_SECURE"] = production
    settings["REMEMBER_COOKIE_HTTPONLY"] = True
    settings["REMEMBER_COOKIE_SAMESITE"] = "Lax"
    settings["REMEMBER_COOKIE_SECURE"] = production
    settings["PREFERRED_URL_SCHEME"] = "https" if production else "http"
    settings["WTF_CSRF_TIME_LIMIT"] = None  # tied to the session instead of a clock
    # Urlencoded forms are held in memory whole: the same limit as for the body.
    settings["MAX_FORM_MEMORY_SIZE"] = settings["MAX_CONTENT_LENGTH"]
    if production:
        check_shared_limits(settings, declared_workers(os.environ, sys.argv))


def _trusted_hosts(settings: dict[str, Any], production: bool) -> list[str] | None:
    """The hosts Flask accepts (None: any); production defaults to BASE_URL's host."""
    hosts = [str(host).strip().lower() for host in settings.get("TRUSTED_HOSTS") or []]
    hosts = [host for host in hosts if host]
    if not hosts and production:
        hosts = [urlsplit(str(settings["BASE_URL"])).hostname or ""]
    return hosts or None


def declared_workers(environ: Mapping[str, str], argv: list[str]) -> int | None:
    """How many gunicorn workers were asked for, where it can be seen from this process.

    gunicorn reads ``WEB_CONCURRENCY`` and ``GUNICORN_CMD_ARGS``, and its workers are forked
    from the process started with the command line, so they see its ``-w``/``--workers``.
    A worker count set only in a configuration file is checked by ``gunicorn.conf.py``.
    """
    counts: list[int] = []
    if environ.get("WEB_CONCURRENCY", "").strip().isdigit():
        counts.append(int(environ["WEB_CONCURRENCY"]))
    arguments = shlex.split(environ.get("GUNICORN_CMD_ARGS", ""))
    if argv and Path(argv[0]).name.startswith("gunicorn"):
        arguments += argv[1:]
    for number, argument in enumerate(arguments):
        value = None
        if argument in ("-w", "--workers") and number + 1 < len(arguments):
            value = arguments[number + 1]
        elif argument.startswith("--workers="):
            value = argument.partition("=")[2]
        elif argument.startswith("-w") and len(argument) > 2:
            value = argument[2:]
        if value is not None and value.strip().isdigit():
            counts.append(int(value))
    return counts[-1] if counts else None


def per_process_limits_warning(settings: Mapping[str, Any]) -> str | None:
    """A warning for production with per-process counts when the worker count is unknown."""
    uri = str(settings.get("RATELIMIT_STORAGE_URI") or "memory://")
    if settings["ENV"] != "production" or not settings.get("RATELIMIT_ENABLED", True):
        return None
    if not uri.startswith("memory://") or declared_workers(os.environ, sys.argv) is not None:
        return None
    return (
        "Rate-limit counts (failed logins, registrations, mails) are kept in this process "
        "only (DISKURS_RATELIMIT_STORAGE_URI is memory://). With several workers or "
        "instances each keeps its own count: set DISKURS_RATELIMIT_STORAGE_URI to a Redis "
        "they share, e.g. redis://127.0.0.1:6379/0."
    )


def check_shared_limits(settings: Mapping[str, Any], workers: int | None) -> None:
    """Refuse per-process rate-limit counts when several workers would each keep their own.

    Each worker would then allow the full number of failed logins, registrations and mails,
    so the limits would be worth a fraction of what the settings say.
    """
    uri = str(settings.get("RATELIMIT_STORAGE_URI") or "memory://")
    if not settings.get("RATELIMIT_ENABLED", True) or not uri.startswith("memory://"):
        return
    if workers is not None and workers > 1:
        raise ConfigError(
            f"{workers} workers would each keep their own count of failed logins, "
            "registrations and mails (DISKURS_RATELIMIT_STORAGE_URI is memory://). Set "
            "DISKURS_RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0 (any Redis they share), "
            "or run a single worker."
        )


def _development_secret(instance_path: Path) -> str:
    """Generate the development key once and keep it, so sessions survive a restart."""
    key_file = instance_path / "secret_key"
    if key_file.is_file():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key
