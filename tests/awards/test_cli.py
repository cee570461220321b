"""``zhuanxing award`` end to end: files in, .csv or .xlsx out; errors to stderr, nothing written."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest

from zhuanxing.awards.cli import award
from zhuanxing.cli import main
from zhuanxing.tabular import read_table

from .conftest import E1, E2, HEADER

POLICY = (
    HEADER
    + """\
budget: 100
clauses:
  - id: tech
    label: 技术改造
    eligible: "scale = '规上'"
    fields: [{id: equipment, label: 设备投资额, unit: 万元, required: true}]
    award: {type: percentage, base: equipment, rate: 0.06, cap: 200, uplifts: [{when: high_tech, rate: 0.08}]}
  - id: team
    label: 创新团队
    award: {type: fixed, amount: 20}
"""
)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {
        "policy": tmp_path / "policy.yaml",
        "facts": tmp_path / "facts.csv",
        "applications": tmp_path / "apps.csv",
    }
    paths["policy"].write_text(POLICY, encoding="utf-8")
    paths["facts"].write_text(
        f"统一社会信用代码,规模,高新技术企业,研发经费,销售收入\n{E1},规上,是,500,1000\n{E2},规下,否,,\n",
        encoding="utf-8",
    )
    paths["applications"].write_text(
        "申报编号,统一社会信用代码,条款,年度,提交日期,设备投资额（万元）\n"
        f"T-2,{E1},tech,2024,2024-03-01,1000\n"
        f"T-1,{E2},tech,2024,2024-03-01,1000\n"
        f"T-3,{E1},team,2024,2024-03-02,\n",
        encoding="utf-8",
    )
    return paths


def argv(files: dict[str, Path], output: Path) -> list[str]:
    return [
        "--policy", str(files["policy"]),
        "--facts", str(files["facts"]),
        "--applications", str(files["applications"]),
        "--output", str(output),
    ]  # fmt: skip


# T-2: 1000 × 0.08 = 80; T-3: 20; sum 100 = budget: no scaling. T-1: 规下, not eligible.
EXPECTED = [
    ["T-2", E1, "tech", "80.00", "80.00", ""],
    ["T-1", E2, "tech", "0.00", "0.00", "技术改造不符合申报条件"],
    ["T-3", E1, "team", "20.00", "20.00", ""],
]


def test_csv_output_in_input_order(files, tmp_path: Path, capsys):
    output = tmp_path / "out.csv"
    assert award(argv(files, output)) == 0
    with output.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["id", "uscc", "clause", "computed", "awarded", "reasons"]
    assert rows[1:] == EXPECTED
    assert "已计算 3 条申报" in capsys.readouterr().out


def test_xlsx_output_keeps_amounts_as_two_place_text(files, tmp_path: Path):
    output = tmp_path / "out.xlsx"
    assert award(argv(files, output)) == 0
    frame = pl.read_excel(output, infer_schema_length=0)
    assert frame.columns == ["id", "uscc", "clause", "computed", "awarded", "reasons"]
    assert frame.get_column("computed").to_list() == ["80.00", "0.00", "20.00"]


def test_xlsx_input(files, tmp_path: Path):
    read_table(files["applications"]).write_excel(tmp_path / "apps.xlsx")
    files["applications"] = tmp_path / "apps.xlsx"
    output = tmp_path / "out.csv"
    assert award(argv(files, output)) == 0
    assert read_table(output).get_column("awarded").to_list() == ["80.00", "0.00", "20.00"]


def test_the_zhuanxing_command_dispatches_award(files, tmp_path: Path):
    output = tmp_path / "out.csv"
    assert main(["zhuanxing", "award", *argv(files, output)]) == 0
    assert output.exists()


def test_data_errors_go_to_stderr_and_nothing_is_written(files, tmp_path: Path, capsys):
    files["applications"].write_text(
        f"申报编号,统一社会信用代码,条款,年度,提交日期,设备投资额\nA,{E1},tech,2024,2024-03-01,很多\n",
        encoding="utf-8",
    )
    output = tmp_path / "out.csv"
    output.write_text("previous results", encoding="utf-8")
    assert award(argv(files, output)) == 1
    err = capsys.readouterr().err
    assert "输入数据有 1 处错误" in err and "apps.csv：第2行，「设备投资额」列，值「很多」：应为数字" in err
    assert output.read_text(encoding="utf-8") == "previous results"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_policy_errors_go_to_stderr_with_key_path(files, tmp_path: Path, capsys):
    files["policy"].write_text(POLICY.replace("type: fixed", "type: lump_sum"), encoding="utf-8")
    output = tmp_path / "out.xlsx"
    assert award(argv(files, output)) == 1
    assert "clauses[1].award.type：未知的奖励类型「lump_sum」" in capsys.readouterr().err
    assert not output.exists()


def test_usage_errors(files, tmp_path: Path, capsys):
    assert award(argv(files, tmp_path / "out.txt")) == 2
    assert "输出文件应为 .xlsx 或 .csv" in capsys.readouterr().err
    assert award(["--policy", "p.yaml"]) == 2
    assert "缺少参数" in capsys.readouterr().err
