"""The warning rules engine (pure polars, no database): each shipped rule on a small case, and
bad rule files refused with the key path."""

from __future__ import annotations

import polars as pl
import pytest

from zhuanxing.dashboard.warning_rules import (
    RuleError,
    evaluate,
    parse_rules,
    shipped_rules_text,
    yearly_frame,
)

RULES = parse_rules(shipped_rules_text())


def hits(rows: dict) -> set[tuple[int, int, str]]:
    frame = yearly_frame(pl.DataFrame(rows))
    return {tuple(row) for row in evaluate(RULES, frame).iter_rows()}


def test_shipped_rules_are_the_issues_examples():
    assert [r.id for r in RULES.rules] == [
        "tax-per-mu-fall",
        "class-fall-two",
        "d-two-years",
        "inefficient-land",
        "tax-jump",
        "output-jump",
    ]


def test_tax_per_mu_fall_of_30_percent_or_more():
    found = hits(
        {
            "enterprise_id": [1, 1, 2, 2],
            "year": [2023, 2024] * 2,
            "tax": [100, 70, 100, 71],
            "land_mu": [10] * 4,
        }
    )
    assert (1, 2024, "tax-per-mu-fall") in found and (2, 2024, "tax-per-mu-fall") not in found


def test_class_fell_by_two_and_d_two_years_running():
    found = hits(
        {"enterprise_id": [1, 1, 2, 2, 3, 3], "year": [2023, 2024] * 3, "class_rank": [4, 2, 1, 1, 3, 2]}
    )
    assert (1, 2024, "class-fall-two") in found and (3, 2024, "class-fall-two") not in found
    assert (2, 2024, "d-two-years") in found and (2, 2023, "d-two-years") not in found


def test_inefficient_land_needs_both_low_tax_and_a_large_area():
    found = hits(
        {"enterprise_id": [1, 2, 3], "year": [2024] * 3, "tax": [20, 2, 80], "land_mu": [10.5, 5, 20]}
    )
    assert {h for h in found if h[2] == "inefficient-land"} == {(1, 2024, "inefficient-land")}


def test_an_import_value_that_jumps_five_fold_or_falls_below_a_fifth():
    found = hits(
        {"enterprise_id": [1, 1, 2, 2, 3, 3], "year": [2023, 2024] * 3, "tax": [10, 51, 100, 19, 100, 20]}
    )
    jumps = {h[0] for h in found if h[2] == "tax-jump"}
    assert jumps == {1, 2}  # 5.1× and 0.19×; exactly a fifth is not a jump


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('district: x\nrules:\n  - {id: a, label: b, when: "nope > 1"}\n', "rules[0].when：未知的列「nope」"),
        (
            'district: x\nrules:\n  - {id: a, label: b, when: "tax > k", params: {k: 高}}\n',
            "rules[0].params.k：应为数值，实际为「高」",
        ),
        (
            'district: x\nrules:\n  - {id: a, label: b, when: "tax +"}\n',
            "rules[0].when：无法解析的条件「tax +」",
        ),
        (
            'district: x\nrules:\n  - {id: a, label: b, when: "tax * 2"}\n',
            "rules[0].when：条件「tax * 2」应得出是/否",
        ),
        (
            'district: x\nrules:\n  - {id: a, label: b, when: "tax > 1", colour: red}\n',
            "rules[0].colour：未知的键",
        ),
        ("district: x\nrules: []\n", "rules：应为至少一条规则的列表"),
        (
            'district: x\nrules:\n  - {id: a, label: b, when: "tax > 1"}\n  - {id: a, label: c, when: "tax > 2"}\n',
            "rules[1].id：规则代码「a」重复",
        ),
    ],
)
def test_bad_rule_files_are_refused_with_the_key_path(text, problem):
    with pytest.raises(RuleError) as caught:
        parse_rules(text)
    assert any(p.startswith(problem) for p in caught.value.problems), caught.value.problems
