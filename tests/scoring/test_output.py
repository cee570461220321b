"""The output: columns and their order, input order, and the three file formats."""

from __future__ import annotations

import polars as pl
import pytest

from zhuanxing.scoring import evaluate, output_schema, write_output

from .conftest import code, firms, make_scheme

SCHEME = make_scheme(
    """\
    groups:
      - id: above
        label: 规上
        population: "scale = '规上'"
        indicators:
          - {id: tax_per_mu, label: 亩均税收, numerator: tax, denominator: land_mu, weight: 70, benchmark: {fixed: 3}}
          - {id: sales_per_mu, label: 亩均销售, numerator: sales, denominator: land_mu, weight: 30, benchmark: {fixed: 7}}
        adjustments: [{label: 高新技术企业加分, when: high_tech, points: 3}]
        classify: {quota: {A: 0.5}}
      - id: below
        label: 规下
        population: "scale = '规下'"
        indicators:
          - {id: tax_per_mu, label: 亩均税收, numerator: tax, denominator: land_mu, weight: 60, benchmark: {fixed: 2}}
          - {id: tax_per_kwh, label: 单位电耗税收, numerator: tax, denominator: electricity, weight: 40, benchmark: {fixed: 1}}
        classify: {thresholds: {A: 90, B: 60, C: 30}}
    """
)
ROWS = [
    {
        "name": "甲",
        "scale": "规下",
        "tax": 10.0,
        "land_mu": 3.0,
        "sales": 9.0,
        "electricity": 7.0,
        "high_tech": False,
    },
    {
        "name": "乙",
        "scale": "规上",
        "tax": 10.0,
        "land_mu": 3.0,
        "sales": 9.0,
        "electricity": 7.0,
        "high_tech": True,
    },
    {
        "name": "丙",
        "scale": None,
        "tax": 1.0,
        "land_mu": 1.0,
        "sales": 1.0,
        "electricity": 1.0,
        "high_tech": False,
    },
    {
        "name": "丁",
        "scale": "规上",
        "tax": 1.0,
        "land_mu": 3.0,
        "sales": 9.0,
        "electricity": 7.0,
        "high_tech": False,
    },
]
COLUMNS = [
    "uscc", "name", "group",
    "tax_per_mu_value", "tax_per_mu_benchmark", "tax_per_mu_score",
    "sales_per_mu_value", "sales_per_mu_benchmark", "sales_per_mu_score",
    "tax_per_kwh_value", "tax_per_kwh_benchmark", "tax_per_kwh_score",
    "adjustment", "total", "rank", "percentile", "initial_class", "final_class", "exempt", "reasons",
]  # fmt: skip


@pytest.fixture(scope="module")
def result() -> pl.DataFrame:
    return evaluate(SCHEME, firms(*ROWS))


def test_columns_in_the_contract_order_an_indicator_shared_by_groups_once(result):
    assert result.columns == COLUMNS
    assert list(output_schema(SCHEME)) == COLUMNS


def test_one_row_per_evaluated_enterprise_in_input_order(result):
    assert result.get_column("uscc").to_list() == [code(1), code(2), code(4)]
    assert result.get_column("name").to_list() == ["甲", "乙", "丁"]
    assert result.get_column("group").to_list() == ["below", "above", "above"]


def test_an_indicator_of_another_group_is_empty(result):
    first = result.row(0, named=True)
    assert first["tax_per_mu_value"] == pytest.approx(10 / 3)
    assert first["tax_per_mu_benchmark"] == 2.0
    assert first["sales_per_mu_value"] is None and first["sales_per_mu_score"] is None
    assert first["tax_per_kwh_score"] == pytest.approx(10 / 7 * 40)


def test_the_types_of_the_fixed_columns(result):
    assert result.schema["rank"] == pl.Int64
    assert result.schema["exempt"] == pl.Boolean
    assert result.schema["percentile"] == pl.Float64
    assert result.get_column("reasons").to_list() == ["", "高新技术企业加分", ""]


def test_csv_and_parquet_keep_english_ids_and_full_precision(result, tmp_path):
    write_output(result, tmp_path / "out.csv", SCHEME)
    write_output(result, tmp_path / "out.parquet", SCHEME)
    from_csv = pl.read_csv(tmp_path / "out.csv", infer_schema_length=0)
    assert from_csv.columns == COLUMNS
    assert [float(x) for x in from_csv.get_column("total")] == result.get_column("total").to_list()
    assert pl.read_parquet(tmp_path / "out.parquet").equals(result)


def test_xlsx_uses_chinese_headers(result, tmp_path):
    write_output(result, tmp_path / "out.xlsx", SCHEME)
    from_xlsx = pl.read_excel(tmp_path / "out.xlsx")
    assert from_xlsx.columns == [
        "统一社会信用代码", "企业名称", "评价组",
        "亩均税收指标值", "亩均税收基准值", "亩均税收得分",
        "亩均销售指标值", "亩均销售基准值", "亩均销售得分",
        "单位电耗税收指标值", "单位电耗税收基准值", "单位电耗税收得分",
        "加减分", "总分", "排名", "排名百分位", "初评等级", "最终等级", "不评级", "原因",
    ]  # fmt: skip
    # Excel keeps 15 significant digits
    assert from_xlsx.get_column("总分").to_list() == pytest.approx(
        result.get_column("total").to_list(), rel=1e-14
    )


def test_no_enterprise_evaluated_gives_an_empty_result_with_the_columns():
    result = evaluate(SCHEME, firms({"scale": "其他", "tax": 1.0, "land_mu": 1.0}))
    assert result.height == 0 and result.columns == COLUMNS
