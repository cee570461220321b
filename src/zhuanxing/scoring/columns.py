"""The input columns a scheme may use, and the output columns' Chinese labels."""

from __future__ import annotations

import polars as pl

# id -> (Chinese label, kind). Kinds are zhuanxing.tabular.typed_columns kinds.
INPUT_COLUMNS: dict[str, tuple[str, str]] = {
    "uscc": ("统一社会信用代码", "text"),
    "name": ("企业名称", "text"),
    "industry": ("行业代码", "text"),
    "town": ("镇街", "text"),
    "scale": ("规模", "text"),
    "founded": ("成立日期", "date"),
    "land_mu": ("用地面积", "number"),
    "tax": ("评价税收", "number"),
    "social_insurance": ("社保费", "number"),
    "sales": ("销售收入", "number"),
    "revenue": ("主营业务收入", "number"),
    "value_added": ("工业增加值", "number"),
    "employees": ("年平均职工人数", "number"),
    "energy_tce": ("综合能耗", "number"),
    "electricity": ("用电量", "number"),
    "emissions": ("主要污染物排放量", "number"),
    "emission_rights": ("排污权", "number"),
    "rd": ("研发经费", "number"),
    "high_tech": ("高新技术企业", "boolean"),
    "major_accident": ("重大安全事故", "boolean"),
    "env_violation": ("环境违法", "boolean"),
    "tenants": ("出租户数", "number"),
    "water": ("用水量", "number"),
}
INPUT_LABELS = {column: label for column, (label, _) in INPUT_COLUMNS.items()}
INPUT_KINDS = {column: kind for column, (_, kind) in INPUT_COLUMNS.items()}

# Columns the engine derives: id -> (the input column it comes from, Chinese label).
DERIVED_COLUMNS: dict[str, tuple[str, str]] = {
    "industry_division": ("industry", "行业大类"),
    "age_years": ("founded", "企业年龄"),
}

_KIND_DTYPES = {"text": pl.String, "number": pl.Float64, "boolean": pl.Boolean, "date": pl.Date}
COLUMN_DTYPES: dict[str, pl.DataType] = {
    **{column: _KIND_DTYPES[kind] for column, kind in INPUT_KINDS.items()},
    "industry_division": pl.String,
    "age_years": pl.Int64,
}

# Fixed output columns: id -> (Chinese label for xlsx, dtype).
LEADING_OUTPUT = {
    "uscc": ("统一社会信用代码", pl.String),
    "name": ("企业名称", pl.String),
    "group": ("评价组", pl.String),
}
TRAILING_OUTPUT = {
    "adjustment": ("加减分", pl.Float64),
    "total": ("总分", pl.Float64),
    "rank": ("排名", pl.Int64),
    "percentile": ("排名百分位", pl.Float64),
    "initial_class": ("初评等级", pl.String),
    "final_class": ("最终等级", pl.String),
    "exempt": ("不评级", pl.Boolean),
    "reasons": ("原因", pl.String),
}
# Indicator output columns: suffix -> Chinese suffix appended to the indicator's label.
INDICATOR_OUTPUT = {"value": "指标值", "benchmark": "基准值", "score": "得分"}


def known_columns() -> set[str]:
    """Every column name an expression, ``by`` or ``rank_within`` may refer to."""
    return set(INPUT_COLUMNS) | set(DERIVED_COLUMNS)


def source_column(column: str) -> str:
    """The input column a scheme's reference needs: derived columns need their source."""
    return DERIVED_COLUMNS[column][0] if column in DERIVED_COLUMNS else column
