"""US federal holidays (5 U.S.C. 6103, with the Saturday/Sunday observance rule) and business days."""

from __future__ import annotations

import calendar
import datetime as dt
from functools import cache


def _nth(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th `weekday` of the month (n = -1: the last)."""
    days = [d for d in calendar.Calendar().itermonthdates(year, month) if d.month == month and d.weekday() == weekday]
    return days[n if n < 0 else n - 1]


def _observed(day: dt.date) -> dt.date:
    return (
        day - dt.timedelta(days=1) if day.weekday() == 5 else day + dt.timedelta(days=1) if day.weekday() == 6 else day
    )


@cache
def federal_holidays(year: int) -> frozenset[dt.date]:
    """The days US federal offices close in `year` (fixed-date holidays as observed)."""
    fixed = [
        dt.date(year, 1, 1),
        dt.date(year, 6, 19),
        dt.date(year, 7, 4),
        dt.date(year, 11, 11),
        dt.date(year, 12, 25),
    ]
    moving = [
        _nth(year, 1, 0, 3),
        _nth(year, 2, 0, 3),
        _nth(year, 5, 0, -1),
        _nth(year, 9, 0, 1),
        _nth(year, 10, 0, 2),
        _nth(year, 11, 3, 4),
    ]
    observed = {_observed(d) for d in fixed} | set(moving)
    observed |= {d for d in (_observed(dt.date(year + 1, 1, 1)),) if d.year == year}  # Jan 1 on a Saturday
    return frozenset(observed)


def is_business_day(day: dt.date) -> bool:
    """A weekday that is no US federal holiday."""
    return day.weekday() < 5 and day not in federal_holidays(day.year)


def add_business_days(start: dt.datetime, days: int) -> dt.datetime:
    """`days` business days after `start`, at the same time of day."""
    current = start
    while days:
        current += dt.timedelta(days=1)
        days -= is_business_day(current.date())
    return current


def add_month(start: dt.datetime) -> dt.datetime:
    """One calendar month later (the 31st becomes the month's last day)."""
    year, month = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
    return start.replace(year=year, month=month, day=min(start.day, calendar.monthrange(year, month)[1]))
