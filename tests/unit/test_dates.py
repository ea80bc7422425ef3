"""kg.dates: each date pattern, what must not be read as a date, and published-date detection."""

from __future__ import annotations

import datetime as dt
import doctest

import pytest

import kg.dates
from kg.dates import detect_published, iso, last_day, parse_iso, resolve
from kg.records import DatePrecision, StatedDate

PUBLISHED = dt.date(2025, 3, 20)  # a Thursday
DAY, WEEK, MONTH, YEAR = (
    DatePrecision.DAY,
    DatePrecision.WEEK,
    DatePrecision.MONTH,
    DatePrecision.YEAR,
)


@pytest.mark.parametrize(
    ("expression", "value", "precision"),
    [
        ("in 2014", "2014", YEAR),
        ("2014", "2014", YEAR),
        ("since 1992", "1992", YEAR),
        ("the summer of 2021", "2021", YEAR),
        ("early 2022", "2022", YEAR),
        ("March 2025", "2025-03", MONTH),
        ("in March of 2024", "2024-03", MONTH),
        ("March 18, 2025", "2025-03-18", DAY),
        ("on March 18th, 2025", "2025-03-18", DAY),
        ("18 March 2025", "2025-03-18", DAY),
        ("Dec. 1, 2024", "2024-12-01", DAY),
        ("2025-03-18", "2025-03-18", DAY),
    ],
)
def test_dates_absolute_expressions_need_no_published_date(
    expression: str, value: str, precision: DatePrecision
) -> None:
    for published in (None, PUBLISHED):
        found = resolve(expression, published)
        assert found is not None, expression
        assert (iso(found), found.precision) == (value, precision)


@pytest.mark.parametrize(
    ("expression", "value", "precision"),
    [
        ("on March 18", "2025-03-18", DAY),
        ("May 12", "2025-05-12", DAY),  # nearer than May 12 of the year before
        ("on 2 December", "2024-12-02", DAY),  # the December before, not the one ahead
        ("on Tuesday", "2025-03-18", DAY),
        ("Thursday", "2025-03-20", DAY),
        ("last Friday", "2025-03-14", DAY),
        ("next Tuesday", "2025-03-25", DAY),
        ("yesterday", "2025-03-19", DAY),
        ("three days ago", "2025-03-17", DAY),
        ("last week", "2025-W11", WEEK),
        ("earlier this week", "2025-W12", WEEK),
        ("two weeks ago", "2025-W10", WEEK),
        ("last month", "2025-02", MONTH),
        ("in January", "2025-01", MONTH),
        ("this year", "2025", YEAR),
        ("last year", "2024", YEAR),
    ],
)
def test_dates_relative_expressions_resolve_against_the_published_date(
    expression: str, value: str, precision: DatePrecision
) -> None:
    found = resolve(expression, PUBLISHED)
    assert found is not None, expression
    assert (iso(found), found.precision) == (value, precision)
    assert resolve(expression, None) is None  # no published date: never a guess


def test_dates_planned_weekday_and_day_resolve_ahead() -> None:
    assert resolve("on Tuesday", PUBLISHED, ahead=True) == StatedDate(dt.date(2025, 3, 25), DAY)
    assert resolve("on Thursday", PUBLISHED, ahead=True) == StatedDate(PUBLISHED, DAY)
    assert resolve("last Tuesday", PUBLISHED, ahead=True) == StatedDate(dt.date(2025, 3, 18), DAY)
    assert resolve("on March 1", PUBLISHED, ahead=True) == StatedDate(dt.date(2026, 3, 1), DAY)


@pytest.mark.parametrize(
    "expression",
    [
        "the 28-point plan",
        "28-point",
        "30-day",
        "a 30-day ceasefire",
        "2,000 troops",
        "2000 troops",
        "two-hour",
        "just months",
        "Two days later",
        "later in the day",
        "recently",
        "the 1990s",
        "2014-15",
        "in the summer",
        "90 days",
        "",
        None,
    ],
)
def test_dates_quantities_and_vague_times_are_no_dates(expression: str | None) -> None:
    assert resolve(expression, PUBLISHED) is None
    assert resolve(expression, None) is None


@pytest.mark.parametrize(
    ("value", "last"),
    [
        ("2025-03-18", "2025-03-18"),
        ("2025-W12", "2025-03-23"),
        ("2024-02", "2024-02-29"),
        ("2025-12", "2025-12-31"),
        ("2014", "2014-12-31"),
    ],
)
def test_dates_iso_round_trips_and_bounds_the_period(value: str, last: str) -> None:
    parsed = parse_iso(value)
    assert parsed is not None
    assert iso(parsed) == value
    assert last_day(parsed).isoformat() == last


@pytest.mark.parametrize("value", ["2025-13", "20140", "March 2025", "2025-W60", ""])
def test_dates_parse_iso_refuses_other_text(value: str) -> None:
    assert parse_iso(value) is None


@pytest.mark.parametrize(
    ("text", "day", "words"),
    [
        ("KYIV, March 18, 2025 (Reuters) - Talks resumed.", "2025-03-18", "March 18, 2025"),
        (
            "Kremlin rejects plan\nPublished: Tuesday, March 18, 2025 10:02 GMT\n\nMoscow said",
            "2025-03-18",
            "Tuesday, March 18, 2025",
        ),
        (
            "Headline\nUpdated 19 March 2025\nPublished 17 March 2025\nBody text.",
            "2025-03-17",  # the first publication, not the update
            "17 March 2025",
        ),
        (
            "Headline\nUpdated March 19, 2025\n\nMOSCOW, March 18 (Reuters) - Putin said",
            "2025-03-18",  # the dateline's day, the year of the header's line
            "March 18",
        ),
        ("Posted on 2025-03-18\nText", "2025-03-18", "2025-03-18"),
    ],
)
def test_dates_detect_published_reads_the_header(text: str, day: str, words: str) -> None:
    found = detect_published(text)
    assert found is not None
    date, span = found
    assert date.isoformat() == day
    assert span.text == words == text[span.start : span.end]


@pytest.mark.parametrize(
    "text",
    [
        "MOSCOW, March 18 (Reuters) - Putin said he would not attend.",  # no year anywhere
        "Headline\nUpdated 2 hours ago\nPutin met Trump in 2019.",
        "Putin invaded Crimea in 2014. On March 18, 2014 he annexed it.",  # dates of events
        "Headline\n" + "Body text. " * 80 + "\nPublished: March 18, 2025",  # not the header
    ],
)
def test_dates_detect_published_never_guesses(text: str) -> None:
    assert detect_published(text) is None


def test_dates_doctests() -> None:
    result = doctest.testmod(kg.dates)
    assert result.attempted > 0
    assert result.failed == 0
