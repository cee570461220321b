"""Ranks, percentiles, rank_within pooling, quotas, thresholds, exemptions and rules."""

from __future__ import annotations

import pytest

from .conftest import QUOTA, TAX_PER_MU, column, one_group, run


def with_totals(*totals: float, **columns: list) -> list[dict]:
    """Rows whose total (10 × tax, land 1 亩) is each of ``totals``, plus per-row ``columns``."""
    rows = [{"tax": total / 10, "land_mu": 1.0} for total in totals]
    for name, values in columns.items():
        rows = [row | {name: value} for row, value in zip(rows, values, strict=True)]
    return rows


def test_rank_is_one_plus_the_number_strictly_higher_comparing_totals_rounded_to_6_decimals():
    scheme = one_group(TAX_PER_MU + QUOTA)
    result = run(scheme, *with_totals(50.0, 50.0000001, 40.0, 50.000001))
    assert column(result, "rank") == [2, 2, 4, 1]
    assert column(result, "percentile") == [0.5, 0.5, 1.0, 0.25]


def test_quota_gives_the_first_class_whose_cumulative_share_reaches_the_percentile():
    scheme = one_group(TAX_PER_MU + QUOTA)
    result = run(scheme, *with_totals(*range(100, 0, -10)))  # ranks 1..10, percentiles 0.1..1.0
    assert column(result, "initial_class") == list("AABBBBBBCD")


def test_quota_classes_without_a_share_are_skipped_and_the_last_class_takes_the_rest():
    scheme = one_group(TAX_PER_MU + "classify: {quota: {A: 0.5}}")
    assert column(run(scheme, *with_totals(4, 3, 2, 1)), "initial_class") == ["A", "A", "D", "D"]


def test_thresholds_give_the_first_class_whose_minimum_the_total_reaches():
    scheme = one_group(TAX_PER_MU + "classify: {thresholds: {A: 120, B: 80, C: 40}}")
    result = run(scheme, *with_totals(120, 119.9, 80, 40, 39.99))
    assert column(result, "initial_class") == ["A", "B", "B", "C", "D"]


def test_custom_classes_are_used_best_first():
    header = "id: test\nname: 测试方案\nyear: 2022\nclasses: [{code: 一类}, {code: 二类}, {code: 三类}]\n"
    scheme = one_group(TAX_PER_MU + "classify: {quota: {一类: 0.5}}", header=header)
    assert column(run(scheme, *with_totals(4, 3, 2, 1)), "final_class") == ["一类", "一类", "三类", "三类"]


EXEMPT = (
    "\nrules: [{label: 公用事业企业不评级, when: \"industry_division IN ('44','45','46')\", exempt: true}]"
)


