"""Data errors: all found at once, each with its file and spreadsheet row (header = row 1)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from zhuanxing.awards import DataError, compute_awards, read_inputs

from .conftest import E1, E2, app, enterprise, make_policy

POLICY = """\
clauses:
  - id: x
    label: 甲
    fields: [{id: amount, label: 金额, unit: 万元}, {id: done, label: 完成日期, type: date}]
    award: {type: percentage, base: amount, rate: 1}
"""


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def messages(error: DataError) -> list[str]:
    return [str(p) for p in error.problems]


def test_every_data_error_is_reported_at_once_with_rows(tmp_path: Path):
    facts = write(
        tmp_path / "facts.csv",
        "统一社会信用代码,规模,高新技术企业,研发经费（万元）,销售收入\n"
        f"{E1},规上,是,500,1000\n"
        f"{E1},规上,否,abc,1000\n"
        f"{E2},规上,也许,500,1000\n",
    )
    apps = write(
        tmp_path / "apps.csv",
        "申报编号,统一社会信用代码,条款,年度,提交日期,金额（万元）,完成日期\n"
        f"A,{E1},x,2024,2024-03-01,10,\n"
        f"A,{E1},x,2024,2024-03-01,10,\n"
        f"B,{E2[:-1]}0,x,2024,2024-03-01,10,\n"
        f"C,{E1},nope,2024,2024-03-01,10,\n"
        f"D,{E1},x,2023,2024-03-01,10,\n"
        f"F,{E1},x,2024,2024-02-30,10,\n"
        f"G,{E1},x,2024,2024-03-01,十,2024/13/1\n",
    )
    with pytest.raises(DataError) as caught:
        read_inputs(make_policy(POLICY), facts, apps)
    found = messages(caught.value)
    expected = [
        ("facts.csv：第3行", "统一社会信用代码", "与第2行重复"),
        ("facts.csv：第3行", "研发经费", "应为数字"),
        ("facts.csv：第4行", "高新技术企业", "应为是/否"),
        ("apps.csv：第3行", "申报编号", "与第2行重复"),
        ("apps.csv：第4行", "统一社会信用代码", "企业数据中没有"),
        ("apps.csv：第5行", "条款", "未知的条款"),
        ("apps.csv：第6行", "年度", "2024"),
        ("apps.csv：第7行", "提交日期", "无法识别的日期"),
        ("apps.csv：第8行", "金额", "应为数字"),
        ("apps.csv：第8行", "完成日期", "无法识别的日期"),
    ]
    for where, column, reason in expected:
        assert any(m.startswith(where) and column in m and reason in m for m in found), (where, found)
    assert len(found) == len(expected)


def test_a_declared_fact_column_missing(tmp_path: Path):
    facts = write(tmp_path / "facts.csv", f"uscc,scale,high_tech,rd\n{E1},规上,是,5\n")
    apps = write(tmp_path / "apps.csv", f"id,uscc,clause,year,submitted,amount\nA,{E1},x,2024,2024-03-01,1\n")
    with pytest.raises(DataError) as caught:
        read_inputs(make_policy(POLICY), facts, apps)
    assert messages(caught.value) == ["facts.csv：缺少必需的列「销售收入」（sales）"]


def test_missing_files_are_reported_together(tmp_path: Path):
    with pytest.raises(DataError) as caught:
        read_inputs(make_policy(POLICY), tmp_path / "f.csv", tmp_path / "a.xlsx")
    assert messages(caught.value) == ["f.csv：文件不存在：f.csv", "a.xlsx：文件不存在：a.xlsx"]


def test_gbk_csv_and_headers_by_id_or_label_with_unit(tmp_path: Path):
    facts = write(
        tmp_path / "facts.csv",
        f"统一社会信用代码,规模,高新技术企业,研发经费(万元),sales\n{E1},规上,是,1,500\n",
        encoding="gbk",
    )
    apps = write(
        tmp_path / "apps.csv",
        f"ID,统一社会信用代码,条款,year,提交日期,金额 (万元),项目编号\nA,{E1},x,2024,2024年3月1日,12.5,P\n",
        encoding="gbk",
    )
    facts_table, applications = read_inputs(make_policy(POLICY), facts, apps)
    row = applications.frame.row(0, named=True)
    assert (row["project"], row["amount"], row["submitted"]) == ("P", Decimal("12.5"), dt.date(2024, 3, 1))
    assert facts_table.frame.get_column("rd").to_list()[0] == 1


def test_rows_from_the_platform_are_checked_the_same_way():
    policy = make_policy(POLICY)
    with pytest.raises(DataError) as caught:
        compute_awards(
            policy, [enterprise(E1)], [app("A", "x", amount="-5"), app("B", "x", amount="1", year=2030)]
        )
    found = messages(caught.value)
    assert "申报数据：第2行，「金额」列，值「-5」：不能为负数" in found
    assert any(m.startswith("申报数据：第3行，「年度」列") for m in found)


def test_no_applications_give_no_results():
    assert compute_awards(make_policy(POLICY), [enterprise(E1)], []) == []


def test_blank_spacer_rows_are_skipped_and_rows_still_match_the_sheet(tmp_path: Path):
    facts = write(tmp_path / "facts.csv", f"uscc,scale,high_tech,rd,sales\n,,,,\n{E1},规上,是,5,100\n")
    apps = write(
        tmp_path / "apps.csv",
        "id,uscc,clause,year,submitted,amount\n"
        f"A,{E1},x,2024,2024-03-01,1\n"
        ",,,,,\n"
        f"B,{E1},x,2024,2024-03-01,很多\n",
    )
    with pytest.raises(DataError) as caught:
        read_inputs(make_policy(POLICY), facts, apps)
    assert messages(caught.value) == ["apps.csv：第4行，「金额」列，值「很多」：应为数字"]
