"""Lift (模拟测算): every clause of the contract by a small hand-computed case.

Scores are made easy: one ratio indicator of weight 100 on tax per mu with a fixed
benchmark of 10, so an enterprise's total is 10 × its tax per mu."""

from __future__ import annotations

import polars as pl
import pytest

from zhuanxing.scoring import Baseline, InputError, lift
from zhuanxing.scoring.lift import CAPPED, MIXED, NO_CURRENT, NO_QUOTA, SCOPE_COLUMN

from .conftest import code, firms, one_group

TAX = "  - {id: t, label: 亩均税收, numerator: tax, denominator: land_mu, weight: 100, benchmark: {fixed: 10}%s}\n"
THRESHOLDS = "classify: {thresholds: {A: 120, B: 80, C: 40}}"


def scheme(classify: str = THRESHOLDS, extra: str = "", cap: str = "", more: str = ""):
    return one_group("indicators:\n" + TAX % cap + more + classify + "\n" + extra)


def rows_of(table: pl.DataFrame, number: int, field: str | None = None) -> list[dict]:
    return [r for r in table.to_dicts() if r["uscc"] == code(number) and field in (None, r["field"])]


def one(table, number, field="tax") -> dict:
    (row,) = rows_of(table, number, field)
    return row


def test_thresholds_both_directions_and_the_columns_in_order():
    table = lift(
        scheme(), firms({"tax": 5, "land_mu": 1}, {"tax": 9, "land_mu": 1}, {"tax": 20, "land_mu": 1})
    )
    assert table.columns == [
        "uscc",
        "field",
        "direction",
        "current",
        "target_class",
        "target_total",
        "value",
        "change",
        "reason",
    ]
    # firm 1: total 50 → C; B needs 80: tax 8 (+3) or land 5/8 mu
    tax, land = rows_of(table, 1)
    assert (tax["field"], tax["direction"], tax["target_class"], tax["target_total"]) == (
        "tax",
        "增加",
        "B",
        80,
    )
    assert tax["value"] == pytest.approx(8, rel=1e-9) and tax["change"] == pytest.approx(3, rel=1e-9)
    assert (land["field"], land["direction"]) == ("land_mu", "减少")
    assert land["value"] == pytest.approx(0.625, rel=1e-9) and land["change"] == pytest.approx(
        -0.375, rel=1e-9
    )
    assert one(table, 2)["value"] == pytest.approx(12, rel=1e-9)  # B (90) → A needs 120
    assert rows_of(table, 3) == []  # already A: no row
    assert table.get_column("reason").null_count() == table.height


def test_a_cap_that_binds_leaves_the_value_empty():
    table = lift(scheme(cap=", cap: 1.1"), firms({"tax": 9, "land_mu": 1}, {"tax": 5, "land_mu": 1}))
    capped = one(table, 1)  # at most 110 points, A needs 120
    assert (capped["value"], capped["change"], capped["reason"]) == (None, None, CAPPED)
    assert one(table, 1, "land_mu")["reason"] == CAPPED
    assert one(table, 2)["value"] == pytest.approx(8, rel=1e-9)  # C → B at 80 is under the cap


QUOTA = "classify: {quota: {A: 0.2, B: 0.8, C: 0.95}}"


def test_quota_target_is_the_mth_highest_other_total():
    data = firms(*({"tax": t, "land_mu": 1} for t in range(1, 11)))  # totals 10 … 100
    table = lift(scheme(QUOTA), data)
    # tax 7: rank 4 of 10 → B; A: m = 2, the 2nd highest other total is 90
    assert one(table, 7)["target_total"] == 90 and one(table, 7)["value"] == pytest.approx(9, rel=1e-9)
    # tax 2: rank 9 → C; B: m = 8, others 100 … 30, 10: the 8th is 30
    assert one(table, 2)["target_class"] == "B" and one(table, 2)["value"] == pytest.approx(3, rel=1e-9)
    # tax 1: rank 10 → D; C: m = 9, the 9th other is 20
    assert one(table, 1)["target_class"] == "C" and one(table, 1)["value"] == pytest.approx(2, rel=1e-9)


def test_ties_at_the_mth_total_count_as_separate_enterprises():
    taxes = [10, 10, 10, 5, 5, 4, 3, 2, 1, 1]  # totals 100, 100, 100, 50 …
    base = Baseline(scheme(QUOTA), firms(*({"tax": t, "land_mu": 1} for t in taxes)))
    table = base.lift()
    # A: m = 2; the others' 2nd highest total is 100 (not a distinct second value such as 50)
    row = one(table, 4)
    assert row["target_total"] == 100 and row["value"] == pytest.approx(10, rel=1e-9)
    reached, _ = base.simulate(code(4), {"tax": row["value"]})
    assert (reached.rank, reached.final_class) == (1, "A")  # tied at the top: rank = 1 + strictly higher


