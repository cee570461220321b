"""``zhuanxing evaluate``, ``schemes`` and ``scheme-check``: files in and out; errors in
Chinese on stderr, a non-zero exit and nothing written."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from zhuanxing.cli import main
from zhuanxing.scoring.cli import evaluate, scheme_check, schemes

from .conftest import code

HEADER = "统一社会信用代码,企业名称,规模,用地面积（亩）,评价税收（万元）,工业增加值,综合能耗,主要污染物排放量,年平均职工人数,研发经费,主营业务收入,用电量\n"
ROWS = [
    f"{code(1)},甲公司,规上,50,1500,6000,2500,1.2,300,600,30000,\n",
    f"{code(2)},乙公司,规下,2,10,,,,,,,5\n",  # under 3 亩: in no 黄岩 group
    f"{code(3)},丙公司,规下,4,46.3728,,,,,,,197.12\n",
]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "企业.csv"
    path.write_text(HEADER + "".join(ROWS), encoding="utf-8")
    return path


def test_evaluate_writes_parquet_with_english_ids_and_summarises(data, tmp_path, capsys):
    output = tmp_path / "结果.parquet"
    assert evaluate(["--scheme", "huangyan-2022", "--input", str(data), "--output", str(output)]) == 0
    result = pl.read_parquet(output)
    assert result.get_column("uscc").to_list() == [code(1), code(3)]
    assert round(result.get_column("total")[0], 3) == 100.583
    summary = capsys.readouterr().out
    assert "输入 3 行，评价 2 家企业，1 行不属于任何评价组或为空行" in summary
    assert f"结果已写入 {output}" in summary


def test_evaluate_reads_gbk_csv_and_writes_xlsx_with_chinese_headers(data, tmp_path):
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(data.read_text(encoding="utf-8").encode("gbk"))
    output = tmp_path / "结果.xlsx"
    assert evaluate(["--scheme", "huangyan-2022", "--input", str(gbk), "--output", str(output)]) == 0
    result = pl.read_excel(output)
    assert result.columns[:4] == ["统一社会信用代码", "企业名称", "评价组", "亩均税收指标值"]
    assert result.get_column("企业名称").to_list() == ["甲公司", "丙公司"]


def test_the_top_level_command_dispatches_and_zhenhai_is_the_default_scheme(tmp_path, capsys):
    data = tmp_path / "in.csv"
    data.write_text(
        "uscc,scale,land_mu,tax,social_insurance,sales,value_added,employees,energy_tce,emission_rights,emissions,founded,major_accident\n"
        f"{code(1)},规上,10,100,20,1000,300,30,60,2,1,2000-01-01,否\n",
        encoding="utf-8",
    )
    output = tmp_path / "out.csv"
    assert main(["zhuanxing", "evaluate", "--input", str(data), "--output", str(output)]) == 0
    assert "镇海区工业企业绩效评价" in capsys.readouterr().out
    assert pl.read_csv(output).get_column("group").to_list() == ["above"]


def test_input_errors_are_listed_on_stderr_and_nothing_is_written(tmp_path, capsys):
    data = tmp_path / "in.csv"
    data.write_text(f"统一社会信用代码,评价税收,用地面积\n{code(1)},十,1\n{code(1)},1,1\n", encoding="utf-8")
    output = tmp_path / "out.xlsx"
    scheme = tmp_path / "s.yaml"
    scheme.write_text(
        "id: s\nname: 测试\nyear: 2022\ngroups:\n  - id: g\n    classify: {quota: {A: 0.2}}\n"
        "    indicators: [{id: t, label: 亩均税收, numerator: tax, denominator: land_mu, weight: 1, benchmark: {fixed: 1}}]\n",
        encoding="utf-8",
    )
    assert evaluate(["--scheme", str(scheme), "--input", str(data), "--output", str(output)]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "输入数据有误（共 2 处），未写出任何文件：",
        "  第2行，「评价税收」列，值「十」：应为数字",
        f"  第3行，「统一社会信用代码」列，值「{code(1)}」：统一社会信用代码重复（与第2行相同）",
    ]
    assert sorted(tmp_path.iterdir()) == sorted([data, scheme])


def test_a_benchmark_error_writes_nothing(tmp_path, capsys):
    data = tmp_path / "in.csv"
    data.write_text(f"uscc,tax,land_mu\n{code(1)},-1,1\n", encoding="utf-8")
    scheme = tmp_path / "s.yaml"
    scheme.write_text(
        "id: s\nname: 测试\nyear: 2022\ngroups:\n  - id: g\n    classify: {quota: {A: 0.2}}\n"
        "    indicators: [{id: t, label: 亩均税收, numerator: tax, weight: 1, benchmark: {mean: {}}}]\n",
        encoding="utf-8",
    )
    output = tmp_path / "out.csv"
    assert evaluate(["--scheme", str(scheme), "--input", str(data), "--output", str(output)]) == 1
    assert "无法完成评价（共 1 处），未写出任何文件：" in capsys.readouterr().err
    assert not output.exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--input", "x.csv", "--output", "out.txt"], "不支持的输出文件类型「.txt」"),
        (["--input", "x.csv", "--output", "/no/such/dir/out.csv"], "输出目录不存在"),
        (["--input", "nothing.csv", "--output", "{tmp}/out.csv"], "文件不存在：nothing.csv"),
        (["--scheme", "nope", "--input", "x.csv", "--output", "{tmp}/out.csv"], "找不到方案「nope」"),
    ],
)
def test_usage_errors_in_chinese(argv, message, tmp_path, capsys):
    argv = [arg.replace("{tmp}", str(tmp_path)) for arg in argv]
    assert evaluate(argv) != 0
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out.csv").exists()


def test_missing_arguments_are_reported_in_chinese(capsys):
    with pytest.raises(SystemExit) as exited:
        evaluate(["--input", "x.csv"])
    assert exited.value.code == 2
    assert "参数错误：" in capsys.readouterr().err


def test_schemes_lists_the_shipped_schemes_and_marks_the_default(capsys):
    assert schemes([]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[0] for line in lines] == ["huangyan-2022", "linhai-2014", "zhenhai-2014"]
    assert "（默认）" in lines[2]


def test_scheme_check_passes_a_good_scheme_and_lists_its_input_columns(capsys):
    assert scheme_check(["zhenhai-2014"]) == 0
    out = capsys.readouterr().out
    assert "校验通过：2 个评价组，7 个指标" in out
    assert "社保费（social_insurance）" in out


def test_scheme_check_names_the_key_path_of_each_problem(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "id: bad\nname: 坏方案\nyear: 2022\ngroups:\n  - id: g\n    classify: {quota: {A: 0.2}}\n"
        "    indicators:\n      - {id: t, label: x, numerator: taxes, weight: 1, benchmark: {fixed: 1}}\n",
        encoding="utf-8",
    )
    assert scheme_check([str(path)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "评价方案有误（共 1 处）：",
        "  groups[0].indicators[0].numerator：未知的列「taxes」",
    ]
