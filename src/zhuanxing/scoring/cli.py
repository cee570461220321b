"""``zhuanxing evaluate``, ``lift``, ``schemes`` and ``scheme-check``.

Each takes the arguments after the command name and returns the exit status.
Problems go to stderr in Chinese, all at once, and nothing is written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import polars as pl

from zhuanxing.scoring.columns import INPUT_LABELS
from zhuanxing.scoring.engine import evaluate as evaluate_frame
from zhuanxing.scoring.errors import EvaluationError, InputError, SchemeError
from zhuanxing.scoring.io import WRITABLE_SUFFIXES, read_input, write_lift, write_output
from zhuanxing.scoring.lift import check_fields
from zhuanxing.scoring.lift import lift as lift_frame
from zhuanxing.scoring.scheme import DEFAULT_SCHEME, Scheme, load_scheme, shipped_scheme_ids, shipped_schemes

_HEADINGS = {
    SchemeError: "评价方案有误",
    InputError: "输入数据有误",
    EvaluationError: "无法完成评价",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"参数错误：{message}\n")


def _report(exc: SchemeError | InputError | EvaluationError, note: str = "") -> int:
    print(f"{_HEADINGS[type(exc)]}（共 {len(exc.problems)} 处）{note}：", file=sys.stderr)
    for problem in exc.problems:
        print(f"  {problem}", file=sys.stderr)
    return 1


def evaluate(argv: list[str]) -> int:
    parser = _Parser(
        prog="zhuanxing evaluate",
        description="亩均效益综合评价：按评价方案对企业数据计算指标、得分、排名和等级。",
    )
    parser.add_argument(
        "--scheme", default=DEFAULT_SCHEME, help=f"内置方案编号或方案 YAML 文件（默认 {DEFAULT_SCHEME}）"
    )
    parser.add_argument(
        "--input", required=True, help="企业数据：.xlsx、.xls、.csv（UTF-8 或 GBK）或 .parquet"
    )
    parser.add_argument("--output", required=True, help="评价结果：.xlsx（中文表头）、.csv 或 .parquet")
    args = parser.parse_args(argv)
    output = Path(args.output)
    if output.suffix.lower() not in WRITABLE_SUFFIXES:
        print(f"不支持的输出文件类型「{output.suffix}」，请使用 xlsx、csv 或 parquet", file=sys.stderr)
        return 2
    if not output.parent.is_dir():
        print(f"输出目录不存在：{output.parent}", file=sys.stderr)
        return 2
    try:
        scheme = load_scheme(args.scheme)
        frame = read_input(args.input)
        result = evaluate_frame(scheme, frame)
    except (SchemeError, InputError, EvaluationError) as exc:
        return _report(exc, "，未写出任何文件")
    try:
        write_output(result, output, scheme)
    except OSError as exc:
        print(f"无法写出结果文件「{output}」：{exc.strerror or exc}", file=sys.stderr)
        return 1
    print(_summary(scheme, frame.height, result, output))
    return 0


def lift(argv: list[str]) -> int:
    parser = _Parser(
        prog="zhuanxing lift",
        description="模拟测算：每家未达最高等级的企业，单项数据达到多少可升一个等级（其余企业和基准值不变）。",
    )
    parser.add_argument(
        "--scheme", default=DEFAULT_SCHEME, help=f"内置方案编号或方案 YAML 文件（默认 {DEFAULT_SCHEME}）"
    )
    parser.add_argument("--input", required=True, help="企业数据：.xlsx、.xls、.csv 或 .parquet")
    parser.add_argument("--output", required=True, help="测算结果：.xlsx（中文表头）、.csv 或 .parquet")
    parser.add_argument("--fields", help="要测算的列，逗号分隔（默认：企业所在评价组的指标用到的每一列）")
    args = parser.parse_args(argv)
    output = Path(args.output)
    if output.suffix.lower() not in WRITABLE_SUFFIXES:
        print(f"不支持的输出文件类型「{output.suffix}」，请使用 xlsx、csv 或 parquet", file=sys.stderr)
        return 2
    if not output.parent.is_dir():
        print(f"输出目录不存在：{output.parent}", file=sys.stderr)
        return 2
    fields = None
    if args.fields is not None:
        fields = [f.strip() for f in args.fields.replace("，", ",").split(",") if f.strip()]
    try:
        scheme = load_scheme(args.scheme)
        if fields is not None:
            fields = check_fields(scheme, fields)
        table = lift_frame(scheme, read_input(args.input), fields)
    except (SchemeError, InputError, EvaluationError) as exc:
        return _report(exc, "，未写出任何文件")
    try:
        write_lift(table, output)
    except OSError as exc:
        print(f"无法写出结果文件「{output}」：{exc.strerror or exc}", file=sys.stderr)
        return 1
    reached = table.filter(pl.col("value").is_not_null()).height
    print(f"方案：{scheme.name}（{scheme.id}）")
    print(
        f"测算 {table.get_column('uscc').n_unique()} 家企业、{table.height} 项，其中 {reached} 项可求出所需值"
    )
    print(f"结果已写入 {output}")
    return 0


def _summary(scheme: Scheme, input_rows: int, result: pl.DataFrame, output: Path) -> str:
    lines = [f"方案：{scheme.name}（{scheme.id}）"]
    skipped = input_rows - result.height
    lines.append(f"输入 {input_rows} 行，评价 {result.height} 家企业，{skipped} 行不属于任何评价组或为空行")
    for group in scheme.groups:
        members = result.filter(result["group"] == group.id)
        if members.height == 0:
            continue
        counts = members["final_class"].value_counts()
        by_class = dict(zip(counts["final_class"].to_list(), counts["count"].to_list()))
        parts = [f"{code} 类 {by_class.get(code, 0)} 家" for code in scheme.class_codes]
        exempt = int(members["exempt"].sum())
        lines.append(f"  {group.label}：{members.height} 家，" + "，".join(parts) + f"，不评级 {exempt} 家")
    lines.append(f"结果已写入 {output}")
    return "\n".join(lines)


def schemes(argv: list[str]) -> int:
    parser = _Parser(prog="zhuanxing schemes", description="列出内置的评价方案。")
    parser.parse_args(argv)
    try:
        shipped = shipped_schemes()
    except SchemeError as exc:
        return _report(exc)
    for scheme in shipped:
        mark = "（默认）" if scheme.id == DEFAULT_SCHEME else ""
        groups = "、".join(group.label for group in scheme.groups)
        print(f"{scheme.id}\t{scheme.year}\t{scheme.name}{mark}\t评价组：{groups}")
    return 0


def scheme_check(argv: list[str]) -> int:
    parser = _Parser(prog="zhuanxing scheme-check", description="校验评价方案 YAML 文件；问题会指出键路径。")
    parser.add_argument("file", help=f"方案文件，或内置方案编号（{'、'.join(shipped_scheme_ids())}）")
    args = parser.parse_args(argv)
    try:
        scheme = load_scheme(args.file)
    except SchemeError as exc:
        return _report(exc)
    indicator_count = sum(len(group.indicators) for group in scheme.groups)
    columns = "、".join(f"{INPUT_LABELS[c]}（{c}）" for c in scheme.input_columns())
    print(
        f"方案「{scheme.name}」（{scheme.id}）校验通过：{len(scheme.groups)} 个评价组，{indicator_count} 个指标"
    )
    print(f"需要的输入列：{columns}")
    return 0
