"""Reading the spreadsheets people hand in: xlsx, xls, csv (UTF-8 or GBK) and parquet.

Pure (polars only). The engines and the department imports share it so that a
header with a unit, a GBK csv or a number typed as text is treated the same way
everywhere, and every problem names the row as the spreadsheet shows it
(header = row 1), the column and the value.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

import polars as pl

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
READABLE_SUFFIXES = EXCEL_SUFFIXES | {".csv", ".parquet"}
FIRST_DATA_ROW = 2  # the header is row 1 in the spreadsheet

TRUE_WORDS = {"是", "true", "1", "yes", "y", "t", "有"}
FALSE_WORDS = {"否", "false", "0", "no", "n", "f", "无"}
_UNIT_SUFFIX = re.compile(r"\s*[（(][^（）()]*[)）]\s*$")
# An xlsx is a zip: a small file can unpack to gigabytes. Refused before any reader opens it.
XLSX_MAX_UNPACKED_BYTES = 400 * 1024 * 1024
XLSX_MAX_ENTRIES = 10_000
PROBLEMS_IN_FULL = 1000  # listed one by one; beyond, counted per kind


@dataclass(frozen=True)
class CellProblem:
    """One thing wrong with an input, located as a spreadsheet user would look for it."""

    reason: str
    row: int | None = None
    column: str | None = None
    value: object = None

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"第{self.row}行")
        if self.column is not None:
            where.append(f"「{self.column}」列")
        if self.value is not None and self.value != "":
            where.append(f"值「{self.value}」")
        return ("，".join(where) + "：" if where else "") + self.reason


class CellValueError(ValueError):
    """A parser's refusal with its own reason (instead of the column's generic one)."""


class TableError(Exception):
    """Raised with every problem found, so the user can fix them all at once."""

    def __init__(self, problems: Iterable[CellProblem | str]):
        self.problems = [p if isinstance(p, CellProblem) else CellProblem(p) for p in problems]
        super().__init__("\n".join(str(p) for p in self.problems))


def row_number(index: int) -> int:
    """The spreadsheet row of the data row at 0-based ``index``."""
    return index + FIRST_DATA_ROW


def header_key(header: str) -> str:
    """A header without surrounding space or a trailing unit: ``用地面积（亩）`` -> ``用地面积``."""
    return _UNIT_SUFFIX.sub("", str(header).strip()).strip().casefold()


def read_table(path: str | Path) -> pl.DataFrame:
    """Read a file into a frame. Spreadsheet and csv columns come back as text (so that
    validation can name a bad cell); parquet keeps its types. Cells are stripped and
    empty cells are null."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in READABLE_SUFFIXES:
        raise TableError([f"不支持的文件类型「{path.suffix}」，请使用 xlsx、xls、csv 或 parquet"])
    if not path.exists():
        raise TableError([f"文件不存在：{path.name}"])
    if path.stat().st_size == 0:
        raise TableError(["文件为空"])
    guard_archive(path)
    try:
        if suffix == ".parquet":
            frame = pl.read_parquet(path)
        elif suffix == ".csv":
            text = decode_text(path.read_bytes())
            check_csv_rows(text)
            frame = pl.read_csv(text.encode(), infer_schema_length=0)
        else:
            # blank rows kept (``tidy`` drops the trailing ones) so that row numbers match
            frame = pl.read_excel(path, infer_schema_length=0, drop_empty_rows=False)
    except TableError:
        raise
    except Exception as exc:  # the readers raise many kinds; the user needs one sentence
        raise TableError([f"无法读取文件「{path.name}」：{exc}"]) from exc
    return tidy(frame)


def guard_archive(path: str | Path) -> None:
    """Refuse an xlsx whose entries would unpack past the limits, reading only the zip's
    directory (sizes as declared; the readers stop at a lying entry's real end)."""
    path = Path(path)
    if path.suffix.lower() not in {".xlsx", ".xlsm"}:
        return
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise TableError([f"文件「{path.name}」不是有效的 xlsx 文件（无法按 xlsx 打开）"]) from exc
    if len(entries) > XLSX_MAX_ENTRIES:
        raise TableError(
            [f"文件「{path.name}」内部包含 {len(entries):,} 个部件，超过上限 {XLSX_MAX_ENTRIES:,}"]
        )
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > XLSX_MAX_UNPACKED_BYTES:
        raise TableError(
            [
                f"文件「{path.name}」解压后约 {unpacked / 1024 / 1024:,.0f} MB，超过上限 "
                f"{XLSX_MAX_UNPACKED_BYTES // 1024 // 1024} MB，请删去多余内容或拆分后再导入"
            ]
        )


