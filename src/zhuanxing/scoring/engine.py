"""``evaluate(scheme, frame) -> frame``: the 亩均效益综合评价 of every enterprise.

Vectorised polars throughout: one pass per group, no Python loop over enterprises.
"""

from __future__ import annotations

import polars as pl

from zhuanxing.scoring import classify, indicators
from zhuanxing.scoring.columns import INDICATOR_OUTPUT, LEADING_OUTPUT, TRAILING_OUTPUT
from zhuanxing.scoring.errors import EvaluationError
from zhuanxing.scoring.expressions import condition
from zhuanxing.scoring.io import prepare_input
from zhuanxing.scoring.scheme import Scheme


def output_schema(scheme: Scheme) -> dict[str, pl.DataType]:
    """Output columns in order: uscc, name, group, value/benchmark/score per indicator, then the rest."""
    schema = {column: dtype for column, (_, dtype) in LEADING_OUTPUT.items()}
    for indicator in scheme.indicators():
        schema.update({f"{indicator.id}_{suffix}": pl.Float64 for suffix in INDICATOR_OUTPUT})
    schema.update({column: dtype for column, (_, dtype) in TRAILING_OUTPUT.items()})
    return schema


def evaluate(scheme: Scheme, frame: pl.DataFrame) -> pl.DataFrame:
    """One row per evaluated enterprise, in input order. ``frame`` has Chinese labels or
    English ids as headers, text or typed cells. Raises InputError (bad data, every
    problem with its row) or EvaluationError (a benchmark null or ≤ 0)."""
    data = _assign_groups(scheme, prepare_input(scheme, frame).with_row_index("_row"))
    parts, problems = [], []
    for index in sorted(data.get_column("_group").drop_nulls().unique().to_list()):
        group = scheme.groups[index]
        members = (
            data.lazy()
            .select("_row", "_group", *group.referenced_columns())
            .filter(pl.col("_group") == index)
        )
        try:
            parts.append(_evaluate_group(scheme, index, members))
        except EvaluationError as exc:
            problems += exc.problems
    if problems:
        raise EvaluationError(problems)
    return _in_input_order(scheme, data, parts)


def _assign_groups(scheme: Scheme, data: pl.DataFrame) -> pl.DataFrame:
    """``_group``: the index of the first group whose population the enterprise meets, else null."""
    membership = pl.lit(None, dtype=pl.Int64)
    for index in reversed(range(len(scheme.groups))):
        membership = pl.when(condition(scheme.groups[index].population)).then(index).otherwise(membership)
    return data.with_columns(_group=membership)


def _evaluate_group(scheme: Scheme, index: int, members: pl.LazyFrame) -> pl.LazyFrame:
    """The group's numbers and codes; the benchmarks are checked on the way."""
    group = scheme.groups[index]
    frame = (
        members.with_columns(classify.exempt(group), *indicators.numerator_and_denominator(group))
        .with_columns(indicators.values(group))
        .with_columns(indicators.benchmarks(group))
        .collect()
    )
    indicators.check_benchmarks(group, frame)
    frame = (
        frame.lazy()
        .with_columns(indicators.raw_scores(group))
        .with_columns(indicators.scores(group))
        .with_columns(classify.adjustments(group))
        .with_columns(
            _indicators=indicators.indicator_total(group),
            adjustment=classify.adjustment_total(group),
            exempt=pl.col("_exempt"),
        )
        .with_columns(total=pl.col("_indicators") + pl.col("adjustment"))
    )
    frame = classify.ranking(frame, group)
    frame = classify.classes(frame, group, scheme.class_codes).with_columns(classify.reason_mask(group))
    columns = [f"{i.id}_{suffix}" for i in group.indicators for suffix in INDICATOR_OUTPUT]
    columns += [c for c, (_, dtype) in TRAILING_OUTPUT.items() if dtype in (pl.Float64, pl.Int64)]
    # the reason mask's bits mean different labels in each group: tag the mask with the group
    reasons = pl.col("_reasons") * len(scheme.groups) + index
    return frame.select("_row", "_group", "_initial", "_final", reasons, "exempt", *columns)


def _in_input_order(scheme: Scheme, data: pl.DataFrame, parts: list[pl.LazyFrame]) -> pl.DataFrame:
    """The groups' results merged back into input order. Only numbers and codes are moved
    (much cheaper than text); the text columns are made afterwards."""
    schema = output_schema(scheme)
    if not parts:
        return pl.DataFrame(schema=schema)
    result = pl.concat(parts, how="diagonal").sort("_row").collect()
    groups = len(scheme.groups)
    reason_codes = result.get_column("_reasons").unique().to_list()
    reasons = [classify.reason_text(scheme.groups[code % groups], code // groups) for code in reason_codes]
    class_indexes = list(range(len(scheme.class_codes)))
    texts = {
        "group": pl.col("_group").replace_strict(list(range(groups)), [g.id for g in scheme.groups]),
        "initial_class": pl.col("_initial").replace_strict(class_indexes, scheme.class_codes),
        "final_class": pl.col("_final").replace_strict(class_indexes, scheme.class_codes),
        "reasons": pl.col("_reasons").replace_strict(reason_codes, reasons),
    }
    names = data.lazy().filter(pl.col("_group").is_not_null()).select("uscc", "name")
    merged = pl.concat([names, result.lazy()], how="horizontal")
    return merged.select(
        texts.get(c, pl.col(c) if c in result.columns or c in ("uscc", "name") else pl.lit(None))
        .cast(dtype)
        .alias(c)
        for c, dtype in schema.items()
    ).collect()
