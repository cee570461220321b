"""Input: headers, types, and every input error at once with spreadsheet row numbers."""

from __future__ import annotations

import polars as pl
import pytest

from zhuanxing.scoring import InputError, evaluate, load_scheme, read_input
from zhuanxing.scoring.io import uscc_problems
from zhuanxing.uscc import uscc_problem

from .conftest import QUOTA, TAX_PER_MU, code, column, make_scheme, one_group

SCHEME = one_group(TAX_PER_MU + QUOTA)


def problems(frame: pl.DataFrame, scheme=SCHEME) -> list[str]:
    with pytest.raises(InputError) as caught:
        evaluate(scheme, frame)
    return [str(p) for p in caught.value.problems]


def text_frame(header: list[str], *rows: list[str | None]) -> pl.DataFrame:
    """A frame as a spreadsheet reads: every cell text."""
    return pl.DataFrame([list(r) for r in rows], schema=header, orient="row")


def test_chinese_headers_with_units_numbers_as_people_type_them():
    frame = text_frame(["统一社会信用代码", "评价税收（万元）", "用地面积(亩)"], [code(1), "1,500", "50"])
    assert column(evaluate(SCHEME, frame), "t_value") == [30.0]


def test_every_input_error_is_reported_at_once_with_row_numbers():
    wrong_check = code(3)[:17] + ("0" if code(3)[17] != "0" else "1")
    frame = text_frame(
        ["统一社会信用代码", "评价税收"],
        [code(1), "10"],
        [code(2), "十万"],
        [wrong_check, "10"],
        [code(1), "10"],
    )
    assert problems(frame) == [
        "缺少必需的列「用地面积」（land_mu）",
        "第3行，「评价税收」列，值「十万」：应为数字",
        f"第4行，「统一社会信用代码」列，值「{wrong_check}」：统一社会信用代码校验位错误（应为{code(3)[17]}）",
        f"第5行，「统一社会信用代码」列，值「{code(1)}」：统一社会信用代码重复（与第2行相同）",
    ]


def test_an_empty_credit_code_is_an_error_and_the_credit_code_column_is_required():
    frame = text_frame(["统一社会信用代码", "评价税收", "用地面积"], [None, "1", "1"])
    assert problems(frame) == ["第2行，「统一社会信用代码」列：统一社会信用代码为空"]
    assert problems(frame.drop("统一社会信用代码")) == ["缺少必需的列「统一社会信用代码」（uscc）"]


def test_a_column_given_twice_is_an_error():
    frame = text_frame(["统一社会信用代码", "tax", "评价税收（万元）", "land_mu"], [code(1), "1", "1", "1"])
    assert problems(frame) == ["第1行，「评价税收（万元）」列：与「tax」重复"]


def test_yes_no_cells_and_a_bad_one():
    scheme = one_group(TAX_PER_MU + QUOTA + "\nadjustments: [{label: 高新, when: high_tech, points: 1}]")
    header = ["uscc", "tax", "land_mu", "高新技术企业"]
    good = text_frame(
        header, *([code(n), "1", "1", word] for n, word in enumerate(["是", "否", "true", "0"], 1))
    )
    assert column(evaluate(scheme, good), "adjustment") == [1.0, 0.0, 1.0, 0.0]
    bad = text_frame(header, [code(1), "1", "1", "也许"])
    assert problems(bad, scheme) == ["第2行，「高新技术企业」列，值「也许」：应为是/否"]


def test_empty_cells_are_nulls():
    frame = text_frame(["uscc", "tax", "land_mu"], [code(1), None, "2"])
    assert column(evaluate(SCHEME, frame), "t_value") == [None]


def test_industry_is_text_keeping_leading_zeros_and_a_numeric_code_gets_its_zero_back():
    scheme = one_group(
        TAX_PER_MU + QUOTA + "\nadjustments: [{label: 采矿, when: \"industry_division = '06'\", points: 1}]"
    )
    as_text = text_frame(["uscc", "tax", "land_mu", "行业代码"], [code(1), "1", "1", "0610"])
    as_number = pl.DataFrame({"uscc": [code(1)], "tax": [1.0], "land_mu": [1.0], "industry": [610]})
    assert column(evaluate(scheme, as_text), "adjustment") == [1.0]
    assert column(evaluate(scheme, as_number), "adjustment") == [1.0]


def test_typed_columns_are_taken_as_they_are_and_nan_counts_as_empty():
    frame = pl.DataFrame({"uscc": [code(1), code(2)], "tax": [3, 4], "land_mu": [1.5, float("nan")]})
    assert column(evaluate(SCHEME, frame), "t_value") == [2.0, None]


def test_a_column_only_a_group_without_members_uses_is_not_required():
    scheme = load_scheme("huangyan-2022")  # the 规下 group needs 用电量
    rows = {"uscc": [code(1)], "scale": ["规上"], "land_mu": [50.0], "tax": [1.0], "value_added": [1.0]}
    rows |= {"energy_tce": [1.0], "emissions": [1.0], "employees": [1.0], "rd": [1.0], "revenue": [1.0]}
    assert evaluate(scheme, pl.DataFrame(rows)).height == 1
    below = pl.DataFrame(rows | {"scale": ["规下"]})
    assert problems(below, scheme) == ["缺少必需的列「用电量」（electricity）"]


def test_population_columns_are_required():
    scheme = make_scheme(
        "groups:\n  - id: g\n    population: \"scale = '规上'\"\n"
        "    indicators: [{id: t, label: x, numerator: tax, weight: 1, benchmark: {fixed: 1}}]\n    " + QUOTA
    )
    assert problems(pl.DataFrame({"uscc": [code(1)], "tax": [1.0]}), scheme) == [
        "缺少必需的列「规模」（scale）"
    ]


def test_the_fast_credit_code_check_agrees_with_uscc_problem():
    good = [code(n) for n in range(1, 40)]
    mutated = []
    for n, valid in enumerate(good):
        position, replacement = n % 18, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZa中 "[n % 39]
        mutated.append(valid[:position] + replacement + valid[position + 1 :])
    odd = ["", "91330211MA2000001", "91330211MA20000011X", "中" * 6, "9133021IMA2000001X", None]
    codes = good + mutated + odd
    found = uscc_problems(pl.Series(codes, dtype=pl.String))
    reported = {p.row - 2 for p in found if "重复" not in p.reason}
    assert reported == {i for i, c in enumerate(codes) if uscc_problem(c) is not None}


def test_a_blank_row_in_between_is_skipped_and_later_rows_keep_their_spreadsheet_numbers(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text(
        f"uscc,tax,land_mu\n{code(1)},1,1\n,,\n{code(2)},十,1\n{code(3)},2,1\n,,\n", encoding="utf-8"
    )
    frame = read_input(path)
    assert problems(frame) == ["第4行，「评价税收」列，值「十」：应为数字"]
    fixed = frame.with_columns(pl.col("tax").replace("十", "10"))
    assert column(evaluate(SCHEME, fixed), "uscc") == [code(1), code(2), code(3)]
