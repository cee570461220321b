"""Working days on the official calendar (no database): 国庆 2024 with its two 调休 weekend days."""

import datetime as dt

import pytest

from zhuanxing.workdays import (
    COVERED_YEARS,
    add_working_days,
    holiday_name,
    is_working_day,
    next_working_day,
    notice_period,
    on_official_calendar,
    working_days_between,
)


def test_national_day_2024_is_off_and_its_swapped_weekend_days_are_on():
    assert not any(is_working_day(dt.date(2024, 10, d)) for d in range(1, 8))
    assert is_working_day(dt.date(2024, 9, 29))  # Sunday, 调休
    assert is_working_day(dt.date(2024, 10, 12))  # Saturday, 调休
    assert not is_working_day(dt.date(2024, 10, 13))  # an ordinary Sunday
    assert holiday_name(dt.date(2024, 10, 3)) == "National Day"
    assert holiday_name(dt.date(2024, 10, 8)) is None


def test_a_deadline_across_national_day_skips_the_holiday_and_counts_the_swapped_days():
    friday = dt.date(2024, 9, 27)
    assert add_working_days(friday, 1) == dt.date(2024, 9, 29)  # the 调休 Sunday
    assert add_working_days(friday, 2) == dt.date(2024, 9, 30)
    assert add_working_days(friday, 3) == dt.date(2024, 10, 8)  # straight over 1–7 October
    # 10 working days from 25 September: 26, 27, 29, 30 Sep, 8, 9, 10, 11, 12 (Sat), 14 Oct
    assert add_working_days(dt.date(2024, 9, 25), 10) == dt.date(2024, 10, 14)
    assert working_days_between(dt.date(2024, 9, 25), dt.date(2024, 10, 14)) == 10
    assert next_working_day(dt.date(2024, 10, 1)) == dt.date(2024, 10, 8)


def test_a_five_day_notice_published_before_national_day_ends_after_it():
    assert notice_period(dt.date(2024, 9, 29), 5) == (dt.date(2024, 9, 29), dt.date(2024, 10, 10))


def test_outside_the_covered_years_monday_to_friday_is_used():
    first, last = COVERED_YEARS
    assert first <= 2015 and last >= 2024
    later = dt.date(last + 1, 10, 1)
    assert not on_official_calendar(later)
    assert is_working_day(later) == (later.weekday() < 5)
    assert holiday_name(later) is None
    friday = later + dt.timedelta(days=(4 - later.weekday()) % 7)
    assert add_working_days(friday, 1) == friday + dt.timedelta(days=3)
    with pytest.raises(ValueError):
        add_working_days(friday, -1)
