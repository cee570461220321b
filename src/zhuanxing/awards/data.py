"""The engine's inputs: the FACTS table (one row per enterprise) and the applications.

Both arrive as a polars frame (from a spreadsheet: text columns) or as rows of
mappings (from the platform: Python values). Either way every cell is taken by its
text, typed column by column and checked against the policy; every problem is
collected with the row as the spreadsheet shows it (header = row 1) before anything
is computed. Numbers become polars ``Decimal`` columns wide enough for every value,
so nothing is rounded on the way in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

import polars as pl

from zhuanxing.awards.errors import DataError, DataProblem
from zhuanxing.awards.policy import APPLICATION_COLUMNS, USCC_LABEL, Clause, LevelDifference, Policy
from zhuanxing.tabular import (
    FALSE_WORDS,
    TRUE_WORDS,
    CellProblem,
    TableError,
    parse_date,
    parse_decimal,
    resolve_headers,
    row_number,
)
from zhuanxing.uscc import uscc_problem

FACTS_SOURCE = "企业数据"
APPLICATIONS_SOURCE = "申报数据"
REQUIRED_APPLICATION_COLUMNS = ("id", "uscc", "clause", "year", "submitted")
# 0-based input row, kept through the computation for messages and output order; not an
# identifier, so no fact or field can take the name
ROW = "#row"
_DIGITS = 38  # polars Decimal precision
_PLAIN_NUMBER = r"^[+-]?(?:\d+\.?\d*|\.\d+)$"
_ISO_DATE = r"^(\d{4}-\d{1,2}-\d{1,2})(?:[ T].*)?$"
_BOOLEANS = {word: True for word in TRUE_WORDS} | {word: False for word in FALSE_WORDS}
_UNREADABLE = {"number": "应为数字", "boolean": "应为是/否", "date": "无法识别的日期"}


@dataclass(frozen=True)
class Facts:
    """The FACTS table, typed: ``uscc`` plus one column per declared fact
    (number -> Decimal, boolean -> Boolean, text -> String)."""

    frame: pl.DataFrame


@dataclass(frozen=True)
class Applications:
    """The applications, typed and checked: ``#row`` (0-based input row), ``id``, ``uscc``,
    ``clause``, ``year`` (Int64), ``submitted`` (Date), ``project`` and one column per field
    (number -> Decimal, text, date). Blank spreadsheet rows are left out."""

    frame: pl.DataFrame


Rows = pl.DataFrame | Iterable[Mapping[str, object]]


def prepare_facts(policy: Policy, data: Rows, *, source: str = FACTS_SOURCE) -> Facts:
    facts, problems = parse_facts(policy, data, source)
    if problems:
        raise DataError(problems)
    return facts


def prepare_applications(
    policy: Policy, data: Rows, *, facts: Facts | None = None, source: str = APPLICATIONS_SOURCE
) -> Applications:
    """Typed applications; with ``facts``, a credit code missing from them is an error too."""
    applications, problems = parse_applications(policy, data, source, facts)
    if problems:
        raise DataError(problems)
    return applications


def prepare_inputs(
    policy: Policy,
    facts: Facts | Rows,
    applications: Applications | Rows,
    *,
    facts_source: str = FACTS_SOURCE,
    applications_source: str = APPLICATIONS_SOURCE,
) -> tuple[Facts, Applications]:
    """Both inputs checked together, so one ``DataError`` lists every problem in either."""
    problems: list[DataProblem] = []
    if not isinstance(facts, Facts):
        facts, found = parse_facts(policy, facts, facts_source)
        problems += found
    if isinstance(applications, Applications):
        if facts is not None:  # prepared without FACTS, or against other FACTS
            found = _Problems(rows=applications.frame.get_column(ROW))
            _check_known_uscc(found, applications.frame.get_column("uscc"), facts)
            problems += found.for_source(applications_source)
    else:
        applications, found = parse_applications(policy, applications, applications_source, facts)
        problems += found
    if problems:
        raise DataError(problems)
    return facts, applications


# ---------------------------------------------------------------- FACTS


def parse_facts(policy: Policy, data: Rows, source: str) -> tuple[Facts | None, list[DataProblem]]:
    """The typed FACTS and their problems; None when the columns themselves are wrong."""
    frame = _as_text_frame(data)
    labels = {"uscc": USCC_LABEL} | {f.id: f.label for f in policy.facts.values()}
    if frame.width == 0:
        frame = pl.DataFrame(schema=dict.fromkeys(labels, pl.String))
    blank = _blank_rows(frame)
    try:
        frame = resolve_headers(frame, labels, required=labels)
    except TableError as exc:
        return None, [DataProblem(source, p) for p in exc.problems]
    problems = _Problems(blank=blank)
    codes = frame.get_column("uscc")
    problems.add(codes.is_null(), 0, "统一社会信用代码为空", USCC_LABEL)
    _report_duplicates(problems, codes, 0, USCC_LABEL)
    columns = [codes]
    for order, fact in enumerate(policy.facts.values(), start=1):
        text = frame.get_column(fact.id)
        typed, bad = _typed_column(text, fact.type)
        problems.add(bad, order, _UNREADABLE.get(fact.type, ""), fact.label, text)
        columns.append(typed)
    return Facts(pl.DataFrame(columns).filter(~blank)), problems.for_source(source)


# ---------------------------------------------------------------- applications


def parse_applications(
    policy: Policy, data: Rows, source: str, facts: Facts | None
) -> tuple[Applications, list[DataProblem]]:
    frame = _as_text_frame(data)
    labels = dict(APPLICATION_COLUMNS) | {f.id: f.label for f in policy.fields.values()}
    if frame.width == 0:
        frame = pl.DataFrame(schema=dict.fromkeys(labels, pl.String))
    blank = _blank_rows(frame)
    try:
        frame = resolve_headers(frame, labels, required=REQUIRED_APPLICATION_COLUMNS)
    except TableError as exc:
        return Applications(pl.DataFrame()), [DataProblem(source, p) for p in exc.problems]
    # a field column the file lacks is empty for every application
    frame = frame.with_columns(pl.lit(None, pl.String).alias(c) for c in labels if c not in frame.columns)
    problems = _Problems(blank=blank)
    label = APPLICATION_COLUMNS

    ids = frame.get_column("id")
    problems.add(ids.is_null(), 0, "申报编号为空", label["id"])
    _report_duplicates(problems, ids, 0, label["id"], "申报编号")

    codes = frame.get_column("uscc")
    problems.add(codes.is_null(), 1, "统一社会信用代码为空", USCC_LABEL)
    if facts is not None:
        _check_known_uscc(problems, codes, facts)

    clauses = frame.get_column("clause")
    problems.add(clauses.is_null(), 2, "条款为空", label["clause"])
    unknown = clauses.is_not_null() & ~clauses.is_in(list(policy.clauses_by_id))
    problems.add(
        unknown, 2, f"未知的条款（可用：{'、'.join(policy.clauses_by_id)}）", label["clause"], clauses
    )

    year = _year_column(policy, frame.get_column("year"), problems)
    submitted = frame.get_column("submitted")
    problems.add(submitted.is_null(), 4, "提交日期为空", label["submitted"])
    submitted_dates, bad = _typed_column(submitted, "date")
    problems.add(bad, 4, _UNREADABLE["date"], label["submitted"], submitted)

    typed_fields = _typed_fields(policy, frame, clauses, problems)
    typed = frame.select(
        pl.int_range(pl.len(), dtype=pl.Int64).alias(ROW), "id", "uscc", "clause", "project"
    ).with_columns(year, submitted_dates.alias("submitted"), *typed_fields)
    return Applications(typed.filter(~blank)), problems.for_source(source)


def _year_column(policy: Policy, text: pl.Series, problems: _Problems) -> pl.Series:
    column = APPLICATION_COLUMNS["year"]
    problems.add(text.is_null(), 3, "年度为空", column)
    number, bad = _typed_column(text, "number")
    whole = (number.round(0) == number).fill_null(False)
    problems.add(bad | (number.is_not_null() & ~whole), 3, "年度应为整数", column, text)
    year = number.cast(pl.Int64, strict=False).alias("year")
    if policy.year is not None:
        other = whole & (year != policy.year)
        problems.add(other, 3, f"不是本政策的年度（{policy.year}）", column, text)
    return year


def _typed_fields(
    policy: Policy, frame: pl.DataFrame, clauses: pl.Series, problems: _Problems
) -> list[pl.Series]:
    """Each field column typed once; a bad cell counts only on rows of a clause that has the field."""
    users: dict[str, list[Clause]] = {}
    for clause in policy.clauses:
        for f in clause.fields:
            users.setdefault(f.id, []).append(clause)
    typed = []
    for order, (field_id, f) in enumerate(policy.fields.items(), start=5):
        text = frame.get_column(field_id)
        uses = clauses.is_in([c.id for c in users[field_id]])
        values, bad = _typed_column(text, f.type)
        problems.add(bad & uses, order, _UNREADABLE.get(f.type, ""), f.label, text)
        if f.type == "number":
            problems.add(uses & (values < 0), order, "不能为负数", f.label, text)
        for clause in users[field_id]:
            award = clause.award
            if isinstance(award, LevelDifference) and field_id in (award.level, award.previous):
                levels = list(award.amounts)
                stray = (clauses == clause.id) & values.is_not_null() & ~values.is_in(levels)
                problems.add(stray, order, f"不是本条款的级别（{'、'.join(levels)}）", f.label, text)
        typed.append(values)
    return typed


def field_values(clause: Clause, cells: Mapping[str, object]) -> tuple[dict[str, object], list[CellProblem]]:
    """One application's fields (field id -> value) typed and checked as in a batch, for a preview."""
    frame = _as_text_frame([{f.id: cells.get(f.id) for f in clause.fields} | {"clause": clause.id}])
    frame = frame.with_columns(
        pl.lit(None, pl.String).alias(f.id) for f in clause.fields if f.id not in frame.columns
    )
    problems = _Problems()
    single = Policy(id="", name="", clauses=(clause,))
    typed = _typed_fields(single, frame, frame.get_column("clause"), problems)
    values = {series.name: series[0] for series in typed}
    return values, [replace(p, row=None) for _, _, p in problems.found]  # no spreadsheet here


