"""Checking a department file as a whole, before anything is written.

Every problem is collected, not just the first: each names the row as Excel shows it
(header = row 1), the column as the file wrote it, the value and the reason, in Chinese.
The work is done on whole columns with polars; only bad cells are looked at one by one,
so a 100,000-row file is checked in about the time it takes to read.
"""

from __future__ import annotations

import datetime as dt
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from zhuanxing.imports import sql
from zhuanxing.imports.features import SheetFeatures, sheet_features
from zhuanxing.imports.sources import Source, get_source
from zhuanxing.registry.models import Enterprise, Industry, Lease, Town
from zhuanxing.registry.selectors import leases_in_year
from zhuanxing.tabular import (
    FIRST_DATA_ROW,
    CellProblem,
    TableError,
    cap_problems,
    guard_archive,
    header_key,
    read_table,
    typed_columns,
)
from zhuanxing.uscc import uscc_problem

ROW = "_row"  # the spreadsheet row of each data row
ENTERPRISE_ID = "enterprise_id"
FIRST_YEAR, LAST_YEAR = 1990, 2100
SQUARE_METRE_UNITS = {"㎡", "m²", "m2", "平方米", "平米"}
MU_UNITS = {"亩", ""}
SCALE_WORDS = {"规上": "规上", "规模以上": "规上", "规下": "规下", "规模以下": "规下"}
_UNIT_IN_HEADER = re.compile(r"[（(]\s*([^（）()]*?)\s*[)）]\s*$")
MAX_LENGTHS = {"certificate_no": 60, "name": 100, "use": 30, "meter": 60}


