"""Working days (Monday to Friday) for deadlines and the public notice.

Public holidays and the weekend working days the State Council swaps in are not
modelled: a deadline that falls in a holiday week is a few days early, never late.
"""

from __future__ import annotations

import datetime as dt

ONE_DAY = dt.timedelta(days=1)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5


def next_working_day(day: dt.date) -> dt.date:
    """``day`` itself when it is a working day, else the Monday after."""
    while not is_working_day(day):
        day += ONE_DAY
    return day


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The ``count``-th working day after ``day`` (``day`` itself not counted)."""
    for _ in range(count):
        day = next_working_day(day + ONE_DAY)
    return day


def notice_period(start: dt.date, days: int) -> tuple[dt.date, dt.date]:
    """A notice of ``days`` working days published on ``start``: it shows from ``start`` and ends
    on the ``days``-th working day counting ``start`` itself when it is one (both inclusive).
    Published on a Monday, 5 days end on Friday; on a Saturday, on the Friday after."""
    return start, add_working_days(start - ONE_DAY, days)
