"""Spreadsheets of the campaign lists: import template, export, and checking an upload.

An upload is read whole (``zhuanxing.tabular``), every row parsed as the forms parse it and
validated as the services validate it; every problem is listed by row, column and value. Only
a file without problems is applied (``services.import_apply``): all rows or none. A row whose
natural key matches a stored record updates it, so importing the same file twice changes
nothing. The export has the template's columns, so an exported list can be edited and
imported back.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter
from django.core.exceptions import ValidationError
from django.db import models

from zhuanxing.campaigns.records import (
    Problem,
    RecordSpec,
    column_options,
    field_problems,
    find_existing,
    parse_row,
)
from zhuanxing.tabular import CellProblem, TableError, read_table, resolve_headers, row_number
from zhuanxing.web.exports import write_sheet

MAX_ROWS = 20_000
VALIDATED_ROWS = 2_000  # rows of the template that carry Excel's drop-down lists


def _workbook(buffer) -> xlsxwriter.Workbook:
    return xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )


def _column_notes(spec: RecordSpec) -> list[list[str]]:
    notes = []
    for column in spec.columns:
        options = [label for _value, label in column.choices] or column_options(column)
        text = ("可选：" + "、".join(options))[:500] if options else column.help
        notes.append([column.label, column.id, "是" if column.required else "否", text])
    return notes


def template_bytes(spec: RecordSpec) -> bytes:
    """An empty list with Chinese headers, drop-downs for choices and a sheet explaining each column."""
    buffer = io.BytesIO()
    workbook = _workbook(buffer)
    write_sheet(workbook, spec.title, [c.label for c in spec.columns], [])
    sheet = workbook.get_worksheet_by_name(spec.title[:31])
    for index, column in enumerate(spec.columns):
        labels = [label for _value, label in column.choices]
        if labels and len(",".join(labels)) < 255:  # Excel's limit for an inline list
            sheet.data_validation(1, index, VALIDATED_ROWS, index, {"validate": "list", "source": labels})
    notes = [
        *_column_notes(spec),
        ["", "", "", ""],
        [
            "说明",
            "",
            "",
            "表头可用中文列名或英文字段名，列的顺序不限；整个文件无误才会导入，有误时逐条列出。",
        ],
        ["", "", "", "与已有记录关键字段相同的行会更新该记录，不会重复登记。"],
    ]
    write_sheet(workbook, "填写说明", ["列名", "字段", "必填", "说明"], notes)
    workbook.close()
    return buffer.getvalue()


def export_bytes(spec: RecordSpec, records) -> bytes:
    """The records as an xlsx with the template's columns (plus computed ones); text is
    always written as text, so a cell beginning with = + - @ never runs as a formula."""
    buffer = io.BytesIO()
    workbook = _workbook(buffer)
    headers = [c.label for c in spec.columns] + [label for label, _attribute in spec.extras]
    rows = (
        [record_row.get(c.id) for c in spec.columns]
        + [getattr(record, attribute) for _l, attribute in spec.extras]
        for record, record_row in ((r, spec.column_values(r)) for r in records)
    )
    write_sheet(workbook, spec.title, headers, rows)
    workbook.close()
    return buffer.getvalue()


@dataclass
class PlannedRow:
    row: int  # as the spreadsheet shows it
    values: dict
    existing: models.Model | None
    record: models.Model  # as it will be saved
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)  # label -> (old, new)

    @property
    def action(self) -> str:
        if self.existing is None:
            return "new"
        return "changed" if self.changes else "unchanged"


@dataclass
class ImportPlan:
    rows: list[PlannedRow] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = {"new": 0, "changed": 0, "unchanged": 0}
        for row in self.rows:
            counts[row.action] += 1
        return counts


def _candidate(spec: RecordSpec, values: dict, existing):
    record = spec.model.objects.get(pk=existing.pk) if existing else spec.model()
    for name, value in values.items():
        setattr(record, name, value)
    return record


def _key(spec: RecordSpec, values: dict) -> tuple | None:
    if any(name not in values for name in spec.model.KEY):
        return None
    return tuple(getattr(values[name], "pk", values[name]) for name in spec.model.KEY)


def check_upload(
    spec: RecordSpec,
    path: Path,
    *,
    may_write: Callable[[models.Model], bool],
    default_year: int | None = None,
) -> ImportPlan:
    """Read and validate a whole file; the plan lists every row and every problem."""
    plan = ImportPlan()
    labels = {c.id: c.label for c in spec.columns}
    required = [c.id for c in spec.columns if c.required and not (c.id == "year" and default_year)]
    try:
        frame = resolve_headers(read_table(path), labels, required=required)
    except TableError as exc:
        plan.problems = exc.problems
        return plan
    if frame.height > MAX_ROWS:
        plan.problems = [CellProblem(f"一次最多导入 {MAX_ROWS} 行，本文件有 {frame.height} 行")]
        return plan
    seen: dict[tuple, int] = {}
    for index, raw in enumerate(frame.iter_rows(named=True)):
        row = row_number(index)
        if default_year and "year" in spec.fields and not raw.get("year"):
            raw["year"] = str(default_year)
        values, problems = parse_row(spec, raw)
        existing = find_existing(spec, values)
        record = _candidate(spec, values, existing)
        failed = {name for name in spec.fields if name not in values}
        try:
            record.full_clean(exclude=failed)
        except ValidationError as exc:
            problems.extend(field_problems(spec, exc.message_dict))
        key = _key(spec, values)
        if key is not None and key in seen:
            problems.append(Problem(None, f"与第{seen[key]}行是同一条记录（关键字段相同）"))
        elif key is not None:
            seen[key] = row
        if not problems and not may_write(record):
            problems.append(Problem(None, "只能导入本镇街企业的记录"))
        plan.problems.extend(
            CellProblem(p.reason, row=row, column=spec.column_label(p.column), value=p.value)
            for p in problems
        )
        planned = PlannedRow(row=row, values=values, existing=existing, record=record)
        if existing is not None:
            before, after = spec.cells(existing), spec.cells(record)
            planned.changes = {
                spec.column_label(column): (before.get(column, ""), text)
                for column, text in after.items()
                if before.get(column, "") != text
            }
        plan.rows.append(planned)
    if spec.apply_order and not plan.problems:
        plan.rows.sort(key=lambda planned: spec.apply_order(planned.values))
    return plan