def test_a_product_that_is_an_integer_is_not_floored_below_it():
    # 0.57 × 100 is 56.99999999999999 in floating point, 57 in exact arithmetic
    data = firms(*({"tax": t / 10, "land_mu": 1} for t in range(1, 101)))  # totals 1 … 100
    table = lift(scheme("classify: {quota: {A: 0.57, B: 0.8, C: 0.95}}"), data)
    row = one(table, 40)  # total 40, rank 61 → B; A: m = 57, the 57th highest other is 44
    assert row["target_total"] == 44 and row["value"] == pytest.approx(4.4, rel=1e-9)


def test_too_few_for_the_quota():
    table = lift(scheme(QUOTA), firms(*({"tax": t, "land_mu": 1} for t in (1, 2, 3, 4))))
    # n = 4: m = ⌊0.2 × 4⌋ = 0 for A
    assert [r["reason"] for r in rows_of(table, 3)] == [NO_QUOTA, NO_QUOTA]
    assert rows_of(table, 3)[0]["value"] is None
    assert one(table, 2)["reason"] == NO_QUOTA  # rank 3 → B, A out of reach too
    # rank 4 → D; C: m = ⌊0.95 × 4⌋ = 3, the 3rd highest other total is 20
    assert one(table, 1)["target_class"] == "C" and one(table, 1)["value"] == pytest.approx(2, rel=1e-9)


def test_partitions_and_the_pooled_partition():
    extra = ""
    body = "indicators:\n" + TAX % "" + QUOTA + "\nrank_within: town\nrank_within_min: 3\n"
    group = one_group(body)
    rows = [{"town": "甲", "tax": t, "land_mu": 1} for t in (1, 2, 3, 4, 5)]
    rows += [{"town": "乙", "tax": 6, "land_mu": 1}, {"town": "丙", "tax": 1, "land_mu": 1}]
    table = lift(group, firms(*rows))
    # 甲 (5 firms): tax 4 is rank 2 → B; A: m = 1, the highest other total in 甲 is 50
    assert one(table, 4)["value"] == pytest.approx(5, rel=1e-9)
    # 乙 and 丙 (one firm each) are pooled: n = 2; 丙 rank 2 → D… C: m = ⌊0.95 × 2⌋ = 1 → 60
    assert one(table, 7)["target_class"] == "C" and one(table, 7)["value"] == pytest.approx(6, rel=1e-9)
    assert extra == ""


RULES = """
rules:
  - {label: 发生重大安全事故不得评为A、B类, when: "major_accident", at_most: C}
  - {label: 环境违法企业列为D类, when: "env_violation", set: D}
"""


def test_set_and_at_most_rules_name_their_label():
    data = firms(
        {"tax": 5, "land_mu": 1, "major_accident": True, "env_violation": False},  # C, target B: blocked
        {
            "tax": 2,
            "land_mu": 1,
            "major_accident": True,
            "env_violation": False,
        },  # D, target C: at_most C allows
        {"tax": 9, "land_mu": 1, "major_accident": False, "env_violation": True},  # set D
    )
    table = lift(scheme(extra=RULES), data)
    blocked = one(table, 1)
    assert (blocked["value"], blocked["change"], blocked["reason"]) == (
        None,
        None,
        "发生重大安全事故不得评为A、B类",
    )
    assert one(table, 2)["value"] == pytest.approx(4, rel=1e-9)
    assert [r["reason"] for r in rows_of(table, 3)] == ["环境违法企业列为D类"] * 2


def test_population_and_rule_columns_are_not_lifted():
    group = one_group(
        'population: "land_mu >= 0.5"\nindicators:\n'
        + TAX % ""
        + THRESHOLDS
        + '\nadjustments:\n  - {label: 出租扣分, per: "tenants", points: -1}\n'
    )
    table = lift(group, firms({"tax": 5, "land_mu": 1, "tenants": 0}))
    land = one(table, 1, "land_mu")
    assert (land["value"], land["reason"]) == (None, SCOPE_COLUMN)
    assert one(table, 1)["value"] == pytest.approx(8, rel=1e-9)
    assert rows_of(table, 1, "tenants") == []  # the indicators do not read it


def test_missing_current_value_and_unread_fields():
    table = lift(
        scheme(), firms({"tax": None, "land_mu": 1}, {"tax": 5, "land_mu": 0}), fields=["land_mu", "tax"]
    )
    assert [r["field"] for r in rows_of(table, 1)] == ["land_mu", "tax"]  # the order given
    assert one(table, 1)["reason"] == NO_CURRENT and one(table, 1)["current"] is None
    assert one(table, 2, "land_mu")["reason"] == NO_CURRENT


def test_a_mixed_column_is_refused():
    more = (
        "  - {id: r, label: 研发强度, numerator: rd, denominator: tax, weight: 10, benchmark: {fixed: 0.1}}\n"
    )
    table = lift(scheme(more=more), firms({"tax": 5, "land_mu": 1, "rd": 0.1}))
    mixed = one(table, 1)
    assert (mixed["direction"], mixed["value"], mixed["reason"]) == (None, None, MIXED)
    assert one(table, 1, "rd")["direction"] == "增加"


