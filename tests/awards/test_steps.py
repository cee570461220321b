"""Steps 2–4 (exclusive groups, annual limits, budget), their order and tie rules.

Every clause here pays its ``amount`` field (percentage at rate 1), so the computed
award of each application is simply what the test writes."""

from __future__ import annotations

from .conftest import E1, E2, HEADER, app, enterprise, make_policy, run

CLAUSES = """\
clauses:
  - {id: x, label: 甲, fields: [{id: amount, label: 金额}], award: {type: percentage, base: amount, rate: 1}}
  - {id: y, label: 乙, fields: [{id: amount, label: 金额}], award: {type: percentage, base: amount, rate: 1}}
  - {id: z, label: 丙, fields: [{id: amount, label: 金额}], award: {type: percentage, base: amount, rate: 1}}
  - id: limited
    label: 限一项
    fields: [{id: amount, label: 金额}]
    award: {type: percentage, base: amount, rate: 1}
    per_enterprise_per_year: 1
  - id: two
    label: 限两项
    eligible: "scale = '规上'"
    fields: [{id: amount, label: 金额}]
    award: {type: percentage, base: amount, rate: 1}
    per_enterprise_per_year: 2
exclusive: [[x, y, limited]]
"""


def policy(budget: str | None = None, *, any_year: bool = False):
    text = CLAUSES + (f"budget: {budget}\n" if budget else "")
    return make_policy(text, HEADER.replace("year: 2024\n", "") if any_year else HEADER)


def a(app_id, clause, amount, **kw):
    return app(app_id, clause, amount=amount, **kw)


# ---------------------------------------------------------------- step 2


def test_exclusive_group_keeps_the_largest_for_one_project():
    result = run(policy(), [a("A", "x", "30", project="P"), a("B", "y", "50", project="P")])
    assert result == {"A": ("30.00", "0.00", "从高不重复"), "B": ("50.00", "50.00", "")}


def test_exclusive_group_other_projects_and_empty_projects_are_separate():
    result = run(
        policy(),
        [
            a("A", "x", "30", project="P"),
            a("B", "y", "50", project="Q"),
            a("C", "x", "20"),  # an empty project is a project of its own
            a("D", "y", "10"),
        ],
    )
    assert [result[k][1] for k in "ABCD"] == ["30.00", "50.00", "20.00", "10.00"]


def test_exclusive_two_applications_of_one_clause_for_one_project_count():
    result = run(policy(), [a("A", "x", "30", project="P"), a("B", "x", "40", project="P")])
    assert result["A"] == ("30.00", "0.00", "从高不重复")
    assert result["B"][1] == "40.00"


def test_clause_outside_any_group_is_not_exclusive():
    result = run(
        policy(),
        [a("A", "z", "30", project="P"), a("B", "z", "40", project="P"), a("C", "x", "50", project="P")],
    )
    assert [result[k][1] for k in "ABC"] == ["30.00", "40.00", "50.00"]


def test_exclusive_is_per_enterprise_and_per_year():
    facts = [enterprise(E1), enterprise(E2)]
    result = run(
        policy(any_year=True),
        [
            a("A", "x", "30", project="P"),
            a("B", "y", "50", project="P", uscc=E2),
            a("C", "y", "60", project="P", year=2025),
        ],
        facts,
    )
    assert [result[k][1] for k in "ABC"] == ["30.00", "50.00", "60.00"]


def test_exclusive_tie_earliest_submitted_then_smallest_id_as_text():
    result = run(
        policy(),
        [
            a("A", "x", "30", project="P", submitted="2024-03-02"),
            a("B", "y", "30", project="P", submitted="2024-03-01"),
            a("9", "x", "30", project="Q"),
            a("10", "y", "30", project="Q"),  # "10" < "9" as text
        ],
    )
    assert result["B"][1] == "30.00" and result["A"] == ("30.00", "0.00", "从高不重复")
    assert result["10"][1] == "30.00" and result["9"] == ("30.00", "0.00", "从高不重复")


def test_exclusive_reason_is_added_to_every_other_application_even_a_zero_one():
    # "the others become 0, reason 从高不重复" (unlike step 3, not only the non-zero ones)
    result = run(policy(), [a("A", "x", "0", project="P"), a("B", "y", "10", project="P")])
    assert result["A"] == ("0.00", "0.00", "从高不重复")