def check_csv_rows(text: str) -> None:
    """Every row of a csv must have as many fields as its header: a row with more (an unquoted
    thousands separator such as 1,500) or fewer (a row cut short) would shift or drop values."""
    rows = csv.reader(io.StringIO(text))
    header = next(rows, None)
    if not header:
        return
    problems = []
    for index, row in enumerate(rows):
        if len(row) != len(header) and any(cell.strip() for cell in row):
            hint = "多出的逗号可能是未加引号的千分位分隔符" if len(row) > len(header) else "该行不完整"
            problems.append(
                CellProblem(f"有 {len(row)} 个字段，表头有 {len(header)} 列（{hint}）", row=row_number(index))
            )
    if problems:
        raise TableError(cap_problems(problems))


def cap_problems(problems: list[CellProblem]) -> list[CellProblem]:
    """The first ``PROBLEMS_IN_FULL`` problems in full, then one line per kind of the rest
    with its count, so that 200,000 bad rows make a page one can open."""
    limit = PROBLEMS_IN_FULL
    if len(problems) <= limit:
        return problems
    rest: dict[tuple[str | None, str], int] = {}
    for problem in problems[limit:]:
        key = (problem.column, problem.reason)
        rest[key] = rest.get(key, 0) + 1
    return problems[:limit] + [
        CellProblem(f"另有 {count:,} 处同类问题未逐条列出：{reason}", column=column)
        for (column, reason), count in rest.items()
    ]


