"""Building small department files inside the tests: xlsx with xlsxwriter, csv as text."""

from __future__ import annotations

from pathlib import Path

import xlsxwriter


def xlsx(path: Path, header: list[str], rows: list[list], *, merge: str | None = None, formulas=()) -> Path:
    """An .xlsx whose first sheet has ``header`` and ``rows``; ``merge`` merges a range
    (``"A3:A4"``, keeping the first cell's value); ``formulas`` are (cell, formula, cached value)."""
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("数据")
    sheet.write_row(0, 0, header)
    for index, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(index, column, value)
            else:
                sheet.write(index, column, value)
    if merge:
        first = merge.split(":")[0]
        sheet.merge_range(merge, _cell_value(rows, first))
    for cell, formula, value in formulas:
        sheet.write_formula(cell, formula, None, value)
    workbook.close()
    return path


def _cell_value(rows: list[list], ref: str):
    column = ord(ref[0]) - 65
    row = int(ref[1:]) - 2
    return rows[row][column]


def csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path
