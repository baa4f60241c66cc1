"""Language and time zone: the member's choice, else the browser's, else the site default."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from flask import Flask, current_app, request
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from app.catalogues import check_catalogues
from app.config import SUPPORTED_LOCALES
from app.extensions import babel


@lru_cache(maxsize=len(SUPPORTED_LOCALES))
def _locale(name: str) -> Locale:
    return Locale.parse(name)


@lru_cache(maxsize=256)
def _browser_choice(accept_language: str) -> str | None:
    # Browsers send one of a few dozen headers; parsing each anew is a good part of what a
    # kept page costs.
    return parse_accept_header(accept_language, LanguageAccept).best_match(SUPPORTED_LOCALES)


def select_locale() -> Locale:
    """The member's language, else the best the browser accepts, else the site's."""
    user_locale = getattr(current_user, "locale", None) if current_user else None
    if user_locale in SUPPORTED_LOCALES:
        return _locale(user_locale)
    header = request.headers.get("Accept-Language", "") if request else ""
    best = _browser_choice(header) if header else None
    return _locale(best or current_app.config["DEFAULT_LOCALE"])


def current_locale() -> str:
    """The language of this response, for ``<html lang>`` and feeds."""
    locale = get_locale()
    return locale.language if locale else current_app.config["DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["TIMEZONE"]


def site_timezone() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


def local_date(moment: datetime | None) -> str:
    """A date in the site's time zone, as the reader's language writes it."""
    return format_date(moment, "long") if moment else ""


def local_datetime(moment: datetime | None) -> str:
    return format_datetime(moment, "medium") if moment else ""


def iso_datetime(moment: datetime | None) -> str:
    """The exact moment for ``<time datetime>``: ISO 8601 in UTC."""
    # Whole seconds: HTML's <time datetime> allows at most three digits of a fraction.
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z") if moment else ""


def init_app(app: Flask) -> None:
    translations = Path(app.root_path).parent / "translations"
    check_catalogues(translations, SUPPORTED_LOCALES)
    babel.init_app(
        app,
        locale_selector=select_locale,
        timezone_selector=select_timezone,
        default_translation_directories=str(translations),
    )
    app.jinja_env.globals["current_locale"] = current_locale
    app.jinja_env.filters.update(
        local_date=local_date, local_datetime=local_datetime, iso_datetime=iso_datetime
    )
