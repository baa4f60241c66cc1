"""Dates as old German blog pages and front-matter headers write them.

Pure functions: they turn text into a calendar day and an optional time of day, and a day
and time in the site's time zone into an aware UTC moment. Nothing here knows about files.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, tzinfo

MONTHS: dict[str, int] = {
    "januar": 1,
    "jänner": 1,
    "februar": 2,
    "märz": 3,
    "maerz": 3,
    "april": 4,
    "mai": 5,
    "juni": 6,
    "juli": 7,
    "august": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "dezember": 12,
}
# Abbreviations as they appear with a full stop ("Nov. 2012"); "Mai" needs none.
ABBREVIATIONS: dict[str, int] = {
    "jan": 1,
    "feb": 2,
    "mär": 3,
    "mrz": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "okt": 10,
    "nov": 11,
    "dez": 12,
}
GERMAN_MONTH_NAMES = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)  # fmt: skip

_TIME = r"(?:\s*(?:,|-|–|um)?\s*(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:\s*Uhr)?)?"
_NAMED = re.compile(
    r"(?P<day>\d{1,2})\.?\s*(?P<month>[^\W\d_]+)\.?\s*(?P<year>\d{4})" + _TIME, re.IGNORECASE
)
_NUMERIC = re.compile(r"(?P<day>\d{1,2})\.\s*(?P<month>\d{1,2})\.\s*(?P<year>\d{4})" + _TIME)
_ISO = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?:[ T](?P<hour>\d{2}):(?P<minute>\d{2}))?"
)


class DateFormatError(ValueError):
    """The text looks like a date but names no real day or time."""


def month_number(name: str) -> int | None:
    """1–12 for a German month name or its abbreviation ("März", "Maerz", "Nov"), else None."""
    key = name.strip().rstrip(".").casefold()
    return MONTHS.get(key) or ABBREVIATIONS.get(key)


def _build(match: re.Match[str], month: int) -> tuple[date, time | None]:
    try:
        day = date(int(match["year"]), month, int(match["day"]))
        at = None
        if match["hour"] is not None:
            at = time(int(match["hour"]), int(match["minute"]))
    except ValueError as error:
        raise DateFormatError(f"{match.group(0)!r} is not a real date: {error}") from None
    return day, at


def parse_german_date(text: str) -> tuple[date, time | None] | None:
    """The day (and time, if written) of text that is wholly a date, else None.

    Accepts "25.November 2012", "25. November 2012", "3. März 2011, 14:30 Uhr", "25. Nov. 2012",
    "25.11.2012" and ISO "2012-11-25 14:30". Raises DateFormatError for "31. Februar 2012".
    """
    text = " ".join(text.split())
    for pattern in (_ISO, _NUMERIC):
        match = pattern.fullmatch(text)
        if match:
            return _build(match, int(match["month"]))
    match = _NAMED.fullmatch(text)
    if match:
        month = month_number(match["month"])
        if month is not None:
            return _build(match, month)
    return None


def parse_iso_date(text: str) -> tuple[date, time | None]:
    """ "YYYY-MM-DD" or "YYYY-MM-DD HH:MM", as front-matter headers write dates."""
    match = _ISO.fullmatch(text.strip())
    if not match:
        raise DateFormatError(f"{text.strip()!r}: use YYYY-MM-DD or YYYY-MM-DD HH:MM")
    return _build(match, int(match["month"]))


def format_german_date(day: date) -> str:
    """ "25. November 2012": how the site's old pages wrote a day."""
    return f"{day.day}. {GERMAN_MONTH_NAMES[day.month - 1]} {day.year}"


def local_to_utc(day: date, at: time | None, zone: tzinfo) -> datetime:
    """The moment *day* at *at* (midnight when None) in *zone*, as an aware UTC datetime."""
    return datetime.combine(day, at or time(0, 0), tzinfo=zone).astimezone(UTC)


def local_day(moment: datetime, zone: tzinfo) -> date:
    """The calendar day *moment* falls on in *zone*."""
    return moment.astimezone(zone).date()