def test_exempt_enterprises_get_scores_but_no_rank_or_class_and_do_not_count_in_quotas():
    scheme = one_group(TAX_PER_MU + QUOTA + EXEMPT)
    rows = with_totals(100, 50, 40, 30, 20, 10, industry=["4411", "1311", "1311", "1311", "1311", "1311"])
    result = run(scheme, *rows)
    assert column(result, "total") == pytest.approx([100, 50, 40, 30, 20, 10])
    assert column(result, "exempt") == [True, False, False, False, False, False]
    assert column(result, "rank") == [None, 1, 2, 3, 4, 5]
    assert column(result, "percentile") == [None, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert column(result, "initial_class") == [None, "A", "B", "B", "B", "D"]
    assert column(result, "final_class") == [None, "A", "B", "B", "B", "D"]
    assert column(result, "reasons") == ["公用事业企业不评级", "", "", "", "", ""]


RANK_WITHIN = "\nrank_within: town\nrank_within_min: 2"


def test_rank_within_ranks_and_applies_quotas_within_each_partition():
    scheme = one_group(TAX_PER_MU + "classify: {quota: {A: 0.5}}" + RANK_WITHIN)
    result = run(scheme, *with_totals(90, 80, 70, 60, town=["X", "Y", "X", "Y"]))
    assert column(result, "rank") == [1, 1, 2, 2]
    assert column(result, "percentile") == [0.5, 0.5, 1.0, 1.0]
    assert column(result, "initial_class") == ["A", "A", "D", "D"]


def test_small_partitions_are_pooled_and_ranked_together_a_null_value_being_a_partition():
    scheme = one_group(TAX_PER_MU + QUOTA + RANK_WITHIN)
    towns = ["X", "X", "Z", None, "Y", "Y", "X"]
    result = run(scheme, *with_totals(90, 80, 70, 60, 50, 40, 30, town=towns))
    # X (3) and Y (2) rank on their own; Z (1) and the town-less firm (1) are pooled
    assert column(result, "rank") == [1, 2, 1, 2, 1, 2, 3]
    assert column(result, "percentile") == pytest.approx([1 / 3, 2 / 3, 0.5, 1.0, 0.5, 1.0, 1.0])


def test_null_rank_within_values_form_their_own_partition_when_large_enough():
    scheme = one_group(TAX_PER_MU + QUOTA + RANK_WITHIN)
    result = run(scheme, *with_totals(90, 80, 70, 60, town=["X", None, "X", None]))
    assert column(result, "rank") == [1, 1, 2, 2]


def test_rank_within_min_defaults_to_ten_so_small_partitions_are_all_pooled():
    scheme = one_group(TAX_PER_MU + QUOTA + "\nrank_within: town")
    result = run(scheme, *with_totals(90, 80, 70, 60, town=["X", "Y", "X", "Y"]))
    assert column(result, "rank") == [1, 2, 3, 4]


def test_exempt_enterprises_do_not_count_toward_a_partition_size():
    scheme = one_group(TAX_PER_MU + QUOTA + RANK_WITHIN + EXEMPT)
    rows = with_totals(90, 80, 70, 60, town=["X", "X", "Y", "Y"], industry=["1311", "4411", "1311", "1311"])
    # X has one graded firm: pooled with nobody else small, so it ranks alone; Y ranks its two
    assert column(run(scheme, *rows), "rank") == [1, None, 1, 2]


RULES = """
rules:
  - {label: 新办企业不列D类, when: "age_years < 2", at_least: C}
  - {label: 发生重大安全事故不得评为A、B类, when: "major_accident", at_most: C}
  - {label: 环境违法企业列为D类, when: "env_violation", set: D}
"""


def classes_after_rules(rules: str, initial_totals: list[float], **columns: list) -> tuple[list, list, list]:
    scheme = one_group(TAX_PER_MU + QUOTA + rules)
    defaults = {"founded": "2000-01-01", "major_accident": False, "env_violation": False, "high_tech": False}
    columns = {name: [value] * len(initial_totals) for name, value in defaults.items()} | columns
    result = run(scheme, *with_totals(*initial_totals, **columns))
    return column(result, "initial_class"), column(result, "final_class"), column(result, "reasons")


def test_at_least_lifts_a_class_to_not_worse_than():
    # ten firms, the last would be D; founded last year
    founded = ["2000-01-01"] * 9 + ["2021-06-01"]
    initial, final, reasons = classes_after_rules(RULES, list(range(100, 0, -10)), founded=founded)
    assert (initial[-1], final[-1], reasons[-1]) == ("D", "C", "新办企业不列D类")
    assert final[:-1] == list("AABBBBBBC")


def test_at_most_lowers_a_class_to_not_better_than():
    accident = [True] + [False] * 9
    initial, final, reasons = classes_after_rules(RULES, list(range(100, 0, -10)), major_accident=accident)
    assert (initial[0], final[0], reasons[0]) == ("A", "C", "发生重大安全事故不得评为A、B类")


def test_a_veto_beats_a_protection_and_set_beats_both():
    # firm 1: A, new (at least C: stays A) and an accident (at most C) → C
    # firm 10: D, new (→ C), accident (at most C: stays C) and environmental violation (set D) → D
    founded = ["2021-06-01"] + ["2000-01-01"] * 8 + ["2021-06-01"]
    accident = [True] + [False] * 8 + [True]
    violation = [False] * 9 + [True]
    initial, final, reasons = classes_after_rules(
        RULES, list(range(100, 0, -10)), founded=founded, major_accident=accident, env_violation=violation
    )
    assert (initial[0], final[0]) == ("A", "C")
    assert (initial[-1], final[-1]) == ("D", "D")
    assert reasons[-1] == "新办企业不列D类；发生重大安全事故不得评为A、B类；环境违法企业列为D类"


def test_rules_of_one_kind_apply_in_file_order():
    rules = """
rules:
  - {label: 先置为B, when: high_tech, set: B}
  - {label: 再置为C, when: high_tech, set: C}
  - {label: 不差于B, when: high_tech, at_least: B}
  - {label: 不差于A, when: high_tech, at_least: A}
"""
    # a lone firm starts at D; at_least comes first whatever the file order (D → B → A), then the sets (B, C)
    initial, final, _ = classes_after_rules(rules, [10], high_tech=[True])
    assert (initial, final) == (["D"], ["C"])


def test_a_rule_whose_condition_is_null_does_not_apply():
    _, final, reasons = classes_after_rules(RULES, [100, 10], env_violation=[None, None])
    assert final == ["B", "D"] and reasons == ["", ""]


def test_reasons_follow_the_file_order_of_rules_and_adjustments():
    adjustments = "\nadjustments: [{label: 高新技术企业加分, when: high_tech, points: 3}]"
    rules = "\nrules: [{label: 发生重大安全事故不得评为A、B类, when: major_accident, at_most: C}]"
    row = {"tax": 1.0, "land_mu": 1.0, "high_tech": True, "major_accident": True}
    adjustments_first = one_group(TAX_PER_MU + QUOTA + adjustments + rules)
    rules_first = one_group(TAX_PER_MU + QUOTA + rules + adjustments)
    assert column(run(adjustments_first, row), "reasons") == [
        "高新技术企业加分；发生重大安全事故不得评为A、B类"
    ]
    assert column(run(rules_first, row), "reasons") == ["发生重大安全事故不得评为A、B类；高新技术企业加分"]


def test_a_percentile_exactly_at_a_quota_takes_that_class():
    # 3/5 must be 0.6 exactly: a division by multiplying with 1/5 gives 0.6000000000000001
    scheme = one_group(TAX_PER_MU + "classify: {quota: {A: 0.2, B: 0.6}}")
    result = run(scheme, *with_totals(50, 40, 30, 20, 10))
    assert column(result, "percentile")[2] == 0.6
    assert column(result, "initial_class") == ["A", "B", "B", "D", "D"]
