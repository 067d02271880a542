"""Event time, not report time: weekdays and relative dates resolved against an article's date.

"on Monday" in an article published on Tuesday 6 October 2020 is 5 October 2020 (the latest
such weekday on or before the published day: news reports what has happened); "last month",
"yesterday", "three days ago" are resolved by `dateparser` (its data ship with the package, no
network) with the published day as the base; a month without a year ("in April", "last
October") is its latest occurrence before the published day. Without a published date a
weekday stays a weekday and a month keeps no year, so only what the words say is compared.

Dates are (year, month, day) tuples with None for what is unknown, as `app.reconcile.facts`
uses them.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

Ymd = tuple[int | None, int | None, int | None]
WEEKDAY_NUMBERS = {
    name: n for n, name in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
}
RELATIVE = re.compile(
    r"\b(?:yesterday|the day before yesterday|(?:last|this past) (?:week|month|year)"
    r"|(?:earlier|later) this (?:week|month|year)|this (?:month|year)"
    r"|(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten) (?:days?|weeks?|months?|years?) ago)\b",
    re.IGNORECASE,
)


def published_day(value: str | None) -> dt.date | None:
    """The published date of an article ("2020-10-06", "2020-10-06T12:00:00Z"), or None if absent or absurd."""
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
    return day if 1800 <= day.year <= 2200 else None


def weekday_date(weekday: str, published: dt.date | None, ahead: bool = False) -> dt.date | None:
    """The latest `weekday` ("monday") on or before the published day; with `ahead` (said in
    the future tense: "will announce on Monday") the first on or after it."""
    if published is None or weekday not in WEEKDAY_NUMBERS:
        return None
    if ahead:
        return published + dt.timedelta(days=(WEEKDAY_NUMBERS[weekday] - published.weekday()) % 7)
    back = (published.weekday() - WEEKDAY_NUMBERS[weekday]) % 7
    return published - dt.timedelta(days=back)


def ymd_of(day: dt.date | None) -> Ymd | None:
    """A day as the (year, month, day) the rules compare, None for no day."""
    return (day.year, day.month, day.day) if day is not None else None


def weekday_of(ymd: Ymd) -> str | None:
    """The weekday name of a full date, None when part of it is unknown or impossible."""
    year, month, day = ymd
    if year is None or month is None or day is None:
        return None
    try:
        return list(WEEKDAY_NUMBERS)[dt.date(year, month, day).weekday()]
    except ValueError:
        return None


def month_year(month: int, published: dt.date | None, last: bool) -> int | None:
    """The year of a month named without one: its latest occurrence before the published day."""
    if published is None:
        return None
    if month < published.month or (month == published.month and not last):
        return published.year
    return published.year - 1


def relative(phrase: str, published: dt.date | None) -> Ymd | None:
    """ "last month" / "yesterday" / "3 days ago" as a date of the precision the words give."""
    if published is None:
        return None
    words = phrase.lower()
    if words.startswith(("earlier this", "later this", "this ")):
        unit = words.rsplit(" ", 1)[1]
        return (published.year, published.month if unit != "year" else None, None) if unit != "week" else None
    found = _parse(words, published.isoformat())
    if found is None:
        return None
    if "year" in words:
        return (found.year, None, None)
    if "month" in words:
        return (found.year, found.month, None)
    if "week" in words:
        return None  # a week is no day: compare nothing rather than guess
    return (found.year, found.month, found.day)


@lru_cache(maxsize=4096)
def _parse(words: str, base: str) -> dt.date | None:
    import dateparser  # type: ignore[import-untyped]  # imported on first use: it loads its language data

    settings = {"RELATIVE_BASE": dt.datetime.fromisoformat(base), "PREFER_DATES_FROM": "past"}
    found = dateparser.parse(words, languages=["en"], settings=settings)
    return found.date() if found is not None else None
