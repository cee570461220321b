"""Indicator values, benchmarks and scores for one group, as polars expressions.

Every statistic is taken over the group's *reference* enterprises for an
indicator: graded (not exempt) and with a value. ``rank_within`` never affects them.
"""

from __future__ import annotations

import polars as pl

from zhuanxing.scoring.errors import EvaluationError
from zhuanxing.scoring.expressions import compile_expression, divide
from zhuanxing.scoring.scheme import Group, Indicator

GRADED = ~pl.col("_exempt")


def numerator(indicator: Indicator) -> str:
    return f"_num.{indicator.id}"


def denominator(indicator: Indicator) -> str:
    return f"_den.{indicator.id}"


def value(indicator: Indicator) -> str:
    return f"{indicator.id}_value"


def benchmark(indicator: Indicator) -> str:
    return f"{indicator.id}_benchmark"


def score(indicator: Indicator) -> str:
    return f"{indicator.id}_score"


def raw_score(indicator: Indicator) -> str:
    return f"_raw.{indicator.id}"


def is_reference(indicator: Indicator) -> pl.Expr:
    return GRADED & pl.col(value(indicator)).is_not_null()


def reference(indicator: Indicator, column: str) -> pl.Expr:
    """``column`` where the enterprise is a reference for ``indicator``, else null."""
    return pl.when(is_reference(indicator)).then(pl.col(column))


# ---------------------------------------------------------------- values


def numerator_and_denominator(group: Group) -> list[pl.Expr]:
    exprs = []
    for indicator in group.indicators:
        exprs.append(compile_expression(indicator.numerator).cast(pl.Float64).alias(numerator(indicator)))
        exprs.append(compile_expression(indicator.denominator).cast(pl.Float64).alias(denominator(indicator)))
    return exprs


def values(group: Group) -> list[pl.Expr]:
    """numerator / denominator × multiplier; null when a side is null or the denominator ≤ 0."""
    exprs = []
    for indicator in group.indicators:
        num, den = pl.col(numerator(indicator)), pl.col(denominator(indicator))
        result = divide(num, den) * indicator.multiplier
        exprs.append(
            pl.when(num.is_not_null() & (den > 0) & result.is_finite()).then(result).alias(value(indicator))
        )
    return exprs


# ---------------------------------------------------------------- benchmarks


def _statistic(indicator: Indicator) -> pl.Expr:
    """The benchmark statistic over the reference enterprises (of the window it is used in)."""
    spec = indicator.benchmark
    if spec.kind == "fixed":
        return pl.lit(spec.value, dtype=pl.Float64)
    if spec.kind == "aggregate":  # Σ numerator / Σ denominator × multiplier, as statistics offices compute it
        total_num = reference(indicator, numerator(indicator)).sum()
        total_den = reference(indicator, denominator(indicator)).sum()
        return pl.when(total_den > 0).then(total_num / total_den * indicator.multiplier)
    values_ = reference(indicator, value(indicator))
    if spec.kind == "mean":
        return values_.mean()
    if spec.kind == "median":
        return values_.median()
    return values_.quantile(spec.value / 100, interpolation="linear")  # numpy's default method


def uses_partition(indicator: Indicator) -> str:
    return f"_by.{indicator.id}"


def benchmarks(group: Group) -> list[pl.Expr]:
    """``<id>_benchmark``: the group-wide statistic, or with ``by`` the statistic of the
    enterprise's partition when that has at least ``min_group_size`` references
    (``_by.<id>`` says which was used, for error messages)."""
    exprs = []
    for indicator in group.indicators:
        spec = indicator.benchmark
        if indicator.scoring == "minmax":
            exprs.append(pl.lit(None, dtype=pl.Float64).alias(benchmark(indicator)))
            continue
        partitioned = pl.lit(False)
        result = _statistic(indicator)
        if spec.by is not None and spec.kind != "fixed":
            partitioned = is_reference(indicator).sum().over(spec.by) >= spec.min_group_size
            result = pl.when(partitioned).then(_statistic(indicator).over(spec.by)).otherwise(result)
        exprs += [
            result.cast(pl.Float64).alias(benchmark(indicator)),
            partitioned.alias(uses_partition(indicator)),
        ]
    return exprs


