"""Working days on the official calendar: public holidays and the weekend days swapped in (调休).

The State Council publishes each year's holidays in the autumn before; the ``chinese-calendar`` package
carries them for the years in ``COVERED_YEARS``. A day outside those years is counted Monday to Friday
(``on_official_calendar`` says which rule was used, so a page can say "按周一至周五推算"): such a deadline
can be a few days early around a holiday, never late, and it is recomputed the same way every time.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar
from chinese_calendar import constants as _calendar

ONE_DAY = dt.timedelta(days=1)

# The years the installed calendar knows (both inclusive), read from the package itself.
COVERED_YEARS: tuple[int, int] = (
    min(day.year for day in _calendar.holidays),
    max(day.year for day in _calendar.holidays),
)


def on_official_calendar(day: dt.date) -> bool:
    """Whether ``day`` falls in a year the official holiday calendar covers."""
    return COVERED_YEARS[0] <= day.year <= COVERED_YEARS[1]


def is_working_day(day: dt.date) -> bool:
    """A working day: not a public holiday, and either a weekday or a 调休 Saturday/Sunday."""
    if on_official_calendar(day):
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5


def holiday_name(day: dt.date) -> str | None:
    """The holiday's English name (e.g. ``National Day``) when ``day`` is a public holiday, else None."""
    if not on_official_calendar(day):
        return None
    on_holiday, name = chinese_calendar.get_holiday_detail(day)
    return name if on_holiday and name else None


def next_working_day(day: dt.date) -> dt.date:
    """``day`` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += ONE_DAY
    return day


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The ``count``-th working day after ``day`` (``day`` itself not counted)."""
    if count < 0:
        raise ValueError("count must not be negative")
    for _ in range(count):
        day = next_working_day(day + ONE_DAY)
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not after ``start``)."""
    count, day = 0, start
    while day < end:
        day += ONE_DAY
        count += is_working_day(day)
    return count


def notice_period(start: dt.date, days: int) -> tuple[dt.date, dt.date]:
    """A notice of ``days`` working days published on ``start``: it shows from ``start`` and ends
    on the ``days``-th working day counting ``start`` itself when it is one (both inclusive)."""
    return start, add_working_days(start - ONE_DAY, days)
