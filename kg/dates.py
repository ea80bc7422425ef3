"""Dates as the text states them: resolved to a calendar period with its precision.

An expression ("in 2014", "March 18, 2025", "on March 18", "last week", "on Tuesday") becomes
the first day of the period it names and a `DatePrecision` (day, week, month, year). A relative
expression ("last week", "on Tuesday") and a day or month without a year ("on March 18") need
the article's published date; without one they resolve to nothing: a date is never invented.
Quantities that contain numbers ("the 28-point plan", "a 30-day ceasefire", "2,000 troops")
are no dates.

`detect_published` reads a published date that the text itself states (a dateline, a
"Published:" line) for articles whose metadata has none.
"""

from __future__ import annotations

import datetime as dt
import re

from kg.records import DatePrecision, Span, StatedDate

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}

# Month names are matched capitalised only: "may" is a modal, "march" a verb.
_MONTH = r"(?P<month>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?|January|February|March|April|June|July|August|September|October|November|December)"  # noqa: E501
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
# A year stands alone: not part of a number ("2,014", "2014.5"), a range or a compound
# ("2014-15", "2000-strong"), a decade ("1990s") or an amount ("2014 troops" is caught by
# `_YEAR_CONTEXT`).
_LONE_YEAR = r"(?<![\d,.$€£-])" + _YEAR + r"(?![\d,%-]|s\b|\.\d)"
_ISO_DAY = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d\d)-(?P<day>\d\d)\b")
_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_LONE_YEAR}")
_DAY_MONTH_YEAR = re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_LONE_YEAR}")
_MONTH_YEAR = re.compile(rf"\b{_MONTH},?\s+(?:of\s+)?{_LONE_YEAR}")
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?![\d,]*\s*(?:19|20)\d\d)")
_DAY_MONTH = re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\b")
_MONTH_ALONE = re.compile(rf"\b{_MONTH}(?![\w.])")
_YEAR_CONTEXT = re.compile(
    r"(?:^|\b(?:in|of|since|by|until|till|from|during|early|late|mid|spring|summer|autumn|"
    r"fall|winter|year|end|start|beginning|middle|half|quarter)\b[\s-]+(?:the\s+)?(?:year\s+)?)"
    + _LONE_YEAR
    + r"\s*$",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(r"\b(?P<weekday>" + "|".join(WEEKDAYS) + r")\b", re.IGNORECASE)
_AGO = re.compile(
    r"\b(?P<n>\d+|a|one|two|three|four|five|six)\s+(?P<unit>day|week|month|year)s?\s+ago\b",
    re.IGNORECASE,
)
_RELATIVE = re.compile(
    r"\b(?P<which>last|this|next|past)\s+(?P<unit>week|month|year)\b|"
    r"\b(?P<day>yesterday|today|tomorrow)\b",
    re.IGNORECASE,
)


def resolve(
    expression: str | None, published: dt.date | None, *, ahead: bool = False
) -> StatedDate | None:
    """The period a date expression names, as precise as it states it; None when it names none
    or needs a published date that is missing.

    A day or month without a year, and a weekday, is the occurrence nearest the published date
    (with `ahead`, a planned event, the first one on or after it: "is expected to meet on
    Thursday").

    >>> resolve("in 2014", None)
    StatedDate(first=datetime.date(2014, 1, 1), precision=<DatePrecision.YEAR: 'year'>, span=None)
    >>> resolve("30-day", dt.date(2025, 3, 12)) is None
    True
    """
    if not expression:
        return None
    text = " ".join(expression.split())
    for pattern in (_ISO_DAY, _MONTH_DAY_YEAR, _DAY_MONTH_YEAR):
        match = pattern.search(text)
        if match is not None:
            day = _day(int(match["year"]), _month(match["month"]), int(match["day"]))
            if day is not None:
                return StatedDate(day, DatePrecision.DAY)
    match = _MONTH_YEAR.search(text)
    if match is not None:
        first = dt.date(int(match["year"]), _month(match["month"]), 1)
        return StatedDate(first, DatePrecision.MONTH)
    year = _YEAR_CONTEXT.search(text)
    if year is not None:
        return StatedDate(dt.date(int(year["year"]), 1, 1), DatePrecision.YEAR)
    if published is None:
        return None
    return _relative(text, published, ahead=ahead)


def _relative(text: str, published: dt.date, *, ahead: bool) -> StatedDate | None:
    """A date stated relative to the published date (or without a year)."""
    match = _MONTH_DAY.search(text) or _DAY_MONTH.search(text)
    if match is not None:
        month, day = _month(match["month"]), int(match["day"])
        years = [published.year - 1, published.year, published.year + 1]
        days = [d for y in years if (d := _day(y, month, day)) is not None]
        if days:
            return StatedDate(_nearest(days, published, ahead=ahead), DatePrecision.DAY)
    match = _WEEKDAY.search(text)
    if match is not None:
        offset = WEEKDAYS.index(match["weekday"].lower())
        low = text.lower()
        if "next" in low:
            days_ahead = (offset - published.weekday()) % 7 or 7
            return StatedDate(published + dt.timedelta(days=days_ahead), DatePrecision.DAY)
        if ahead and "last" not in low:
            days_ahead = (offset - published.weekday()) % 7
            return StatedDate(published + dt.timedelta(days=days_ahead), DatePrecision.DAY)
        back = (published.weekday() - offset) % 7
        return StatedDate(published - dt.timedelta(days=back), DatePrecision.DAY)
    match = _RELATIVE.search(text)
    if match is not None:
        if match["day"]:
            shift = {"yesterday": -1, "today": 0, "tomorrow": 1}[match["day"].lower()]
            return StatedDate(published + dt.timedelta(days=shift), DatePrecision.DAY)
        step = {"last": -1, "past": -1, "this": 0, "next": 1}[match["which"].lower()]
        return _shifted(published, match["unit"].lower(), step)
    match = _AGO.search(text)
    if match is not None:
        count = match["n"].lower()
        n = int(count) if count.isdigit() else NUMBER_WORDS[count]
        unit = match["unit"].lower()
        if unit == "day":
            return StatedDate(published - dt.timedelta(days=n), DatePrecision.DAY)
        return _shifted(published, unit, -n)
    match = _MONTH_ALONE.search(text)
    if match is not None:
        month = _month(match["month"])
        firsts = [dt.date(y, month, 1) for y in range(published.year - 1, published.year + 2)]
        first = _nearest(firsts, published.replace(day=1), ahead=ahead)
        return StatedDate(first, DatePrecision.MONTH)
    return None


def _shifted(published: dt.date, unit: str, step: int) -> StatedDate:
    """The week, month or year `step` units from the one the published date falls in."""
    if unit == "week":
        monday = published - dt.timedelta(days=published.weekday())
        return StatedDate(monday + dt.timedelta(weeks=step), DatePrecision.WEEK)
    if unit == "month":
        index = published.year * 12 + published.month - 1 + step
        return StatedDate(dt.date(index // 12, index % 12 + 1, 1), DatePrecision.MONTH)
    return StatedDate(dt.date(published.year + step, 1, 1), DatePrecision.YEAR)


def _nearest(candidates: list[dt.date], anchor: dt.date, *, ahead: bool) -> dt.date:
    if ahead:
        later = [d for d in candidates if d >= anchor]
        if later:
            return min(later)
    return min(candidates, key=lambda d: (abs((d - anchor).days), d > anchor))


def _month(name: str) -> int:
    """A month's number from its name, abbreviation or two digits."""
    return int(name) if name.isdigit() else MONTHS[name.rstrip(".").lower()]


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def last_day(date: StatedDate) -> dt.date:
    """The last day of the period (the first day itself for a day)."""
    first = date.first
    if date.precision is DatePrecision.DAY:
        return first
    if date.precision is DatePrecision.WEEK:
        return first + dt.timedelta(days=6)
    if date.precision is DatePrecision.MONTH:
        following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return dt.date(first.year, 12, 31)


def iso(date: StatedDate) -> str:
    """ISO 8601 text of the period: 2025-03-18, 2025-W12, 2025-03 or 2025.

    >>> iso(StatedDate(dt.date(2025, 3, 17), DatePrecision.WEEK))
    '2025-W12'
    """
    first = date.first
    if date.precision is DatePrecision.DAY:
        return first.isoformat()
    if date.precision is DatePrecision.WEEK:
        year, week, _ = first.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if date.precision is DatePrecision.MONTH:
        return f"{first.year:04d}-{first.month:02d}"
    return f"{first.year:04d}"


def parse_iso(value: str) -> StatedDate | None:
    """The inverse of `iso` (also the lexical forms of xsd:date, xsd:gYearMonth, xsd:gYear);
    None for anything else."""
    week = re.fullmatch(r"(\d{4})-W(\d\d)", value)
    try:
        if week is not None:
            first = dt.date.fromisocalendar(int(week[1]), int(week[2]), 1)
            return StatedDate(first, DatePrecision.WEEK)
        if re.fullmatch(r"\d{4}-\d\d-\d\d", value):
            return StatedDate(dt.date.fromisoformat(value), DatePrecision.DAY)
        if re.fullmatch(r"\d{4}-\d\d", value):
            return StatedDate(dt.date.fromisoformat(value + "-01"), DatePrecision.MONTH)
        if re.fullmatch(r"\d{4}", value):
            return StatedDate(dt.date(int(value), 1, 1), DatePrecision.YEAR)
    except ValueError:
        return None
    return None


# --- published dates stated by the text --------------------------------------------------------

HEADER_CHARS = 600
"""How far into the text a dateline or a "Published:" line is looked for."""

_FULL_DATE = (
    r"(?:(?:" + "|".join(WEEKDAYS) + r"),?\s+)?"
    r"(?:\d{4}-\d\d-\d\d|"
    + _MONTH
    + r"\s+"
    + _DAY
    + r",?\s+"
    + _YEAR
    + r"|"
    + _DAY
    + r"\s+"
    + _MONTH
    + r",?\s+"
    + _YEAR
    + r")"
)
_FULL_DATE = re.sub(r"\?P<\w+>", "?:", _FULL_DATE)  # one pattern, three forms: no named groups
_STAMP_LINE = re.compile(
    r"^[ \t]*(?P<label>Published|Updated|Last updated|Posted|First published)(?:\s+on)?:?\s+"
    r"(?P<date>" + _FULL_DATE + r")",
    re.IGNORECASE | re.MULTILINE,
)
_DATELINE = re.compile(
    r"^[ \t]*[A-Z][A-Z .'\u2019-]{1,40}(?:,\s+[A-Z][A-Za-z .]{1,30})?,\s+"
    r"(?P<date>" + _MONTH + r"\s+" + _DAY + r"(?:,?\s+" + _YEAR + r")?)"
    r"\s*(?:\([A-Za-z .&]+\)\s*)?[-\u2013\u2014]",
    re.MULTILINE,
)


def detect_published(text: str) -> tuple[dt.date, Span] | None:
    """The published date the top of the text states, with the words that state it.

    A "Published:" (or "Posted", "First published") line wins over an "Updated" one; a
    dateline ("MOSCOW, March 18, 2025 (Reuters) -") counts when it states the year, or when a
    "Published"/"Updated" line of the header does. None when the text states no full date.

    >>> detect_published("KYIV, March 18, 2025 (Reuters) - Talks resumed.")[0]
    datetime.date(2025, 3, 18)
    """
    head = text[:HEADER_CHARS]
    stamps = []
    for match in _STAMP_LINE.finditer(head):
        found = resolve(match["date"], None)
        if found is not None and found.precision is DatePrecision.DAY:
            rank = 1 if match["label"].lower() in {"updated", "last updated"} else 0
            stamps.append((rank, found.first, match))
    stamps.sort(key=lambda s: (s[0], s[2].start()))
    dateline = _DATELINE.search(head)
    if dateline is not None:
        start, end = dateline.span("date")
        stated = resolve(dateline["date"], None)
        if stated is not None and stated.precision is DatePrecision.DAY:
            return stated.first, Span(start, end, text[start:end])
        if stamps:  # "MOSCOW, March 18 (Reuters) -" under "Updated March 19, 2025"
            found = resolve(dateline["date"], stamps[0][1])
            if found is not None and found.first <= stamps[0][1]:
                return found.first, Span(start, end, text[start:end])
    if stamps:
        _, day, match = stamps[0]
        start, end = match.span("date")
        return day, Span(start, end, text[start:end])
    return None
