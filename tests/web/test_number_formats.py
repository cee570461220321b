from decimal import Decimal

import pytest
from django.template import Context, Template

from zhuanxing.numbers import format_count, format_percent, format_share, format_wan


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("16881.8505"), "16,881.85"),
        (Decimal("0.125"), "0.13"),  # half-up, not banker's rounding
        (0.125, "0.13"),  # a float rounds as written, not as stored in binary
        (659000, "659,000.00"),
        (Decimal("-1234.5"), "-1,234.50"),
        (Decimal("-0.001"), "0.00"),
        ("12.5", "12.50"),
        (None, "—"),
        ("", "—"),
        ("abc", "—"),
    ],
)
def test_wan_has_separators_and_two_decimals(value, expected):
    assert format_wan(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(659000, "659,000"), (Decimal("2.5"), "3"), (0, "0"), (None, "—")],
)
def test_count_is_a_grouped_integer(value, expected):
    assert format_count(value) == expected


def test_shares_are_percentages_with_one_decimal():
    assert format_share(Decimal("0.12345")) == "12.3%"
    assert format_share(0.00049) == "0.0%"
    assert format_share(1) == "100.0%"
    assert format_percent(Decimal("12.25")) == "12.3%"
    assert format_percent(None) == "—"
    assert format_share(None) == "—"


def test_filters_work_in_templates():
    rendered = Template("{% load zx %}{{ a|wan }} {{ b|count }} {{ c|share }} {{ d|wan }}").render(
        Context({"a": Decimal("16881.8505"), "b": 12345, "c": 0.5, "d": None})
    )
    assert rendered == "16,881.85 12,345 50.0% —"
