"""Adjustments: when, per, both, max; the total; which labels reach the reasons."""

from __future__ import annotations

import pytest

from .conftest import QUOTA, TAX_PER_MU, column, one_group, run


def adjusted(adjustments: str, *rows: dict) -> tuple[list, list, list]:
    scheme = one_group(TAX_PER_MU + QUOTA + f"\nadjustments:\n{adjustments}")
    result = run(scheme, *({"tax": 5.0, "land_mu": 1.0} | row for row in rows))
    return column(result, "adjustment"), column(result, "total"), column(result, "reasons")


def test_when_adds_its_points_where_true_and_the_total_includes_them():
    adjustment, total, reasons = adjusted(
        "  - {label: 高新技术企业加分, when: high_tech, points: 3}", {"high_tech": True}, {"high_tech": False}
    )
    assert adjustment == [3.0, 0.0]
    assert total == [53.0, 50.0]
    assert reasons == ["高新技术企业加分", ""]


def test_per_adds_points_times_the_expression_clipped_to_max_and_null_counts_zero():
    adjustment, _, reasons = adjusted(
        "  - {label: 出租厂房扣分, per: 'GREATEST(tenants - 1, 0)', points: -2, max: 6}",
        {"tenants": 3.0},  # −2 × 2
        {"tenants": 10.0},  # −18 → −6
        {"tenants": 1.0},  # 0: not a reason
        {"tenants": None},  # GREATEST(null, 0) = 0
    )
    assert adjustment == [-4.0, -6.0, 0.0, 0.0]
    assert reasons == ["出租厂房扣分", "出租厂房扣分", "", ""]


def test_per_with_a_null_expression_counts_zero():
    adjustment, _, _ = adjusted(
        "  - {label: 研发加分, per: rd / 100, points: 1}", {"rd": 250.0}, {"rd": None}
    )
    assert adjustment == [2.5, 0.0]


def test_max_clips_a_positive_adjustment_too():
    adjustment, _, _ = adjusted(
        "  - {label: 研发加分, per: rd, points: 0.01, max: 5}", {"rd": 300.0}, {"rd": 800.0}
    )
    assert adjustment == pytest.approx([3.0, 5.0])


def test_with_both_when_and_per_the_points_count_only_where_when_holds():
    adjustment, _, _ = adjusted(
        "  - {label: 高新研发加分, when: high_tech, per: rd / 100, points: 1}",
        {"high_tech": True, "rd": 200.0},
        {"high_tech": False, "rd": 200.0},
        {"high_tech": None, "rd": 200.0},
    )
    assert adjustment == [2.0, 0.0, 0.0]


def test_adjustments_add_up():
    adjustment, total, reasons = adjusted(
        "  - {label: 加分, when: high_tech, points: 3}\n  - {label: 扣分, per: tenants, points: -1}",
        {"high_tech": True, "tenants": 2.0},
    )
    assert (adjustment, total, reasons) == ([1.0], [51.0], ["加分；扣分"])
