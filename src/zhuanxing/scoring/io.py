"""Enterprise data in, results out.

``prepare_input`` turns a frame as read from a spreadsheet (Chinese or English
headers, text cells) or handed over by the platform (typed columns) into the typed
frame the engine computes on, and reports every input problem at once with the
row number a spreadsheet user sees.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import polars as pl

from zhuanxing.scoring.columns import (
    INDICATOR_OUTPUT,
    INPUT_KINDS,
    INPUT_LABELS,
    LEADING_OUTPUT,
    TRAILING_OUTPUT,
)
from zhuanxing.scoring.errors import InputError
from zhuanxing.scoring.expressions import condition
from zhuanxing.scoring.scheme import Scheme
from zhuanxing.tabular import CellProblem, TableError, read_table, resolve_headers, row_number, typed_columns
from zhuanxing.uscc import ALPHABET, uscc_problem

WRITABLE_SUFFIXES = (".xlsx", ".csv", ".parquet")


def read_input(path: str | Path) -> pl.DataFrame:
    try:
        return read_table(path)
    except TableError as exc:
        raise InputError(exc.problems) from exc


def prepare_input(scheme: Scheme, frame: pl.DataFrame) -> pl.DataFrame:
    """The columns ``scheme`` uses, typed, plus ``name`` and the derived
    ``industry_division`` and ``age_years``. Raises InputError listing every problem."""
    try:
        frame = resolve_headers(frame, INPUT_LABELS)
    except TableError as exc:  # a column given twice: nothing else can be trusted
        raise InputError(exc.problems) from exc
    # a blank row in between (every known cell empty) is skipped, not an enterprise without a credit code
    blank = frame.select(pl.all_horizontal(pl.all().is_null()) if frame.width else pl.lit(False)).to_series()
    present = [c for c in dict.fromkeys(["uscc", "name", *scheme.input_columns()]) if c in frame.columns]
    frame = frame.select(present)
    if "founded" in frame.columns:
        frame = frame.with_columns(_founded_as_text(frame.get_column("founded")))
    if "industry" in frame.columns and frame.schema["industry"].is_integer():
        # a code stored as a number has lost its leading zero: 611 is 0611
        frame = frame.with_columns(pl.col("industry").cast(pl.String).str.zfill(4))
    frame, cell_problems = typed_columns(frame, {c: INPUT_KINDS[c] for c in present}, INPUT_LABELS)
    if "uscc" in frame.columns:
        cell_problems += uscc_problems(frame.get_column("uscc"))
    blank_rows = {row_number(index) for index in np.flatnonzero(blank.to_numpy())}
    position = {INPUT_LABELS[column]: index for index, column in enumerate(present)}
    cell_problems = sorted(
        (p for p in cell_problems if p.row not in blank_rows),
        key=lambda p: (p.row or 0, position.get(p.column, 0)),
    )
    if "name" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias("name"))
    derived = []
    if "industry" in frame.columns:
        derived.append(pl.col("industry").str.slice(0, 2).alias("industry_division"))
    if "founded" in frame.columns:
        derived.append((pl.lit(scheme.year) - pl.col("founded").dt.year()).cast(pl.Int64).alias("age_years"))
    frame = frame.with_columns(derived)
    problems = [
        CellProblem(f"缺少必需的列「{INPUT_LABELS[column]}」（{column}）")
        for column in _missing_columns(scheme, frame)
    ]
    if problems or cell_problems:
        raise InputError(problems + cell_problems)
    return frame.filter(~blank) if blank_rows else frame


def _missing_columns(scheme: Scheme, frame: pl.DataFrame) -> list[str]:
    """Columns the data lacks but needs: the credit code, the populations that decide
    membership, and whatever a group with members is evaluated on. A column that only
    a group without members uses is not needed (a file of 规上 firms needs no 规下 columns)."""
    missing = [] if "uscc" in frame.columns else ["uscc"]
    unassigned = pl.lit(True)
    for index, group in enumerate(scheme.groups):
        absent = [c for c in group.population_columns() if c not in frame.columns]
        if absent:  # membership from here on is unknown: every later group may have members
            later = [c for g in scheme.groups[index:] for c in g.population_columns() + g.input_columns()]
            missing += [c for c in later if c not in frame.columns]
            break
        members = unassigned & condition(group.population)
        if frame.select(members.any()).item():
            missing += [c for c in group.input_columns() if c not in frame.columns]
        unassigned = unassigned & ~condition(group.population)
    return list(dict.fromkeys(missing))


def _founded_as_text(series: pl.Series) -> pl.Series:
    """A founding date may be given as the year alone (2013 or "2013"): only the year counts."""
    if series.dtype.is_integer():
        series = series.cast(pl.String)
    if series.dtype != pl.String:
        return series
    return (
        pl.select(pl.when(series.str.contains(r"^\d{4}$")).then(series + "-01-01").otherwise(series))
        .to_series()
        .alias(series.name)
    )


# ---------------------------------------------------------------- credit codes

_ALPHABET_VALUES = np.full(256, 255, dtype=np.uint8)  # 255: not a character of the alphabet
_ALPHABET_VALUES[[ord(ch) for ch in ALPHABET]] = np.arange(len(ALPHABET))
_WEIGHTS = np.array([pow(3, i, 31) for i in range(17)], dtype=np.uint16)


def uscc_problems(codes: pl.Series) -> list[CellProblem]:
    """Empty, malformed and duplicate credit codes. ``uscc_problem`` is the authority on
    a code; vectorised checks first find the few codes worth a closer look, because
    asking it about a million codes one by one takes seconds."""
    label = INPUT_LABELS["uscc"]
    problems: list[CellProblem] = []
    for index in np.flatnonzero(~_valid_uscc_mask(codes)).tolist():
        reason = uscc_problem(codes[index])
        if reason:
            problems.append(CellProblem(reason, row=row_number(index), column=label, value=codes[index]))
    first_row: dict[str, int] = {}
    for index in _maybe_repeated(codes).tolist():
        code = codes[index]
        if code in first_row:
            reason = f"统一社会信用代码重复（与第{first_row[code]}行相同）"
            problems.append(CellProblem(reason, row=row_number(index), column=label, value=code))
        else:
            first_row[code] = row_number(index)
    return problems


def _valid_uscc_mask(codes: pl.Series) -> np.ndarray:
    """GB 32100-2015: 18 characters of the alphabet, the 3rd–8th digits, the check character right."""
    eighteen = (codes.str.len_bytes() == 18).fill_null(False)
    valid = np.zeros(codes.len(), dtype=bool)
    if eighteen.any():
        # codes of 18 bytes laid end to end make an n×18 byte matrix: one numpy pass checks them all
        joined = codes.filter(eighteen).str.join("").item().encode("utf-8")
        values = _ALPHABET_VALUES[np.frombuffer(joined, dtype=np.uint8).reshape(-1, 18)]
        check = (31 - (values[:, :17] * _WEIGHTS).sum(axis=1, dtype=np.uint32) % 31) % 31
        in_alphabet = (values < len(ALPHABET)).all(axis=1) & (values[:, 2:8] < 10).all(axis=1)
        valid[eighteen.to_numpy()] = in_alphabet & (check == values[:, 17])
    return valid


def _maybe_repeated(codes: pl.Series) -> np.ndarray:
    """Indexes of the non-null codes whose hash occurs more than once, in row order: every
    repeated code and, rarely, a code whose hash collides (the caller compares the codes)."""
    present = codes.is_not_null().to_numpy()
    hashes = codes.hash().to_numpy()
    ordered = np.sort(hashes[present])
    repeated = ordered[1:][ordered[1:] == ordered[:-1]]
    if repeated.size == 0:
        return repeated
    return np.flatnonzero(np.isin(hashes, repeated) & present)


# ---------------------------------------------------------------- output


def xlsx_headers(scheme: Scheme, columns: list[str]) -> dict[str, str]:
    """English output ids -> the Chinese headers of the xlsx output."""
    labels = {c: text for c, (text, _) in {**LEADING_OUTPUT, **TRAILING_OUTPUT}.items()}
    used = set(labels.values())
    for indicator in scheme.indicators():
        for suffix, chinese in INDICATOR_OUTPUT.items():
            header = f"{indicator.label}{chinese}"
            if header in used:  # two indicators share a label: tell them apart by id
                header = f"{indicator.label}（{indicator.id}）{chinese}"
            used.add(header)
            labels[f"{indicator.id}_{suffix}"] = header
    return {c: labels[c] for c in columns}


def write_lift(table: pl.DataFrame, path: str | Path) -> None:
    """The lift table: English ids in csv and parquet, Chinese headers in xlsx."""
    from zhuanxing.scoring.lift import LIFT_COLUMNS

    headers = {column: label for column, (label, _) in LIFT_COLUMNS.items()}
    _write_atomically(table, Path(path), lambda frame: frame.rename(headers), "模拟测算")


def write_output(result: pl.DataFrame, path: str | Path, scheme: Scheme) -> None:
    """Write atomically: a failed write leaves no half-written file behind."""
    _write_atomically(
        result, Path(path), lambda frame: frame.rename(xlsx_headers(scheme, frame.columns)), "评价结果"
    )


def _write_atomically(result: pl.DataFrame, path: Path, chinese, worksheet: str) -> None:
    suffix = path.suffix.lower()
    handle, temporary = tempfile.mkstemp(suffix=suffix, prefix=".zhuanxing-", dir=path.parent)
    os.close(handle)
    try:
        if suffix == ".parquet":
            result.write_parquet(temporary)
        elif suffix == ".csv":
            result.write_csv(temporary)
        else:
            chinese(result).write_excel(
                temporary, worksheet=worksheet, autofit=result.height <= 10_000, float_precision=3
            )
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