def decode_text(raw: bytes) -> str:
    """UTF-8 (with or without BOM) or, failing that, GBK/GB18030 as Chinese Excel writes csv."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030")


def tidy(frame: pl.DataFrame) -> pl.DataFrame:
    """Strip header and cell whitespace; empty text cells become null; drop the blank rows
    at the end (a blank row in between stays, so that row numbers match the spreadsheet)."""
    if frame.width == 0 or frame.height == 0:
        raise TableError(["文件或工作表中没有数据行"])
    frame = frame.rename({c: str(c).strip() for c in frame.columns})
    text_columns = [c for c, t in frame.schema.items() if t == pl.String]
    if text_columns:
        frame = frame.with_columns(
            pl.col(c).str.strip_chars().replace("", None).alias(c) for c in text_columns
        )
    last_filled = frame.select((~pl.all_horizontal(pl.all().is_null())).arg_true().max()).item()
    frame = frame.head(0 if last_filled is None else last_filled + 1)
    if frame.height == 0:
        raise TableError(["文件或工作表中没有数据行"])
    return frame


def resolve_headers(
    frame: pl.DataFrame,
    labels: Mapping[str, str],
    *,
    required: Iterable[str] = (),
    allow_unknown: bool = True,
) -> pl.DataFrame:
    """Rename columns given as English id or Chinese label (with or without a unit) to
    their ids. ``labels`` maps id -> label. Missing required columns, a column given
    twice and (unless allowed) unknown headers raise one TableError listing them all."""
    lookup: dict[str, str] = {}
    for field_id, label in labels.items():
        lookup[header_key(field_id)] = field_id
        lookup[header_key(label)] = field_id
    renames: dict[str, str] = {}
    problems: list[CellProblem] = []
    seen: dict[str, str] = {}
    for column in frame.columns:
        field_id = lookup.get(header_key(column))
        if field_id is None:
            if not allow_unknown:
                problems.append(CellProblem("无法识别的表头", row=1, column=column))
            continue
        if field_id in seen:
            problems.append(CellProblem(f"与「{seen[field_id]}」重复", row=1, column=column))
            continue
        seen[field_id] = column
        renames[column] = field_id
    for field_id in required:
        if field_id not in seen:
            problems.append(CellProblem(f"缺少必需的列「{labels.get(field_id, field_id)}」（{field_id}）"))
    if problems:
        raise TableError(problems)
    kept = [c for c in frame.columns if c in renames]
    return frame.select(kept).rename(renames)


def parse_number(text: str) -> float:
    """A number as people type it: ``1,500``, `` 12.5 ``. ValueError otherwise; a percent is
    refused by name, since ``30%`` in a 万元 or 亩 column is a mistake, not 0.3."""
    cleaned = text.replace(",", "").replace("，", "").strip()
    if cleaned.endswith(("%", "％")):
        raise CellValueError("不接受百分数，请按表头的单位填写数值")
    value = float(cleaned)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(text)
    return value


def parse_decimal(text: str) -> Decimal:
    cleaned = text.replace(",", "").replace("，", "").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not value.is_finite():
        raise ValueError(text)
    return value


def parse_bool(text: str) -> bool:
    word = text.strip().casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(text)


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_date(text: str) -> dt.date:
    """Dates in the forms people use: 2014-05-01, 2014/5/1, 2014.5.1, 2014年5月1日,
    20140501, an Excel timestamp text, or an Excel serial day number."""
    cleaned = text.strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(cleaned)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return dt.date(year, month, day)
    if re.fullmatch(r"\d{5}(\.0+)?", cleaned):  # Excel serial date
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(float(cleaned)))
    raise ValueError(text)


def parse_cells(series: pl.Series, parser, reason: str, label: str | None = None):
    """Apply ``parser`` to every non-null cell; returns (values, problems) with each bad
    cell named by row, column (``label`` or the series name) and value."""
    values: list[object] = []
    problems: list[CellProblem] = []
    for index, cell in enumerate(series.to_list()):
        if cell is None:
            values.append(None)
            continue
        if not isinstance(cell, str):
            cell = str(cell)
        try:
            values.append(parser(cell))
        except (ValueError, ArithmeticError) as exc:
            values.append(None)
            why = str(exc) if isinstance(exc, CellValueError) else reason
            problems.append(CellProblem(why, row=row_number(index), column=label or series.name, value=cell))
    return values, problems


def typed_columns(
    frame: pl.DataFrame,
    kinds: Mapping[str, str],
    labels: Mapping[str, str] | None = None,
) -> tuple[pl.DataFrame, list[CellProblem]]:
    """Convert text columns by kind: ``number`` (Float64), ``boolean``, ``date`` or ``text``. Returns the converted frame and every bad cell found.
    Columns already of a non-text type (parquet input) are cast instead."""
    labels = labels or {}
    parsers = {
        "number": (parse_number, "应为数字", pl.Float64),
        "boolean": (parse_bool, "应为是/否", pl.Boolean),
        "date": (parse_date, "无法识别的日期", pl.Date),
    }
    problems: list[CellProblem] = []
    replacements: list[pl.Series] = []
    for column, kind in kinds.items():
        if column not in frame.columns or kind == "text":
            if column in frame.columns and frame.schema[column] != pl.String:
                replacements.append(frame.get_column(column).cast(pl.String))
            continue
        parser, reason, dtype = parsers[kind]
        series = frame.get_column(column)
        typed = _cast_typed(series, kind)
        if typed is not None:
            replacements.append(typed)
            continue
        if series.dtype != pl.String:
            series = series.cast(pl.String)
        if kind in _BULK_PARSERS:
            bulk = _BULK_PARSERS[kind]
            typed, found = bulk(series, labels.get(column))
            problems.extend(found)
            replacements.append(typed)
            continue
        values, found = parse_cells(series, parser, reason, labels.get(column))
        problems.extend(found)
        replacements.append(pl.Series(column, values, dtype=dtype))
    if replacements:
        frame = frame.with_columns(replacements)
    return frame, problems


def _parse_numbers(series: pl.Series, label: str | None) -> tuple[pl.Series, list[CellProblem]]:
    """A text column of numbers in bulk: plain numbers (``1,500.5``) are cast at once, the
    rest (full-width commas, percents, bad text) go through ``parse_number`` one by one."""
    fast = series.str.replace_all(",", "", literal=True).cast(pl.Float64, strict=False)
    pending = (fast.is_null() | fast.is_nan() | fast.is_infinite()) & series.is_not_null()
    indices = pending.arg_true().to_list()
    if not indices:
        return fast, []
    cells = series.gather(indices)
    values, problems = parse_cells(cells, parse_number, "应为数字", label)
    problems = [replace(p, row=row_number(indices[p.row - FIRST_DATA_ROW])) for p in problems]
    return fast.scatter(indices, pl.Series(values, dtype=pl.Float64)), problems


_SERIAL_DATE = r"^\d{5}(\.0+)?$"


def _parse_dates(series: pl.Series, label: str | None) -> tuple[pl.Series, list[CellProblem]]:
    """A text column of dates in bulk: the forms ``parse_date`` reads, recognised by the
    same patterns in polars at once; only the cells it cannot read (bad text, 2014-13-01)
    go through ``parse_date`` one by one, so they get the very same message."""
    text = series.str.strip_chars()
    iso = text.str.to_date("%Y-%m-%d", strict=False)  # the common form first, at full speed
    iso = pl.select(pl.when(iso.dt.year() >= 1).then(iso)).to_series()
    rest = (iso.is_null() & text.is_not_null()).arg_true()
    if rest.len() == 0:
        fast = iso.alias(series.name)
    else:
        fast = iso.scatter(rest, _dates_by_pattern(text.gather(rest)))
    pending = fast.is_null() & series.is_not_null()
    indices = pending.arg_true().to_list()
    if not indices:
        return fast, []
    values, problems = parse_cells(series.gather(indices), parse_date, "无法识别的日期", label)
    problems = [replace(p, row=row_number(indices[p.row - FIRST_DATA_ROW])) for p in problems]
    return fast.scatter(indices, pl.Series(values, dtype=pl.Date)), problems


def _dates_by_pattern(text: pl.Series) -> pl.Series:
    """``parse_date``'s patterns in polars; null where none gives a real date."""
    parts = [
        pl.coalesce(
            text.str.extract(_DATE_PATTERNS[0].pattern, group),
            text.str.extract(_DATE_PATTERNS[1].pattern, group),
        )
        for group in (1, 2, 3)
    ]
    ymd = pl.concat_str([parts[0], parts[1].str.zfill(2), parts[2].str.zfill(2)], separator="-")
    dated = pl.select(
        pl.when(parts[0].cast(pl.Int32, strict=False) >= 1).then(ymd.str.to_date("%Y-%m-%d", strict=False))
    ).to_series()
    days = text.cast(pl.Float64, strict=False).cast(pl.Int64)
    serial = pl.select(
        pl.when(text.str.contains(_SERIAL_DATE)).then(pl.lit(dt.date(1899, 12, 30)) + pl.duration(days=days))
    ).to_series()
    return dated.fill_null(serial.cast(pl.Date))