def _check_known_uscc(problems: _Problems, codes: pl.Series, facts: Facts) -> None:
    unknown = codes.is_not_null() & ~codes.is_in(facts.frame.get_column("uscc").implode())
    problems.add(unknown, 1, lambda i: _unknown_uscc(codes[i]), USCC_LABEL, codes)


def _blank_rows(frame: pl.DataFrame) -> pl.Series:
    """Rows with every cell empty: a spreadsheet's spacer rows, kept only so row numbers match."""
    return frame.select(pl.all_horizontal(pl.all().is_null()) if frame.width else pl.lit(False)).to_series()


def _unknown_uscc(code: str) -> str:
    malformed = uscc_problem(code)
    return "企业数据中没有此统一社会信用代码" + (f"（{malformed}）" if malformed else "")


def _report_duplicates(problems: _Problems, keys: pl.Series, order: int, column: str, noun: str = "") -> None:
    first = (
        pl.DataFrame({"key": keys}).with_row_index("i").select(pl.col("i").first().over("key")).to_series()
    )
    repeated = keys.is_not_null() & (first != pl.int_range(len(keys), eager=True))
    problems.add(repeated, order, lambda i: f"{noun}与第{row_number(first[i])}行重复", column, keys)


class _Problems:
    """Problems found column by column, reported row by row (then in column order).

    ``rows`` gives each position's 0-based input row (default: the position itself);
    ``blank`` marks rows left empty in the spreadsheet, which are skipped, not faulted."""

    def __init__(self, rows: pl.Series | None = None, blank: pl.Series | None = None) -> None:
        self.rows = rows
        self.blank = blank
        self.found: list[tuple[int, int, CellProblem]] = []

    def add(
        self,
        mask: pl.Series,
        order: int,
        reason: str | Callable[[int], str],
        column: str,
        values: pl.Series | None = None,
    ) -> None:
        """One problem at each position where ``mask`` holds; ``reason`` may depend on the position."""
        if self.blank is not None:
            mask = mask & ~self.blank
        for position in mask.fill_null(False).arg_true().to_list():
            index = self.rows[position] if self.rows is not None else position
            text = reason(position) if callable(reason) else reason
            value = values[position] if values is not None else None
            self.found.append(
                (index, order, CellProblem(text, row=row_number(index), column=column, value=value))
            )

    def for_source(self, source: str) -> list[DataProblem]:
        return [DataProblem(source, p) for _, _, p in sorted(self.found, key=lambda item: item[:2])]


