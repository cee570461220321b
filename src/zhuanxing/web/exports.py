"""Spreadsheet downloads of any list the site shows.

Text is always written as a string cell. Text beginning with ``=``, ``+``, ``-`` or ``@``
is what spreadsheet programs take for a formula (the classic "CSV injection"); such cells
also get Excel's quote prefix (the stored form of a leading apostrophe), so Excel runs them
neither on opening nor after the cell is edited.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from urllib.parse import quote

import xlsxwriter
from django.http import HttpResponse
from django.utils import timezone

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@")
# characters Excel refuses in a sheet's name (an English title such as "Replacing low-end capacity: …")
SHEET_NAME_REFUSED = re.compile(r"[\[\]:*?/\\]")


def write_sheet(workbook, title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> None:
    sheet = workbook.add_worksheet(SHEET_NAME_REFUSED.sub(" ", title)[:31])
    bold = workbook.add_format({"bold": True, "bg_color": "#F1F5F9"})
    dates = workbook.add_format({"num_format": "yyyy-mm-dd"})
    moments = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    literal = workbook.add_format({"quote_prefix": True})
    sheet.write_row(0, 0, headers, bold)
    sheet.freeze_panes(1, 0)
    widths = [max(8, len(str(h)) * 2) for h in headers]
    for row_index, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, bool):
                sheet.write_string(row_index, column, "是" if value else "否")
            elif isinstance(value, (int, float, Decimal)):
                sheet.write_number(row_index, column, float(value))
            elif isinstance(value, dt.datetime):
                local = timezone.localtime(value) if timezone.is_aware(value) else value
                sheet.write_datetime(row_index, column, local.replace(tzinfo=None), moments)
            elif isinstance(value, dt.date):
                sheet.write_datetime(row_index, column, value, dates)
            else:
                text = str(value)
                sheet.write_string(
                    row_index, column, text, literal if text.startswith(FORMULA_STARTS) else None
                )
                widths[column] = min(60, max(widths[column], len(text) + 2))
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width)


def xlsx_bytes(sheets: dict[str, tuple[Sequence[str], Iterable[Sequence]]]) -> bytes:
    """An xlsx file with one sheet per entry: title -> (headers, rows)."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    for title, (headers, rows) in sheets.items():
        write_sheet(workbook, title, headers, rows)
    workbook.close()
    return buffer.getvalue()


def xlsx_response(
    filename: str, headers: Sequence[str], rows: Iterable[Sequence], *, sheet: str = "数据"
) -> HttpResponse:
    return file_response(xlsx_bytes({sheet: (headers, rows)}), filename, XLSX_TYPE)


def file_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