def check_benchmarks(group: Group, frame: pl.DataFrame) -> None:
    """A benchmark that came out null or ≤ 0 is an error naming the indicator (and partition)."""
    checked = [i for i in group.indicators if i.scoring != "minmax"]
    is_bad = [(pl.col(benchmark(i)).is_null() | (pl.col(benchmark(i)) <= 0)).any() for i in checked]
    if not checked or not any(frame.lazy().select(is_bad).collect().row(0)):
        return
    problems = []
    for indicator in checked:
        column = benchmark(indicator)
        bad = frame.filter(pl.col(column).is_null() | (pl.col(column) <= 0))
        where = f"评价组「{group.label}」指标「{indicator.label}」（{indicator.id}）"
        by = indicator.benchmark.by
        if by is not None:
            partitions = bad.filter(pl.col(uses_partition(indicator))).unique(by, maintain_order=True)
            for partition, amount in partitions.select(by, column).iter_rows():
                problems.append(f"{where}在 {by} =「{partition}」的企业中基准值为 {amount:g}，应大于 0")
        group_wide = bad.filter(~pl.col(uses_partition(indicator))).get_column(column)
        if group_wide.len() and group_wide[0] is None:
            problems.append(f"{where}的基准值无法计算：没有参评企业有该指标值")
        elif group_wide.len():
            problems.append(f"{where}的基准值为 {group_wide[0]:g}，应大于 0")
    if problems:
        raise EvaluationError(problems)


# ---------------------------------------------------------------- scores


def raw_scores(group: Group) -> list[pl.Expr]:
    """The score of each enterprise that has a value; null where the value is missing."""
    exprs = []
    for indicator in group.indicators:
        v, b = pl.col(value(indicator)), pl.col(benchmark(indicator))
        cap, weight = indicator.cap, indicator.weight
        if indicator.scoring == "ratio":
            result = divide(v, b).clip(0, cap) * weight
        elif indicator.scoring == "inverse":  # lower is better; a value of 0 is the best there is
            result = pl.when(v == 0).then(cap * weight).otherwise((b / v).clip(0, cap) * weight)
        else:
            result = _minmax(indicator)
        exprs.append(pl.when(v.is_not_null()).then(result).alias(raw_score(indicator)))
    return exprs


def _minmax(indicator: Indicator) -> pl.Expr:
    v = pl.col(value(indicator))
    low, high, weight = indicator.low, indicator.high, indicator.weight
    smallest = reference(indicator, value(indicator)).min()
    largest = reference(indicator, value(indicator)).max()
    scaled = (low + divide((high - low) * (v - smallest), largest - smallest)).clip(low, high)
    # no spread (or no reference at all, for an exempt firm): everyone gets the top
    result = pl.when(largest.is_null() | (largest == smallest)).then(weight * high / 100)
    result = result.otherwise(divide(weight * scaled, pl.lit(100.0)))
    return result.clip(upper_bound=indicator.cap * weight) if indicator.cap is not None else result


def scores(group: Group) -> list[pl.Expr]:
    """``<id>_score`` with missing values filled: zero → 0, mean_score → the mean score of
    the references (0 if none), renormalize → left empty (the total is rescaled)."""
    exprs = []
    for indicator in group.indicators:
        raw = pl.col(raw_score(indicator))
        if indicator.missing == "zero":
            result = raw.fill_null(0.0)
        elif indicator.missing == "mean_score":
            result = raw.fill_null(reference(indicator, raw_score(indicator)).mean().fill_null(0.0))
        else:
            result = raw
        exprs.append(result.alias(score(indicator)))
    return exprs


def indicator_total(group: Group) -> pl.Expr:
    """Sum of the scores, scaled up by all weights / the weights not left out (renormalize)."""
    total = pl.sum_horizontal(pl.col(score(i)) for i in group.indicators)
    renormalized = [i for i in group.indicators if i.missing == "renormalize"]
    if not renormalized:
        return total
    left_out = pl.sum_horizontal(
        pl.when(pl.col(score(i)).is_null()).then(i.weight).otherwise(0.0) for i in renormalized
    )
    all_weights = group.total_weight
    kept = all_weights - left_out
    # nothing weighted is left: the remaining scores are all 0 and stay so
    return pl.when(kept > 0).then(total * (all_weights / kept)).otherwise(total)
