"""Benchmark: the award engine (`zhuanxing.awards`) against reading its inputs.

1. 政策兑现 batch: N applications (default 100,000) from 30% as many enterprises across
   20 clauses of every award type, with exclusive groups, per-year limits and a budget
   that is exceeded. Timed in one process, best of --repeat: reading both csv files
   (`read_table`), checking and typing them, computing steps 1–4, writing the csv
   result; then the whole `zhuanxing award` command in a fresh process, and that
   process's start-up alone. The goal is the engine's work within 5× the reading.
2. 免申即享: M enterprises (default 100,000) × 20 `automatic: true` clauses: reading
   the FACTS csv, typing it, and evaluating every clause's eligibility and vetoes.

    .venv/bin/python bench/awards.py
    .venv/bin/python bench/awards.py --applications 20000 --enterprises 20000 --repeat 1
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
import polars as pl

from scoring import credit_codes  # bench/scoring.py: vectorised valid credit codes
from zhuanxing.awards import automatic_matches, compute_frame, load_policy, write_results
from zhuanxing.awards.compute import OVER_BUDGET
from zhuanxing.awards.data import parse_applications, parse_facts
from zhuanxing.tabular import read_table

ZHUANXING = Path(sys.executable).with_name("zhuanxing")
CLAUSE_COUNT = 20

FACTS_HEADER = """\
id: bench
name: 基准测试政策
year: 2024
budget: {budget}
facts:
  scale: {{label: 规模, type: text}}
  high_tech: {{label: 高新技术企业, type: boolean}}
  digital_core: {{label: 数字经济核心制造业, type: boolean}}
  rd: {{label: 研发经费, type: number}}
  sales: {{label: 营业收入, type: number}}
