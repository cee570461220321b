"""Benchmarks: fixed, aggregate, mean, median, percentile; ``by`` partitions; errors."""

from __future__ import annotations

import numpy as np
import pytest

from zhuanxing.scoring import EvaluationError

from .conftest import QUOTA, column, one_group, run

EXEMPT_HIGH_TECH = "rules: [{label: 高新企业不评级, when: high_tech, exempt: true}]"

# values (tax / land_mu) 10, 5, 6 for the graded; an exempt 100 and a graded firm without a value are ignored
ROWS = [
    {"tax": 10.0, "land_mu": 1.0, "high_tech": False},
    {"tax": 20.0, "land_mu": 4.0, "high_tech": False},
    {"tax": 30.0, "land_mu": 5.0, "high_tech": False},
    {"tax": 100.0, "land_mu": 1.0, "high_tech": True},
    {"tax": None, "land_mu": 2.0, "high_tech": False},
]


def benchmark_of(spec: str, rows=ROWS, extra: str = EXEMPT_HIGH_TECH, multiplier: float = 1) -> list:
    scheme = one_group(
        "indicators:\n  - {id: t, label: 亩均税收, numerator: tax, denominator: land_mu, "
        f"multiplier: {multiplier}, weight: 100, benchmark: {spec}}}\n{QUOTA}\n{extra}"
    )
    return column(run(scheme, *rows), "t_benchmark")


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("{fixed: 24.097}", 24.097),
        # Σ tax / Σ land of the graded firms with a value (not the mean of ratios, not counting the 2 亩 without tax)
        ("{aggregate: {}}", 60 / 10),
        ("{mean: {}}", 7.0),
        ("{median: {}}", 6.0),
        ("{percentile: 75}", 8.0),  # linear: 6 + 0.5 × (10 − 6)
        ("{percentile: 0}", 5.0),
        ("{percentile: 100}", 10.0),
    ],
)
def test_benchmark_over_the_graded_enterprises_with_a_value(spec, expected):
    assert benchmark_of(spec) == pytest.approx([expected] * 5)


@pytest.mark.parametrize("p", [10, 33.3, 50, 62.5, 90])
def test_percentile_interpolates_linearly_as_numpy_does(p):
    values = [3.0, 1.0, 4.0, 1.5, 9.0, 2.6, 5.0]
    rows = [{"tax": v, "land_mu": 1.0, "high_tech": False} for v in values]
    assert benchmark_of(f"{{percentile: {p}}}", rows)[0] == pytest.approx(np.percentile(values, p), rel=1e-12)


def test_aggregate_applies_the_multiplier_to_the_ratio_of_sums():
    assert benchmark_of("{aggregate: {}}", multiplier=100) == pytest.approx([600.0] * 5)


# town X: graded values 2, 4, 6 (+ one without a value, + one exempt); town Y: 10; one firm without a town: 7
BY_ROWS = [
    {"tax": 2.0, "land_mu": 1.0, "town": "X", "high_tech": False},
    {"tax": 4.0, "land_mu": 1.0, "town": "X", "high_tech": False},
    {"tax": 6.0, "land_mu": 1.0, "town": "X", "high_tech": False},
    {"tax": None, "land_mu": 1.0, "town": "X", "high_tech": False},
    {"tax": 50.0, "land_mu": 1.0, "town": "X", "high_tech": True},
    {"tax": 10.0, "land_mu": 1.0, "town": "Y", "high_tech": False},
    {"tax": 7.0, "land_mu": 1.0, "town": None, "high_tech": False},
]
GROUP_MEAN = (2 + 4 + 6 + 10 + 7) / 5


def test_by_gives_each_partition_its_own_benchmark_when_it_has_min_group_size_graded_values():
    found = benchmark_of("{mean: {by: town, min_group_size: 3}}", BY_ROWS)
    # X has exactly 3 graded firms with a value (its null and exempt firms do not count); Y has 1
    assert found == pytest.approx([4.0] * 5 + [GROUP_MEAN] * 2)


def test_a_partition_below_min_group_size_uses_the_group_wide_benchmark():
    assert benchmark_of("{mean: {by: town, min_group_size: 4}}", BY_ROWS) == pytest.approx([GROUP_MEAN] * 7)


def test_min_group_size_defaults_to_five():
    assert benchmark_of("{mean: {by: town}}", BY_ROWS) == pytest.approx([GROUP_MEAN] * 7)


def test_a_null_by_value_is_a_partition_of_its_own():
    found = benchmark_of("{mean: {}, by: town, min_group_size: 1}", BY_ROWS)
    assert found == pytest.approx([4.0] * 5 + [10.0, 7.0])


def test_rank_within_never_affects_benchmarks():
    found = benchmark_of(
        "{mean: {}}", BY_ROWS, extra=EXEMPT_HIGH_TECH + "\nrank_within: town\nrank_within_min: 1"
    )
    assert found == pytest.approx([GROUP_MEAN] * 7)


def test_a_benchmark_at_or_below_zero_is_an_error_naming_the_indicator():
    rows = [
        {"tax": -5.0, "land_mu": 1.0, "high_tech": False},
        {"tax": 1.0, "land_mu": 1.0, "high_tech": False},
    ]
    with pytest.raises(EvaluationError) as caught:
        benchmark_of("{aggregate: {}}", rows)
    assert caught.value.problems == ["评价组「测试组」指标「亩均税收」（t）的基准值为 -2，应大于 0"]


def test_a_benchmark_that_cannot_be_computed_is_an_error_naming_the_indicator():
    rows = [
        {"tax": None, "land_mu": 1.0, "high_tech": False},
        {"tax": 9.0, "land_mu": 1.0, "high_tech": True},
    ]
    with pytest.raises(EvaluationError) as caught:
        benchmark_of("{median: {}}", rows)
    assert caught.value.problems == [
        "评价组「测试组」指标「亩均税收」（t）的基准值无法计算：没有参评企业有该指标值"
    ]


def test_a_partition_benchmark_at_or_below_zero_names_the_partition():
    rows = [
        {"tax": -1.0, "land_mu": 1.0, "town": "X", "high_tech": False},
        {"tax": -1.0, "land_mu": 1.0, "town": "X", "high_tech": False},
        {"tax": 9.0, "land_mu": 1.0, "town": "Y", "high_tech": False},  # alone: the group-wide 7/3 is fine
    ]
    with pytest.raises(EvaluationError) as caught:
        benchmark_of("{mean: {by: town, min_group_size: 2}}", rows)
    assert caught.value.problems == [
        "评价组「测试组」指标「亩均税收」（t）在 town =「X」的企业中基准值为 -1，应大于 0"
    ]


def test_minmax_has_no_benchmark():
    scheme = one_group(
        "indicators:\n  - {id: t, label: x, numerator: tax, weight: 10, scoring: minmax}\n" + QUOTA
    )
    assert column(run(scheme, {"tax": 1.0}, {"tax": 2.0}), "t_benchmark") == [None, None]
