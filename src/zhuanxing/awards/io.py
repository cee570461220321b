"""Files in and out: the FACTS and applications spreadsheets, the results table."""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl

from zhuanxing.awards.data import Applications, Facts, parse_applications, parse_facts
from zhuanxing.awards.errors import DataError, DataProblem
from zhuanxing.awards.policy import Policy
from zhuanxing.tabular import TableError, read_table

OUTPUT_SUFFIXES = (".xlsx", ".csv")


def read_inputs(
    policy: Policy, facts_path: str | Path, applications_path: str | Path
) -> tuple[Facts, Applications]:
    """Read and check both files; one ``DataError`` names every problem in either, each
    with its file name and spreadsheet row."""
    problems: list[DataProblem] = []
    facts_frame = _read(facts_path, problems)
    applications_frame = _read(applications_path, problems)
    facts = None
    if facts_frame is not None:
        facts, found = parse_facts(policy, facts_frame, Path(facts_path).name)
        problems += found
    applications = None
    if applications_frame is not None:
        # without readable FACTS no credit code can be checked against them
        applications, found = parse_applications(
            policy, applications_frame, Path(applications_path).name, facts
        )
        problems += found
    if problems:
        raise DataError(problems)
    return facts, applications


def _read(path: str | Path, problems: list[DataProblem]) -> pl.DataFrame | None:
    try:
        return read_table(path)
    except TableError as exc:
        problems.extend(DataProblem(Path(path).name, p) for p in exc.problems)
        return None


def results_frame(results: pl.DataFrame) -> pl.DataFrame:
    """The output table from ``compute_frame``: ``id, uscc, clause, computed, awarded,
    reasons``, all text, amounts with two decimal places."""
    return results.select(
        "id",
        "uscc",
        "clause",
        pl.col("computed").cast(pl.String),
        pl.col("awarded").cast(pl.String),
        "reasons",
    )


def check_output_path(path: str | Path) -> str | None:
    """Why results cannot be written to ``path``, or None."""
    path = Path(path)
    if path.suffix.lower() not in OUTPUT_SUFFIXES:
        return f"输出文件应为 .xlsx 或 .csv：{path.name}"
    if not path.parent.is_dir():
        return f"输出目录不存在：{path.parent}"
    return None


def write_results(results: pl.DataFrame, path: str | Path) -> None:
    """Write .xlsx or .csv (UTF-8) by extension; written beside the target and renamed,
    so a failure never leaves a half-written file."""
    path = Path(path)
    problem = check_output_path(path)
    if problem:
        raise ValueError(problem)
    frame = results_frame(results)
    temporary = path.with_name(f".{path.stem}.{os.getpid()}.tmp{path.suffix}")
    try:
        if path.suffix.lower() == ".csv":
            frame.write_csv(temporary)
        else:
            frame.write_excel(temporary, worksheet="结果", autofit=True)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
