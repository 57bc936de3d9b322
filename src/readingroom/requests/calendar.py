"""Working days: weekends and US federal holidays excluded, as FOIA counts them.

The holidays come from the `holidays` package (`holidays.US`), which already
moves a holiday that falls on a weekend to the day the government observes it
(Saturday → Friday, Sunday → Monday, per 5 U.S.C. 6103(b)); both the holiday
and its observed day are treated as days off, since a Saturday or Sunday is
one anyway. Tolling (a clarification or fee question open) is a set of
date ranges during which no day counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache

import holidays

__all__ = ["Toll", "add_days", "holiday_name", "is_working_day", "working_days_between"]

#: A pause of the clock: days strictly after `start` up to and including `end`
#: do not count (the question's own day still counts; the clock runs again the
#: working day after the answer). `end` None: still open.
Toll = tuple[dt.date, dt.date | None]


@cache
def _us_holidays(year: int) -> holidays.HolidayBase:
    return holidays.US(years=[year - 1, year, year + 1], observed=True)


def holiday_name(day: dt.date) -> str | None:
    """The federal holiday (or its observed day) on `day`, or None."""
    name = _us_holidays(day.year).get(day)
    return str(name) if name else None


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday and not a federal holiday nor the day one is observed."""
    return day.weekday() < 5 and holiday_name(day) is None


def _tolled(day: dt.date, tolls: Iterable[Toll]) -> bool:
    return any(start < day and (end is None or day <= end) for start, end in tolls)


def add_days(
    start: dt.date, n: int, *, unit: str = "working", tolls: Iterable[Toll] = ()
) -> dt.date | None:
    """The `n`th counted day after `start` (`start` itself is day 0).

    `unit` is "working" (weekends, federal holidays and tolled days skipped)
    or "calendar" (every day counts, tolled days excepted; a deadline that
    lands on a weekend or holiday moves to the next working day, as courts
    and agencies treat it). None when an open toll stops the clock for good.
    """
    if unit not in ("working", "calendar"):
        raise ValueError(f"unknown day unit {unit!r}: use 'working' or 'calendar'")
    tolls = list(tolls)
    day, counted = start, 0
    while counted < n:
        day += dt.timedelta(days=1)
        if any(s < day and e is None for s, e in tolls):
            return None
        if _tolled(day, tolls):
            continue
        if unit == "calendar" or is_working_day(day):
            counted += 1
    if unit == "calendar":
        while not is_working_day(day):
            day += dt.timedelta(days=1)
    return day


def working_days_between(a: dt.date, b: dt.date) -> int:
    """Working days after `a` up to and including `b` (negative when `b` is before `a`)."""
    if b < a:
        return -working_days_between(b, a)
    n, day = 0, a
    while day < b:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            n += 1
    return n
