"""Dates and 是/否 are parsed for a whole column at once; each cell reads as
``parse_date``/``parse_bool`` reads it alone, and a bad cell gets the same message."""

from __future__ import annotations

import polars as pl

from zhuanxing.tabular import parse_bool, parse_date, typed_columns

DATES = [
    "2014-05-01",
    "2014/5/1",
    "2014.5.1",
    "2014年5月1日",
    "20140501",
    "2014-05-01 00:00:00",
    "2014-05-01T08:30",
    "41760",
    "41760.0",
    " 2014-5-1 ",
    None,
]
BAD_DATES = ["2014-13-01", "2014-02-30", "0000-01-01", "5月1日", "2014-5"]


def _one_by_one(parser, cells):
    values = []
    for cell in cells:
        try:
            values.append(None if cell is None else parser(cell))
        except ValueError:
            values.append(None)
    return values


def test_dates_in_bulk_match_parse_date_cell_by_cell():
    frame = pl.DataFrame({"founded": DATES + BAD_DATES})
    typed, problems = typed_columns(frame, {"founded": "date"}, {"founded": "成立日期"})
    assert typed.get_column("founded").to_list() == _one_by_one(parse_date, DATES + BAD_DATES)
    assert [str(p) for p in problems] == [
        f"第{row}行，「成立日期」列，值「{cell}」：无法识别的日期"
        for row, cell in enumerate(BAD_DATES, start=len(DATES) + 2)
    ]


def test_booleans_in_bulk_match_parse_bool():
    cells = ["是", "否", "TRUE", "false", "1", "0", "Y", "有", "无", None, "也许"]
    typed, problems = typed_columns(
        pl.DataFrame({"high_tech": cells}), {"high_tech": "boolean"}, {"high_tech": "高新"}
    )
    assert typed.get_column("high_tech").to_list() == _one_by_one(parse_bool, cells)
    assert [str(p) for p in problems] == ["第12行，「高新」列，值「也许」：应为是/否"]