# ---------------------------------------------------------------- cells


def _typed_column(text: pl.Series, kind: str) -> tuple[pl.Series, pl.Series]:
    """A text column typed as ``number`` (Decimal), ``boolean``, ``date`` or ``text``, and a
    mask of the cells that could not be read. Common spellings are typed by polars; the
    rest (``1E+3``, ``2024年3月1日`` …) go one by one through ``zhuanxing.tabular``."""
    if kind == "text":
        return text, pl.Series(text.name, [False] * len(text))
    if kind == "boolean":
        values = text.str.to_lowercase().replace_strict(_BOOLEANS, default=None, return_dtype=pl.Boolean)
        return values, text.is_not_null() & values.is_null()
    if kind == "date":
        values = text.str.extract(_ISO_DATE).str.strptime(pl.Date, "%Y-%m-%d", strict=False)
        values = _fill_unusual(text, values, lambda cell: parse_date(cell), pl.Date)
        return values, text.is_not_null() & values.is_null()
    if text.str.contains(r"[,，]").any():  # thousands separators as people type them
        text = text.str.replace_all(r"[,，]", "")
    plain = text.str.contains(_PLAIN_NUMBER)
    # anything else (1E+3, 1.5e-3 …) is written out plainly by Decimal first, one cell at a time
    fast = pl.select(pl.when(plain).then(text)).to_series()
    cleaned = _fill_unusual(text, fast, lambda cell: format(parse_decimal(cell), "f"), pl.String)
    scale = (cleaned.str.len_chars() - cleaned.str.find(".", literal=True) - 1).max() or 0
    values = cleaned.cast(pl.Decimal(_DIGITS, min(scale, _DIGITS)), strict=False)
    return values.alias(text.name), text.is_not_null() & values.is_null()


