"""Scores: ratio, inverse, minmax, caps, and the three ways to treat a missing value."""

from __future__ import annotations

import pytest

from .conftest import QUOTA, column, one_group, run

EXEMPT_HIGH_TECH = "rules: [{label: 高新企业不评级, when: high_tech, exempt: true}]"


def scores(indicator: str, *rows: dict, extra: str = "") -> list:
    scheme = one_group(f"indicators:\n  - {indicator}\n{QUOTA}\n{extra}")
    return column(run(scheme, *rows), "t_score")


RATIO = "{id: t, label: x, numerator: tax, weight: 30, benchmark: {fixed: 10}"


def test_ratio_is_value_over_benchmark_times_weight_uncapped_by_default():
    found = scores(RATIO + "}", {"tax": 5.0}, {"tax": 20.0}, {"tax": 0.0})
    assert found == pytest.approx([15.0, 60.0, 0.0])


def test_ratio_is_clipped_to_cap_times_weight_and_never_below_zero():
    found = scores(RATIO + ", cap: 1.5}", {"tax": 5.0}, {"tax": 20.0}, {"tax": -4.0})
    assert found == pytest.approx([15.0, 45.0, 0.0])


INVERSE = "{id: t, label: x, numerator: energy_tce, denominator: value_added, weight: 20, benchmark: {fixed: 2}, scoring: inverse, cap: 1.5}"


def test_inverse_is_benchmark_over_value_capped_and_cap_times_weight_for_a_zero_value():
    rows = [
        {"energy_tce": 400.0, "value_added": 100.0},  # 4: 2/4 × 20 = 10
        {"energy_tce": 100.0, "value_added": 100.0},  # 1: 2/1 = 2 → capped at 1.5 → 30
        {"energy_tce": 0.0, "value_added": 100.0},  # 0: the best there is → 30
        {"energy_tce": None, "value_added": 100.0},  # missing → zero
    ]
    assert scores(INVERSE, *rows) == pytest.approx([10.0, 30.0, 30.0, 0.0])


MINMAX = "{id: t, label: x, numerator: tax, weight: 20, scoring: minmax, minmax: {low: 20, high: 100}}"


def test_minmax_scales_between_low_and_high_over_the_graded_range():
    # graded values 10, 20, 30: min 10, max 30
    rows = [{"tax": 10.0}, {"tax": 20.0}, {"tax": 30.0}]
    # 20 × (20 + 80 × (v − 10) / 20) / 100
    assert scores(MINMAX, *rows) == pytest.approx([4.0, 12.0, 20.0])


def test_minmax_clips_an_exempt_value_outside_the_graded_range_to_low_and_high():
    rows = [
        {"tax": 10.0, "high_tech": False},
        {"tax": 30.0, "high_tech": False},
        {"tax": 50.0, "high_tech": True},  # 20 + 80 × 2 = 180 → 100
        {"tax": 0.0, "high_tech": True},  # 20 − 40 = −20 → 20
    ]
    assert scores(MINMAX, *rows, extra=EXEMPT_HIGH_TECH) == pytest.approx([4.0, 20.0, 20.0, 4.0])


def test_minmax_gives_weight_times_high_when_max_equals_min():
    assert scores(MINMAX, {"tax": 7.0}, {"tax": 7.0}) == pytest.approx([20.0, 20.0])


def test_minmax_defaults_to_low_0_high_100():
    indicator = "{id: t, label: x, numerator: tax, weight: 10, scoring: minmax}"
    assert scores(indicator, {"tax": 0.0}, {"tax": 5.0}, {"tax": 20.0}) == pytest.approx([0.0, 2.5, 10.0])


def test_minmax_respects_a_cap():
    indicator = "{id: t, label: x, numerator: tax, weight: 10, scoring: minmax, cap: 0.5}"
    assert scores(indicator, {"tax": 0.0}, {"tax": 5.0}, {"tax": 20.0}) == pytest.approx([0.0, 2.5, 5.0])


def test_missing_zero_is_the_default():
    assert scores(RATIO + "}", {"tax": 5.0}, {"tax": None}) == [15.0, 0.0]


def test_missing_mean_score_is_the_mean_score_of_the_graded_with_a_value():
    rows = [
        {"tax": 5.0, "high_tech": False},  # 15
        {"tax": 10.0, "high_tech": False},  # 30
        {"tax": 20.0, "high_tech": False},  # 60
        {"tax": 100.0, "high_tech": True},  # 300, exempt: not in the mean
        {"tax": None, "high_tech": False},
        {"tax": None, "high_tech": True},  # an exempt firm gets it too
    ]
    found = scores(RATIO + ", missing: mean_score}", *rows, extra=EXEMPT_HIGH_TECH)
    assert found == pytest.approx([15.0, 30.0, 60.0, 300.0, 35.0, 35.0])


def test_missing_mean_score_is_zero_when_no_graded_enterprise_has_a_value():
    # the benchmark is fixed, so the indicator can be scored without any value
    assert scores(RATIO + ", missing: mean_score}", {"tax": None}, {"tax": None}) == [0.0, 0.0]


TWO = """
indicators:
  - {id: a, label: A, numerator: tax, weight: 60, benchmark: {fixed: 10}}
  - {id: b, label: B, numerator: sales, weight: 40, benchmark: {fixed: 100}, missing: renormalize}
"""


def test_renormalize_leaves_the_indicator_out_and_scales_the_sum_by_all_weights_over_the_rest():
    scheme = one_group(TWO + QUOTA)
    result = run(scheme, {"tax": 5.0, "sales": 50.0}, {"tax": 5.0, "sales": None})
    assert column(result, "b_score") == [20.0, None]  # the unscaled score; empty when left out
    assert column(result, "total") == pytest.approx([30.0 + 20.0, 30.0 * 100 / 60])


def test_renormalize_scales_zero_and_mean_score_fills_too():
    scheme = one_group(
        """
        indicators:
          - {id: a, label: A, numerator: tax, weight: 50, benchmark: {fixed: 10}}
          - {id: b, label: B, numerator: sales, weight: 30, benchmark: {fixed: 100}, missing: mean_score}
          - {id: c, label: C, numerator: rd, weight: 20, benchmark: {fixed: 1}, missing: renormalize}
        """
        + QUOTA
    )
    result = run(scheme, {"tax": 10.0, "sales": 100.0, "rd": 1.0}, {"tax": 4.0, "sales": None, "rd": None})
    # second firm: a = 20, b = mean score 30 (only the first has a value), c left out → (20 + 30) × 100 / 80
    assert column(result, "total") == pytest.approx([100.0, 62.5])
    assert column(result, "c_score") == [20.0, None]


def test_renormalize_with_every_weighted_indicator_left_out_scores_zero():
    scheme = one_group(
        "indicators:\n  - {id: a, label: A, numerator: tax, weight: 10, benchmark: {fixed: 1}, missing: renormalize}\n"
        + QUOTA
    )
    assert column(run(scheme, {"tax": 2.0}, {"tax": None}), "total") == [20.0, 0.0]


def test_scores_are_computed_to_full_precision_in_the_order_the_contract_states():
    values = [0.1 * n + 0.013 * n * n for n in range(1, 200)]
    found = scores(
        "{id: t, label: x, numerator: tax, weight: 30, benchmark: {fixed: 24.097}}",
        *({"tax": v} for v in values),
    )
    assert found == [(v / 24.097) * 30 for v in values]