def test_inverse_indicator():
    group = one_group(
        "indicators:\n  - {id: e, label: 单位能耗, numerator: energy_tce, denominator: value_added, weight: 100,"
        " scoring: inverse, cap: 2, benchmark: {fixed: 1}}\nclassify: {thresholds: {A: 150, B: 100, C: 60}}\n"
    )
    table = lift(group, firms({"energy_tce": 4, "value_added": 2}))  # 1 / 2 × 100 = 50 → D
    energy, value_added = rows_of(table, 1)
    assert (energy["field"], energy["direction"]) == ("energy_tce", "减少")
    assert energy["value"] == pytest.approx(4 * 0.5 / 0.6, rel=1e-9)  # energy / 2 = 1 / 0.6
    assert (value_added["direction"], value_added["value"]) == ("增加", pytest.approx(2.4, rel=1e-9))


def test_minmax_keeps_the_others_min_and_max_fixed():
    group = one_group(
        "indicators:\n  - {id: m, label: 亩均税收, numerator: tax, denominator: land_mu, weight: 100,"
        " scoring: minmax}\nclassify: {thresholds: {A: 101, B: 80, C: 40}}\n"
    )
    data = firms({"tax": 0, "land_mu": 1}, {"tax": 2, "land_mu": 1}, {"tax": 10, "land_mu": 1})
    table = lift(group, data)
    # score = 10 × tax with min 0, max 10 held: firm 2 (20, D) needs 40 → tax 4
    assert one(table, 2)["value"] == pytest.approx(4, rel=1e-9)
    # above the max the score stays at 100: A (101) cannot be reached
    assert one(table, 3)["reason"] == CAPPED
    assert one(table, 1)["reason"] == NO_CURRENT  # 0 is not a usable current value


def test_unknown_or_unused_fields_are_refused():
    with pytest.raises(InputError, match="未知的列「taxx」"):
        lift(scheme(), firms({"tax": 5, "land_mu": 1}), fields=["taxx"])
    with pytest.raises(InputError, match="不使用列"):
        lift(scheme(), firms({"tax": 5, "land_mu": 1}), fields=["water"])


def test_simulation_with_the_lifted_value_reaches_the_target_class():
    data = firms(*({"tax": t, "land_mu": 1} for t in range(1, 11)))
    base = Baseline(scheme(QUOTA), data)
    row = one(base.lift(), 7)
    same, _ = base.simulate(code(7), {})
    assert same.final_class == "B" and same.total == pytest.approx(70)
    lifted, table = base.simulate(code(7), {"tax": row["value"]})
    assert lifted.final_class == "A" and lifted.rank == 2
    assert table.height == 0  # A is the best class
    short, _ = base.simulate(code(7), {"tax": row["value"] * 0.999})
    assert short.final_class == "B"


# ---------------------------------------------------------------- the command


def _data(tmp_path):
    path = tmp_path / "企业.csv"
    rows = "".join(f"{code(n)},{t},1\n" for n, t in enumerate((5, 9, 20), start=1))
    path.write_text("统一社会信用代码,评价税收（万元）,用地面积（亩）\n" + rows, encoding="utf-8")
    scheme_path = tmp_path / "方案.yaml"
    scheme_path.write_text(scheme().text, encoding="utf-8")
    return path, scheme_path


def test_cli_writes_csv_with_english_headers_and_xlsx_with_chinese(tmp_path, capsys):
    from zhuanxing.cli import main

    data, scheme_path = _data(tmp_path)
    out = tmp_path / "测算.csv"
    assert main(["zx", "lift", "--scheme", str(scheme_path), "--input", str(data), "--output", str(out)]) == 0
    table = pl.read_csv(out)
    assert table.columns[:3] == ["uscc", "field", "direction"]
    assert table.height == 4 and table.get_column("value")[0] == pytest.approx(8, rel=1e-9)
    xlsx = tmp_path / "测算.xlsx"
    args = ["zx", "lift", "--scheme", str(scheme_path), "--input", str(data), "--output", str(xlsx)]
    assert main([*args, "--fields", "tax"]) == 0
    headers = pl.read_excel(xlsx).columns
    assert headers == [
        "统一社会信用代码",
        "指标字段",
        "方向",
        "当前值",
        "目标等级",
        "目标得分",
        "所需值",
        "变化量",
        "说明",
    ]
    assert "结果已写入" in capsys.readouterr().out


def test_cli_refuses_an_unknown_field_and_writes_nothing(tmp_path, capsys):
    from zhuanxing.cli import main

    data, scheme_path = _data(tmp_path)
    out = tmp_path / "测算.parquet"
    args = ["zx", "lift", "--scheme", str(scheme_path), "--input", str(data), "--output", str(out)]
    assert main([*args, "--fields", "tax,taxx"]) == 1
    assert "未知的列「taxx」" in capsys.readouterr().err and not out.exists()
    bad = tmp_path / "坏.csv"
    bad.write_text(f"统一社会信用代码,评价税收,用地面积\n{code(1)},很多,1\n", encoding="utf-8")
    assert main(["zx", "lift", "--scheme", str(scheme_path), "--input", str(bad), "--output", str(out)]) == 1
    assert "应为数字" in capsys.readouterr().err and not out.exists()
