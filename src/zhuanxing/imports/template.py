"""The blank .xlsx a department fills in: the data sheet first (the one the import reads),
then a notes sheet explaining each column and its unit. Cells carry Excel data
validation where Excel has it (non-negative numbers up to the limit, whole numbers,
规上/规下, dates, 18-character codes) and code columns are formatted as text so Excel
does not turn them into numbers."""

from __future__ import annotations

import io

import xlsxwriter

from zhuanxing.imports.sources import Source

LAST_ROW = 1_048_575
TEXT_COLUMNS = {"uscc", "tenant", "certificate_no", "meter", "industry"}


def _validation(column) -> dict | None:
    message = {"error_title": column.label, "error_message": column.explanation[:255]}
    if column.kind in ("number", "area", "integer"):
        maximum = column.maximum if column.maximum is not None else 1e12
        kind = "integer" if column.kind == "integer" else "decimal"
        return {"validate": kind, "criteria": "between", "minimum": 0, "maximum": maximum} | message
    if column.kind == "scale":
        return {"validate": "list", "source": ["规上", "规下"]} | message
    if column.kind == "date":
        return {"validate": "date", "criteria": "greater than", "value": "1900-01-01"} | message
    if column.kind == "uscc":
        return {"validate": "length", "criteria": "==", "value": 18} | message
    return None


def template_bytes(source: Source) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    text = workbook.add_format({"num_format": "@"})
    date = workbook.add_format({"num_format": "yyyy-mm-dd"})
    data = workbook.add_worksheet("数据")
    for index, column in enumerate(source.columns):
        data.write_string(0, index, column.header, header)
        width = max(12, len(column.header) * 2 + 2)
        cell_format = text if column.id in TEXT_COLUMNS else date if column.kind == "date" else None
        data.set_column(index, index, width, cell_format)
        data.write_comment(0, index, column.explanation, {"x_scale": 2})
        validation = _validation(column)
        if validation:
            data.data_validation(1, index, LAST_ROW, index, validation)
    data.freeze_panes(1, 0)

    notes = workbook.add_worksheet("说明")
    notes.set_column(0, 0, 24)
    notes.set_column(1, 2, 18)
    notes.set_column(3, 3, 70)
    notes.write_string(
        0, 0, f"{source.label}数据导入模板（{source.department}）", workbook.add_format({"bold": True})
    )
    notes.write_string(1, 0, source.description)
    notes.write_string(
        2,
        0,
        "只导入第一个工作表“数据”；表头写中文名称或英文字段名均可，列的顺序不限。"
        "年度在导入时选择。整个文件检查无误才会导入，有问题时列出全部问题（行号、列、值、原因）。",
    )
    for index, title in enumerate(["表头", "英文字段名", "单位", "说明", "必需的列"]):
        notes.write_string(4, index, title, header)
    for row, column in enumerate(source.columns, start=5):
        notes.write_string(row, 0, column.header)
        notes.write_string(row, 1, column.id)
        notes.write_string(row, 2, column.unit)
        notes.write_string(row, 3, column.explanation)
        notes.write_string(row, 4, "是" if column.required else "否")
    workbook.close()
    return buffer.getvalue()