# ---------------------------------------------------------------- step 3


def test_annual_limit_keeps_the_n_largest_non_zero_awards():
    result = run(
        policy(),
        [a("A", "two", "30"), a("B", "two", "50"), a("C", "two", "40"), a("D", "two", "40", uscc=E2)],
    )
    assert result["A"] == ("30.00", "0.00", "超过年度限额")
    assert result["B"][1] == "50.00" and result["C"][1] == "40.00"
    assert result["D"][1] == "40.00"  # another enterprise


def test_annual_limit_ignores_zero_awards_and_adds_no_reason_to_them():
    facts = [enterprise(E1)]
    result = run(policy(), [a("A", "two", "0"), a("B", "two", "10"), a("C", "two", "20")], facts)
    assert result["A"] == ("0.00", "0.00", "")
    assert result["B"][1] == "10.00" and result["C"][1] == "20.00"


def test_annual_limit_tie_earliest_submitted_then_smallest_id():
    result = run(
        policy(),
        [
            a("B", "limited", "30", submitted="2024-03-01"),
            a("A", "limited", "30", submitted="2024-03-02"),
            a("C", "limited", "30", submitted="2024-03-01"),
        ],
    )
    assert result["B"][1] == "30.00"
    assert result["A"] == ("30.00", "0.00", "超过年度限额")
    assert result["C"] == ("30.00", "0.00", "超过年度限额")


def test_step_2_runs_before_step_3():
    # B loses its project to C under step 2, so A is the only non-zero `limited` award left
    # and stays; were limits applied first, A (smaller than B) would have been cut.
    result = run(
        policy(),
        [
            a("A", "limited", "50", project="Q"),
            a("B", "limited", "100", project="P"),
            a("C", "x", "150", project="P"),
        ],
    )
    assert result == {
        "A": ("50.00", "50.00", ""),
        "B": ("100.00", "0.00", "从高不重复"),
        "C": ("150.00", "150.00", ""),
    }


# ---------------------------------------------------------------- step 4


def test_budget_scales_exactly_then_rounds_down():
    # sum 120 > budget 100: × 100/120 exactly. 20 -> 16.666… -> 16.66 (down, not 16.67);
    # 60 -> 50.00 (a ratio rounded to 0.83 first would give 49.80).
    result = run(policy("100"), [a("A", "z", "20"), a("B", "z", "40"), a("C", "z", "60")])
    assert result == {
        "A": ("20.00", "16.66", "预算不足按比例核减"),
        "B": ("40.00", "33.33", "预算不足按比例核减"),
        "C": ("60.00", "50.00", "预算不足按比例核减"),
    }


def test_budget_equal_to_the_sum_changes_nothing():
    result = run(policy("100"), [a("A", "z", "40"), a("B", "z", "60")])
    assert result == {"A": ("40.00", "40.00", ""), "B": ("60.00", "60.00", "")}


def test_step_3_runs_before_step_4():
    # after the limit cuts B, the sum is 60 + 40 = 100: within budget, no scaling
    result = run(
        policy("100"),
        [a("A", "limited", "60"), a("B", "limited", "60", submitted="2024-03-02"), a("C", "z", "40")],
    )
    assert result == {
        "A": ("60.00", "60.00", ""),
        "B": ("60.00", "0.00", "超过年度限额"),
        "C": ("40.00", "40.00", ""),
    }


def test_reasons_accumulate_in_step_order_separated_by_full_width_semicolon():
    facts = [enterprise(E1), enterprise(E2, scale="规下")]
    result = run(
        policy("50"),
        [
            a("A", "x", "30", project="P"),
            a("B", "y", "80", project="P"),
            a("C", "two", "10", uscc=E2),  # not eligible
        ],
        facts,
    )
    assert result["A"] == ("30.00", "0.00", "从高不重复；预算不足按比例核减")
    assert result["B"] == ("80.00", "50.00", "预算不足按比例核减")
    assert result["C"] == ("0.00", "0.00", "限两项不符合申报条件；预算不足按比例核减")


def test_results_keep_input_order():
    applications = [a("C", "z", "1"), a("A", "z", "2"), a("B", "x", "3")]
    assert list(run(policy(), applications)) == ["C", "A", "B"]