"""
RD_VETO = """veto: [{label: 研发投入未达标, when: "scale = '规上' AND rd < 100 AND rd < 0.02 * sales"}]"""
LEVELS = {"区级": 5, "市级": 10, "省级": 50, "国家级": 200}


def batch_policy(budget: int) -> str:
    """20 clauses: 4 of each award type, exclusive groups and annual limits."""
    clauses = []
    for n in range(4):
        clauses.append(
            f"""\
  - id: pct-{n}
    label: 技改{n}
    eligible: "scale = '规上'"
    fields: [{{id: investment, label: 投资额, unit: 万元, required: true}}]
    award: {{type: percentage, base: investment, rate: 0.06, min_base: 200, cap: 200,
             uplifts: [{{when: "high_tech OR digital_core", rate: 0.08, cap: 300}}]}}
    {RD_VETO}
    per_enterprise_per_year: 2
  - id: unit-{n}
    label: 节能{n}
    fields: [{{id: saved, label: 节能量, unit: 吨标准煤, required: true}}, {{id: investment, label: 投资额, unit: 万元}}]
    award: {{type: per_unit, base: saved, rate: 0.04, cap: 50, share_cap: {{of: investment, share: 0.3}}}}
    {RD_VETO}
  - id: band-{n}
    label: 数字化车间{n}
    fields: [{{id: investment, label: 投资额, unit: 万元, required: true}}]
    award: {{type: bands, base: investment, marginal: {"true" if n % 2 else "false"}, cap: 500,
             bands: [{{upto: 500, rate: 0.03}}, {{upto: 1000, rate: 0.04}}, {{rate: 0.05}}]}}
    per_enterprise_per_year: 1
  - id: level-{n}
    label: 工程中心{n}
    fields: [{{id: level, label: 认定级别, required: true}}, {{id: previous, label: 原有级别}}]
    award: {{type: level_difference, level: level, previous: previous,
             amounts: {{{", ".join(f"{k}: {v}" for k, v in LEVELS.items())}}}}}
  - id: fixed-{n}
    label: 团队{n}
    eligible: "high_tech"
    award: {{type: fixed, amount: {10 + 5 * n}}}"""
        )
    groups = [[f"pct-{n}", f"band-{n}", f"unit-{n}"] for n in range(4)]
    return (
        FACTS_HEADER.format(budget=budget)
        + "clauses:\n"
        + "\n".join(clauses)
        + f"\nexclusive: {groups}\n".replace("'", "")
    )


def automatic_policy() -> str:
    clauses = []
    for n in range(CLAUSE_COUNT):
        threshold = 500 * (n + 1)
        condition = ["scale = '规上'", "high_tech", "digital_core", "rd >= 0.03 * sales"][n % 4]
        clauses.append(
            f"""\
  - id: auto-{n}
    label: 免申即享{n}
    automatic: true
    eligible: "{condition} AND sales >= {threshold}"
    {RD_VETO}
    award: {{type: fixed, amount: {n + 1}}}"""
        )
    return FACTS_HEADER.format(budget=100000) + "clauses:\n" + "\n".join(clauses) + "\n"


def enterprises(count: int, rng: np.random.Generator) -> pl.DataFrame:
    def amounts(mean: float, sigma: float) -> pl.Series:
        values = pl.Series(np.round(rng.lognormal(np.log(mean), sigma, count), 2))
        return values.scatter(np.flatnonzero(rng.random(count) < 0.03), None)  # some missing

    return pl.DataFrame(
        {
            "统一社会信用代码": credit_codes(count, rng),
            "规模": np.where(rng.random(count) < 0.4, "规上", "规下"),
            "高新技术企业": np.where(rng.random(count) < 0.2, "是", "否"),
            "数字经济核心制造业": np.where(rng.random(count) < 0.1, "是", "否"),
            "研发经费（万元）": amounts(120, 1.5),
            "营业收入（万元）": amounts(8000, 1.2),
        }
    )


def applications(count: int, codes: pl.Series, rng: np.random.Generator) -> pl.DataFrame:
    kinds = ["pct", "unit", "band", "level", "fixed"]
    clause = [f"{kinds[k]}-{n}" for k, n in zip(rng.integers(0, 5, count), rng.integers(0, 4, count))]
    levels = np.array(list(LEVELS))
    has_previous = rng.random(count) < 0.5
    submitted = np.datetime64("2024-01-01") + rng.integers(0, 180, count).astype("timedelta64[D]")
    project = np.where(rng.random(count) < 0.6, np.char.add("P", rng.integers(1, 4, count).astype(str)), "")
    return pl.DataFrame(
        {
            "申报编号": [f"A{i:06d}" for i in range(count)],
            "统一社会信用代码": codes.gather(rng.integers(0, len(codes), count)),
            "条款": clause,
            "年度": "2024",
            "提交日期": pl.Series(submitted).cast(pl.Date).cast(pl.String),
            "项目编号": project,
            "投资额（万元）": np.round(rng.lognormal(np.log(600), 1.0, count), 2).astype(str),
            "节能量（吨标准煤）": np.round(rng.lognormal(np.log(300), 1.0, count), 1).astype(str),
            "认定级别": levels[rng.integers(1, 4, count)],
            "原有级别": np.where(has_previous, levels[rng.integers(0, 2, count)], ""),
        }
    )


def best(repeat: int, action) -> tuple[float, object]:
    timings, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = action()
        timings.append(time.perf_counter() - started)
    return min(timings), result


def bench_batch(count: int, repeat: int, workdir: Path) -> None:
    rng = np.random.default_rng(2024)
    facts_frame = enterprises(max(count * 3 // 10, 1), rng)
    apps_frame = applications(count, facts_frame.get_column("统一社会信用代码"), rng)
    facts_path, apps_path = workdir / "facts.csv", workdir / "apps.csv"
    facts_frame.write_csv(facts_path)
    apps_frame.write_csv(apps_path)
    policy_path = workdir / "policy.yaml"
    policy_path.write_text(batch_policy(budget=count * 20), encoding="utf-8")
    policy = load_policy(policy_path)
    output = workdir / "results.csv"

    read, (facts_text, apps_text) = best(repeat, lambda: (read_table(facts_path), read_table(apps_path)))

    def check():
        facts, facts_problems = parse_facts(policy, facts_text, "facts.csv")
        apps, apps_problems = parse_applications(policy, apps_text, "apps.csv", facts)
        assert not facts_problems and not apps_problems
        return facts, apps

    checking, (facts, apps) = best(repeat, check)
    computing, results = best(repeat, lambda: compute_frame(policy, facts, apps))
    writing, _ = best(repeat, lambda: write_results(results, output))
    command = [str(ZHUANXING), "award", "--policy", str(policy_path), "--facts", str(facts_path)]
    command += ["--applications", str(apps_path), "--output", str(output)]
    cli, _ = best(repeat, lambda: subprocess.run(command, check=True, capture_output=True))
    startup, _ = best(
        repeat, lambda: subprocess.run([str(ZHUANXING), "award", "--help"], capture_output=True)
    )

    reasons = Counter(results.get_column("reasons").str.split("；").explode().to_list())
    engine = checking + computing + writing
    print(
        f"政策兑现 batch: {count:,} applications, {facts.frame.height:,} enterprises, {CLAUSE_COUNT} clauses"
    )
    print(
        f"  cut by step: 从高不重复 {reasons['从高不重复']:,}, 超过年度限额 {reasons['超过年度限额']:,}, "
        f"budget scaled: {'yes' if reasons[OVER_BUDGET] else 'no'}"
    )
    print(f"  {'stage':<36}{'seconds':>9}{'× read':>9}")
    rows = [
        ("read both csv (read_table)", read),
        ("check and type the inputs", checking),
        ("compute steps 1–4", computing),
        ("write results csv", writing),
        ("engine: check + compute + write", engine),
        ("zhuanxing award, fresh process", cli),
        ("  of which start-up (award --help)", startup),
    ]
    for label, seconds in rows:
        print(f"  {label:<36}{seconds:>9.3f}{seconds / read:>9.2f}")


def bench_automatic(count: int, repeat: int, workdir: Path) -> None:
    rng = np.random.default_rng(2025)
    facts_path = workdir / "automatic-facts.csv"
    enterprises(count, rng).write_csv(facts_path)
    policy = load_policy(automatic_policy())

    read, text = best(repeat, lambda: read_table(facts_path))

    def check():
        facts, problems = parse_facts(policy, text, facts_path.name)
        assert not problems
        return facts

    checking, facts = best(repeat, check)
    matching, matches = best(repeat, lambda: automatic_matches(policy, facts))
    proposals = matches.filter(pl.col("veto").is_null()).height
    print(f"免申即享: {count:,} enterprises × {CLAUSE_COUNT} automatic clauses")
    print(f"  {len(matches):,} eligible pairs, {proposals:,} proposals after vetoes")
    print(f"  {'stage':<36}{'seconds':>9}{'× read':>9}")
    for label, seconds in [
        ("read facts csv (read_table)", read),
        ("check and type the facts", checking),
        ("evaluate eligibility and vetoes", matching),
        ("check + evaluate", checking + matching),
    ]:
        print(f"  {label:<36}{seconds:>9.3f}{seconds / read:>9.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--enterprises", type=int, default=100_000, help="for 免申即享")
    parser.add_argument("--repeat", type=int, default=3, help="runs per stage; the best is kept")
    args = parser.parse_args()
    print(f"best of {args.repeat}; wall-clock seconds; polars {pl.__version__}")
    with tempfile.TemporaryDirectory(prefix="zhuanxing-awards-bench-") as workdir:
        bench_batch(args.applications, args.repeat, Path(workdir))
        bench_automatic(args.enterprises, args.repeat, Path(workdir))


if __name__ == "__main__":
    main()
