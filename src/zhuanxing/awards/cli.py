"""``zhuanxing award``: compute a policy's awards from two spreadsheets, without the site."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from zhuanxing.awards.compute import compute_frame
from zhuanxing.awards.errors import DataError, PolicyError
from zhuanxing.awards.io import check_output_path, read_inputs, write_results
from zhuanxing.awards.policy import load_policy

_DESCRIPTION = "按政策文件计算政策兑现奖励：企业数据 + 申报数据 -> 结果表（.xlsx 或 .csv）。"


_ARGPARSE_WORDS = (
    ("the following arguments are required", "缺少参数"),
    ("unrecognized arguments", "无法识别的参数"),
    ("expected one argument", "需要一个值"),
    ("argument ", "参数 "),
)


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage mistake in Chinese instead of exiting."""

    def error(self, message: str):
        for english, chinese in _ARGPARSE_WORDS:
            message = message.replace(english, chinese)
        raise _UsageError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="zhuanxing award", description=_DESCRIPTION, add_help=True)
    parser.add_argument("--policy", required=True, metavar="POLICY.yaml", help="政策文件（YAML）")
    parser.add_argument(
        "--facts", required=True, metavar="FACTS", help="企业数据：每家企业一行（xlsx/xls/csv/parquet）"
    )
    parser.add_argument("--applications", required=True, metavar="APPS", help="申报数据：每条申报一行")
    parser.add_argument("--output", required=True, metavar="OUT", help="结果文件，.xlsx 或 .csv")
    return parser


def award(argv: list[str]) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except _UsageError as exc:
        print(f"参数有误：{exc}\n", file=sys.stderr)
        parser.print_usage(sys.stderr)
        return 2
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    problem = check_output_path(args.output)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    try:
        policy = load_policy(Path(args.policy))
    except PolicyError as exc:
        _report(f"政策文件 {args.policy} 有 {len(exc.problems)} 处错误：", exc.problems)
        return 1
    try:
        facts, applications = read_inputs(policy, args.facts, args.applications)
        results = compute_frame(policy, facts, applications)
    except DataError as exc:
        _report(f"输入数据有 {len(exc.problems)} 处错误，未生成结果文件：", exc.problems)
        return 1
    try:
        write_results(results, args.output)
    except OSError as exc:
        print(f"无法写入结果文件 {args.output}：{exc}", file=sys.stderr)
        return 1
    computed, awarded = (results.get_column(column).sum() for column in ("computed", "awarded"))
    print(
        f"已计算 {results.height} 条申报：计算额合计 {computed} 万元，核定额合计 {awarded} 万元；结果：{args.output}"
    )
    return 0


def _report(title: str, problems) -> None:
    print(title, file=sys.stderr)
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