def _fill_unusual(text: pl.Series, fast: pl.Series, parse, dtype) -> pl.Series:
    """Where the vectorised reading gave nothing for a non-empty cell, try ``parse`` on it."""
    missing = (text.is_not_null() & fast.is_null()).arg_true().to_list()
    if not missing:
        return fast.alias(text.name)
    values = fast.to_list()
    for index in missing:
        try:
            values[index] = parse(text[index])
        except (ValueError, ArithmeticError):
            values[index] = None
    return pl.Series(text.name, values, dtype=dtype)


def _as_text_frame(data: Rows) -> pl.DataFrame:
    """Every column as stripped text, empty cells null. Rows of mappings are turned into
    text the way a spreadsheet cell would be (a float by its shortest repr, so 0.1 is 0.1)."""
    if isinstance(data, pl.DataFrame):
        frame = data.rename({c: str(c).strip() for c in data.columns})
        frame = frame.with_columns(
            pl.col(c).cast(pl.String) for c, t in frame.schema.items() if t != pl.String
        )
        return frame.with_columns(pl.all().str.strip_chars().replace("", None))
    rows = list(data)
    columns = list(dict.fromkeys(str(key) for row in rows for key in row))
    return pl.DataFrame(
        {c: [_cell_text(row.get(c)) for row in rows] for c in columns},
        schema=dict.fromkeys(columns, pl.String),
    )


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    text = repr(value) if isinstance(value, float) else str(value)
    return text.strip() or None