@dataclass
class Checked:
    """A file read and checked: the typed rows (columns by id, ``_row``, ``enterprise_id``
    and the registry's current values where the source needs them), the problems that
    stop the import and the notices the preview shows."""

    source: Source
    year: int
    frame: pl.DataFrame
    headers: dict[str, str] = field(default_factory=dict)
    problems: list[CellProblem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    formulas: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def rows(self) -> int:
        return self.frame.height

    def header(self, column_id: str) -> str:
        return self.headers.get(column_id) or self.source.column(column_id).header


def check_file(source: Source | str, path: str | Path, *, year: int) -> Checked:
    source = get_source(source) if isinstance(source, str) else source
    checked = Checked(source, year, pl.DataFrame())
    if not FIRST_YEAR <= year <= LAST_YEAR:
        checked.problems.append(CellProblem(f"年度应在 {FIRST_YEAR}–{LAST_YEAR} 之间：{year}"))
    try:
        guard_archive(path)  # before either reader below unpacks it
    except TableError as exc:
        checked.problems.extend(exc.problems)
        return checked
    # polars reads the cells and the sheet's own XML is scanned in two threads (calamine
    # and zlib work outside the GIL) while this one loads the registry's codes (the
    # database connection belongs to this thread)
    with ThreadPoolExecutor(max_workers=2) as pool:
        reading = pool.submit(read_table, path)
        scanning = pool.submit(sheet_features, path)
        index = _registry_index(source)
        try:
            raw = reading.result()
        except TableError as exc:
            checked.problems.extend(exc.problems)
            return checked
        features = scanning.result()
    raw = raw.with_row_index(ROW, offset=FIRST_DATA_ROW).filter(
        ~pl.all_horizontal(pl.all().exclude(ROW).is_null())
    )
    if raw.height == 0:
        checked.problems.append(CellProblem("文件或工作表中没有数据行"))
        return checked
    _check_sheet(checked, features, raw.columns[1:])
    frame = _resolve_headers(checked, raw)
    frame = _typed(checked, frame)
    checked.frame = frame
    _check_cells(checked, index)
    _check_duplicates(checked)
    SOURCE_CHECKS.get(source.id, lambda checked: None)(checked)
    checked.problems.sort(key=lambda p: (p.row or 0, _column_order(checked, p.column)))
    checked.problems = cap_problems(checked.problems)
    return checked


def _column_order(checked: Checked, column: str | None) -> int:
    written = list(checked.headers.values())
    return written.index(column) if column in written else len(written)


# --- the sheet and its headers -----------------------------------------------------------


def _check_sheet(checked: Checked, features: SheetFeatures, columns: list[str]) -> None:
    def header_at(index: int) -> str | None:
        return columns[index] if index < len(columns) else None

    for first, last in features.merged:
        ref = first.ref if first == last else f"{first.ref}:{last.ref}"
        checked.problems.append(
            CellProblem(
                f"合并单元格（{ref}）：请取消合并，并在每一行填写完整的值",
                row=first.row,
                column=header_at(first.column),
            )
        )
    for cell in features.formulas_without_value:
        checked.problems.append(
            CellProblem(
                f"公式（{cell.ref}）没有保存计算结果：请在 Excel 中打开、计算并保存后再导入",
                row=cell.row,
                column=header_at(cell.column),
            )
        )
    checked.formulas = len(features.formulas)
    if features.formulas:
        examples = "、".join(cell.ref for cell in features.formulas[:5])
        more = "等" if len(features.formulas) > 5 else ""
        checked.notices.append(
            f"有 {len(features.formulas)} 个单元格是公式（{examples}{more}），导入使用其计算结果（缓存值）"
        )


def _resolve_headers(checked: Checked, raw: pl.DataFrame) -> pl.DataFrame:
    source = checked.source
    lookup: dict[str, str] = {}
    for column in source.columns:
        lookup[header_key(column.id)] = column.id
        lookup[header_key(column.label)] = column.id
    keep: dict[str, str] = {}
    for written in raw.columns[1:]:
        if not written or written.startswith("__UNNAMED__") or written.startswith("_duplicated_"):
            checked.problems.append(CellProblem("表头为空，但这一列有数据", row=1, column=written or None))
            continue
        column_id = lookup.get(header_key(written))
        if column_id is None:
            checked.problems.append(
                CellProblem(f"无法识别的表头（{source.label}模板的列见模板“说明”页）", row=1, column=written)
            )
        elif column_id in keep.values():
            checked.problems.append(
                CellProblem(f"与「{checked.headers[column_id]}」重复", row=1, column=written)
            )
        else:
            keep[written] = column_id
            checked.headers[column_id] = written
    for column in source.columns:
        if column.required and column.id not in checked.headers:
            checked.problems.append(CellProblem(f"缺少必需的列「{column.header}」（{column.id}）", row=1))
    for column in source.columns:
        if column.kind == "area" and column.id in checked.headers:
            unit = _header_unit(checked.headers[column.id])
            if unit not in SQUARE_METRE_UNITS | MU_UNITS:
                checked.problems.append(
                    CellProblem(
                        f"无法识别的面积单位「{unit}」，请在表头写明「亩」或「㎡」",
                        row=1,
                        column=checked.headers[column.id],
                    )
                )
    return raw.select([ROW, *keep]).rename(keep)


def _header_unit(header: str) -> str:
    match = _UNIT_IN_HEADER.search(header)
    return match.group(1) if match else ""


def _typed(checked: Checked, frame: pl.DataFrame) -> pl.DataFrame:
    kinds = {"number": "number", "integer": "number", "area": "number", "date": "date"}
    present = [c for c in checked.source.columns if c.id in frame.columns]
    frame, problems = typed_columns(
        frame,
        {c.id: kinds.get(c.kind, "text") for c in present},
        {c.id: checked.headers[c.id] for c in present},
    )
    rows = frame.get_column(ROW)
    # typed_columns counts rows from the frame's first row; blank rows may have been dropped
    checked.problems.extend(
        CellProblem(p.reason, row=rows[p.row - FIRST_DATA_ROW], column=p.column, value=p.value)
        for p in problems
    )
    area_columns = [c for c in present if c.kind == "area"]
    if area_columns:
        frame = frame.with_columns(
            (pl.col(c.id) * _mu_per_unit(checked.headers[c.id])).alias(c.id) for c in area_columns
        )
    return frame


def _mu_per_unit(header: str) -> float:
    return 15 / 10000 if _header_unit(header) in SQUARE_METRE_UNITS else 1.0


# --- cells ---------------------------------------------------------------------------


def _problems_where(checked: Checked, condition: pl.Expr, column_id: str, reason) -> None:
    """A problem for every row where ``condition`` holds; ``reason`` may be a function of the row."""
    header = checked.header(column_id)
    for row in checked.frame.filter(condition).iter_rows(named=True):
        text = reason(row) if callable(reason) else reason
        checked.problems.append(
            CellProblem(text, row=row[ROW], column=header, value=_shown(row.get(column_id)))
        )


def _shown(value) -> object:
    if isinstance(value, float):
        return f"{value:,.4f}".rstrip("0").rstrip(".")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _check_cells(checked: Checked, index: pl.DataFrame) -> None:
    frame = checked.frame
    for column in checked.source.columns:
        if column.id not in frame.columns:
            continue
        value = pl.col(column.id)
        if column.kind in ("number", "integer", "area"):
            _problems_where(checked, value < 0, column.id, "不能为负数")
            if column.maximum is not None:
                unit = "亩" if column.kind == "area" else column.unit
                _problems_where(
                    checked,
                    value > column.maximum,
                    column.id,
                    f"数值过大（超过 {column.maximum:,} {unit}），请检查数值和单位",
                )
            if column.kind == "integer":
                _problems_where(checked, (value != value.round(0)) & (value >= 0), column.id, "应为整数")
        elif column.kind == "scale":
            _problems_where(
                checked,
                value.is_not_null() & ~value.is_in(list(SCALE_WORDS)),
                column.id,
                "应为「规上」或「规下」",
            )
        max_length = MAX_LENGTHS.get(column.id)
        if max_length and frame.schema[column.id] == pl.String:
            _problems_where(
                checked, value.str.len_chars() > max_length, column.id, f"过长（最多 {max_length} 个字）"
            )
    if "scale" in frame.columns:
        frame = frame.with_columns(pl.col("scale").replace_strict(SCALE_WORDS, default=None))
    checked.frame = frame
    _check_codes(checked, "uscc", index, required=True, must_exist=checked.source.known_enterprises)


def _registry_index(source: Source) -> pl.DataFrame:
    """Every enterprise's code and id, and its scale where the source may change it (names
    are not loaded: 100,000 of them cost more than the rest of the check; the file's
    企业名称 is for the people reading it, the code decides)."""
    columns = ["scale"] if any(column.id == "scale" for column in source.columns) else []
    rows = sql.select(Enterprise, ["uscc", "id", *columns])
    schema = {"uscc": pl.String, "id": pl.Int64} | {c: pl.String for c in columns}
    return pl.DataFrame(rows, schema=schema, orient="row")


def _check_codes(
    checked: Checked, column_id: str, index: pl.DataFrame, *, required: bool, must_exist: bool
) -> None:
    """Credit codes: present where required, valid, and in the registry where they must be.
    Adds ``enterprise_id`` (or ``tenant_id``) and the registry's name and scale."""
    frame = checked.frame
    if column_id not in frame.columns:
        return
    header = checked.header(column_id)
    frame = frame.with_columns(pl.col(column_id).str.to_uppercase())
    id_column = ENTERPRISE_ID if column_id == "uscc" else f"{column_id}_id"
    if column_id == "uscc":
        index = index.rename({c: f"registry_{c}" for c in index.columns[2:]})
    else:
        index = index.select("uscc", "id")
    index = index.rename({"uscc": column_id, "id": id_column})
    frame = frame.join(index, on=column_id, how="left", maintain_order="left")
    checked.frame = frame
    if required:
        _problems_where(checked, pl.col(column_id).is_null(), column_id, "缺少统一社会信用代码")
    unknown = frame.filter(pl.col(column_id).is_not_null() & pl.col(id_column).is_null())
    for row, code in unknown.select(ROW, column_id).iter_rows():
        reason = uscc_problem(code)
        if reason is None and must_exist:
            reason = "企业库中没有这个统一社会信用代码（新企业请先用“企业名录”导入）"
        if reason:
            checked.problems.append(CellProblem(reason, row=row, column=header, value=code))


def _check_duplicates(checked: Checked) -> None:
    key = list(checked.source.key)
    frame = checked.frame
    if not all(k in frame.columns for k in key) or frame.get_column(key[0]).is_null().all():
        return
    first = (
        frame.filter(pl.col(key[0]).is_not_null())
        .with_columns(pl.col(ROW).first().over(key).alias("_first"))
        .filter(pl.col(ROW) != pl.col("_first"))
    )
    header = checked.header(key[0])
    noun = {"uscc": "统一社会信用代码", "meter": "电表户号", "certificate_no": "不动产权证号和承租企业"}[
        key[0]
    ]
    for row in first.iter_rows(named=True):
        checked.problems.append(
            CellProblem(f"{noun}与第{row['_first']}行重复", row=row[ROW], column=header, value=row[key[0]])
        )


def _required_cells(checked: Checked, column_ids: list[str], condition: pl.Expr | None = None) -> None:
    for column_id in column_ids:
        if column_id not in checked.frame.columns:
            continue
        missing = pl.col(column_id).is_null()
        if condition is not None:
            missing = missing & condition
        column = checked.source.column(column_id)
        _problems_where(checked, missing, column_id, f"缺少{column.label}")


# --- per source ----------------------------------------------------------------------


def _check_power(checked: Checked) -> None:
    _required_cells(checked, ["meter", "electricity"])


def _check_land(checked: Checked) -> None:
    _required_cells(checked, ["certificate_no", "area"])
    _check_codes(checked, "tenant", _registry_index(checked.source), required=False, must_exist=True)
    frame = checked.frame
    if not {"tenant", "lease_area", "certificate_no", "area"} <= set(frame.columns):
        return
    _problems_where(
        checked,
        pl.col("tenant").is_not_null() & pl.col("lease_area").is_null(),
        "lease_area",
        "填写了“出租给”，但缺少出租面积",
    )
    _problems_where(
        checked,
        pl.col("tenant").is_null() & pl.col("lease_area").is_not_null(),
        "tenant",
        "填写了出租面积，但缺少承租企业",
    )
    _problems_where(checked, pl.col("tenant") == pl.col("uscc"), "tenant", "承租企业不能是宗地权利人本身")
    parcel = ["uscc", "area"] + (["use"] if "use" in frame.columns else [])
    same_parcel = frame.filter(pl.col("certificate_no").is_not_null()).with_columns(
        pl.col(ROW).first().over("certificate_no").alias("_first"),
        *(pl.col(c).first().over("certificate_no").alias(f"_first_{c}") for c in parcel),
    )
    for column_id in parcel:
        _problems_where_in(
            checked,
            same_parcel,
            (pl.col(ROW) != pl.col("_first")) & (pl.col(column_id) != pl.col(f"_first_{column_id}")),
            column_id,
            lambda row: f"同一宗地与第{row['_first']}行不一致",
        )
    last_lease = pl.col(ROW).filter(pl.col("lease_area").is_not_null()).max().over("certificate_no")
    leased = same_parcel.with_columns(pl.col("lease_area").sum().over("certificate_no").alias("_leased"))
    _problems_where_in(
        checked,
        leased,
        (pl.col("_leased") > pl.col("_first_area") + 1e-9) & (pl.col(ROW) == last_lease),
        "lease_area",
        lambda row: f"出租面积合计 {_shown(row['_leased'])} 亩超过宗地面积 {_shown(row['_first_area'])} 亩",
    )
    _check_lease_conflicts(checked)


def _problems_where_in(
    checked: Checked, frame: pl.DataFrame, condition: pl.Expr, column_id: str, reason
) -> None:
    saved, checked.frame = checked.frame, frame
    try:
        _problems_where(checked, condition, column_id, reason)
    finally:
        checked.frame = saved


def _check_lease_conflicts(checked: Checked) -> None:
    """A lease the file lists that already exists for longer than the year with another
    area cannot be changed by a yearly file: it would change the other years too."""
    rows = checked.frame.filter(pl.col("tenant_id").is_not_null() & pl.col("lease_area").is_not_null())
    if rows.height == 0:
        return
    certificates = rows.get_column("certificate_no").unique().to_list()
    first, last = dt.date(checked.year, 1, 1), dt.date(checked.year, 12, 31)
    existing = {
        (lease.parcel.certificate_no, lease.tenant_id): lease
        for lease in leases_in_year(checked.year)
        .filter(parcel__certificate_no__in=certificates)
        .select_related("parcel")
    }
    header = checked.header("lease_area")
    for row in rows.iter_rows(named=True):
        lease: Lease | None = existing.get((row["certificate_no"], row["tenant_id"]))
        if lease is None or round(float(lease.area_mu), 4) == round(row["lease_area"], 4):
            continue
        within_year = lease.start >= first and lease.end is not None and lease.end <= last
        if not within_year:
            checked.problems.append(
                CellProblem(
                    f"该宗地已有出租记录（{lease.area_mu.normalize():f} 亩，{lease.start}"
                    f"–{lease.end or '长期'}），跨越多个年度，年度文件不能修改其面积；"
                    "请先在企业库中调整原出租记录",
                    row=row[ROW],
                    column=header,
                    value=_shown(row["lease_area"]),
                )
            )


def _check_registry(checked: Checked) -> None:
    frame = checked.frame
    new = pl.col(ENTERPRISE_ID).is_null() & pl.col("uscc").is_not_null()
    _required_cells(checked, ["name", "town", "industry"], new)
    if "industry" in frame.columns:
        # a class code typed as a number loses its leading zero (0610 -> 610)
        frame = frame.with_columns(
            pl.when(pl.col("industry").str.contains(r"^\d{3}$"))
            .then(pl.col("industry").str.zfill(4))
            .otherwise(pl.col("industry"))
            .alias("industry")
        )
        classes = list(Industry.objects.filter(level=Industry.Level.CLASS).values_list("code", flat=True))
        checked.frame = frame
        _problems_where(
            checked,
            pl.col("industry").is_not_null() & ~pl.col("industry").is_in(classes),
            "industry",
            lambda row: f"未知的行业小类代码「{row['industry']}」（应为GB/T 4754-2017的4位代码）",
        )
    if "town" in frame.columns:
        towns = {}
        for town_id, code, name in Town.objects.values_list("id", "code", "name"):
            towns[code] = town_id
            towns[name] = town_id
        frame = checked.frame.with_columns(
            pl.col("town").replace_strict(towns, default=None, return_dtype=pl.Int64).alias("town_id")
        )
        checked.frame = frame
        _problems_where(
            checked,
            pl.col("town").is_not_null() & pl.col("town_id").is_null(),
            "town",
            lambda row: f"未知的镇街「{row['town']}」（填写镇街名称或代码）",
        )


SOURCE_CHECKS = {
    "power": _check_power,
    "land": _check_land,
    "registry": _check_registry,
}