def _parse_bools(series: pl.Series, label: str | None) -> tuple[pl.Series, list[CellProblem]]:
    """A text column of 是/否 in bulk; the words ``parse_bool`` does not know are reported by it."""
    word = series.str.strip_chars().str.to_lowercase()
    fast = pl.select(
        pl.when(word.is_in(sorted(TRUE_WORDS))).then(True).when(word.is_in(sorted(FALSE_WORDS))).then(False)
    ).to_series()
    fast = fast.cast(pl.Boolean).alias(series.name)
    indices = (fast.is_null() & series.is_not_null()).arg_true().to_list()
    if not indices:
        return fast, []
    values, problems = parse_cells(series.gather(indices), parse_bool, "应为是/否", label)
    problems = [replace(p, row=row_number(indices[p.row - FIRST_DATA_ROW])) for p in problems]
    return fast.scatter(indices, pl.Series(values, dtype=pl.Boolean)), problems


_BULK_PARSERS = {"number": _parse_numbers, "date": _parse_dates, "boolean": _parse_bools}


def _cast_typed(series: pl.Series, kind: str) -> pl.Series | None:
    """A column that already has the kind's type (parquet, a frame built in code) is cast
    without parsing cell by cell; NaN counts as empty. None when it must be parsed."""
    if kind == "number" and series.dtype.is_numeric():
        return series.cast(pl.Float64).fill_nan(None)
    if kind == "boolean" and series.dtype == pl.Boolean:
        return series
    if kind == "date" and (series.dtype == pl.Date or series.dtype == pl.Datetime):
        return series.cast(pl.Date)
    return None
