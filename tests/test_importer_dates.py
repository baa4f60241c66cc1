"""German dates as the old blog pages write them, and their moment in the site's time zone."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.services.importer.dates import (
    ABBREVIATIONS,
    GERMAN_MONTH_NAMES,
    DateFormatError,
    format_german_date,
    local_day,
    local_to_utc,
    month_number,
    parse_german_date,
    parse_iso_date,
)

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25.November 2012", (date(2012, 11, 25), None)),
        ("25. November 2012", (date(2012, 11, 25), None)),
        ("25.  November   2012", (date(2012, 11, 25), None)),
        ("3. März 2011", (date(2011, 3, 3), None)),
        ("3. Maerz 2011", (date(2011, 3, 3), None)),
        ("3. MÄRZ 2011", (date(2011, 3, 3), None)),
        ("1. Januar 2000", (date(2000, 1, 1), None)),
        ("31. Dezember 1999", (date(1999, 12, 31), None)),
        ("1. Mai 2015", (date(2015, 5, 1), None)),
        ("12. Nov. 2012", (date(2012, 11, 12), None)),
        ("12. Sept. 2012", (date(2012, 9, 12), None)),
        ("25.11.2012", (date(2012, 11, 25), None)),
        ("25. November 2012, 14:30 Uhr", (date(2012, 11, 25), time(14, 30))),
        ("25. November 2012 um 9:05", (date(2012, 11, 25), time(9, 5))),
        ("2012-11-25", (date(2012, 11, 25), None)),
        ("2012-11-25 07:45", (date(2012, 11, 25), time(7, 45))),
    ],
)
def test_german_dates_are_read(text, expected):
    assert parse_german_date(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "Hallo", "November 2012", "25. Brumaire 2012", "Von Dr. Oliver Everling", "25. 2012"],
)
def test_text_that_is_no_date_gives_none(text):
    assert parse_german_date(text) is None


@pytest.mark.parametrize(
    "text", ["31. Februar 2012", "0. Mai 2012", "32.12.2012", "1. Mai 2012 25:00", "2012-13-01"]
)
def test_impossible_dates_are_refused_with_the_text(text):
    with pytest.raises(DateFormatError) as caught:
        parse_german_date(text)
    assert text.split()[0] in str(caught.value)


def test_month_names_and_abbreviations():
    assert [month_number(name) for name in GERMAN_MONTH_NAMES] == list(range(1, 13))
    assert month_number("Jänner") == 1
    assert month_number("Okt.") == 10
    assert month_number("Brumaire") is None


def test_iso_dates_for_front_matter():
    assert parse_iso_date(" 2024-03-05 ") == (date(2024, 3, 5), None)
    assert parse_iso_date("2024-03-05 09:30") == (date(2024, 3, 5), time(9, 30))
    for bad in ("5.3.2024", "2024-3-5", "2024-02-30", "gestern"):
        with pytest.raises(DateFormatError):
            parse_iso_date(bad)


def test_a_date_without_time_is_midnight_in_the_site_time_zone():
    winter = local_to_utc(date(2012, 11, 25), None, BERLIN)
    assert winter == datetime(2012, 11, 24, 23, 0, tzinfo=UTC)
    assert winter.tzinfo is UTC
    summer = local_to_utc(date(2012, 7, 1), None, BERLIN)
    assert summer == datetime(2012, 6, 30, 22, 0, tzinfo=UTC)
    assert local_to_utc(date(2012, 7, 1), time(9, 30), ZoneInfo("UTC")) == datetime(
        2012, 7, 1, 9, 30, tzinfo=UTC
    )
    assert local_day(winter, BERLIN) == date(2012, 11, 25)


@st.composite
def german_dates(draw):
    day = draw(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)))
    names = [GERMAN_MONTH_NAMES[day.month - 1], GERMAN_MONTH_NAMES[day.month - 1].upper()]
    names += [
        f"{abbr.capitalize()}." for abbr, number in ABBREVIATIONS.items() if number == day.month
    ]
    if day.month == 3:
        names.append("Maerz")
    month = draw(st.sampled_from(names))
    separator = draw(st.sampled_from([".", ". ", ".  ", " "]))
    at = draw(st.none() | st.times().map(lambda t: t.replace(second=0, microsecond=0)))
    text = f"{day.day}{separator}{month} {day.year}"
    if at is not None:
        text += draw(st.sampled_from([", {:%H:%M} Uhr", " um {:%H:%M}", " {:%H:%M}"])).format(at)
    return text, day, at


@given(german_dates())
def test_every_written_form_of_a_day_reads_back(case):
    text, day, at = case
    assert parse_german_date(text) == (day, at)


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)))
def test_formatted_dates_read_back(day):
    assert parse_german_date(format_german_date(day)) == (day, None)
    assert parse_german_date(f"{day.day:02d}.{day.month:02d}.{day.year}") == (day, None)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)), st.times())
def test_local_moments_fall_on_their_local_day(day, at):
    stamp = local_to_utc(day, at, BERLIN)
    assert stamp.tzinfo is UTC
    assert local_day(stamp, BERLIN) == day
