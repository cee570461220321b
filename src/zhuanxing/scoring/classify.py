"""Adjustments, ranks, classes and rules for one group, as polars expressions.

Classes are handled as indexes into the scheme's class list (0 = best), so "not
worse than" is a ``min`` and "not better than" a ``max``.
"""

from __future__ import annotations

import polars as pl

from zhuanxing.scoring.expressions import compile_expression, condition, divide
from zhuanxing.scoring.indicators import GRADED
from zhuanxing.scoring.scheme import Adjustment, Group


def adjustment_column(index: int) -> str:
    return f"_adj.{index}"


def exempt(group: Group) -> pl.Expr:
    rules = [condition(rule.when) for rule in group.rules if rule.action == "exempt"]
    return (pl.any_horizontal(rules) if rules else pl.lit(False)).alias("_exempt")


def adjustments(group: Group) -> list[pl.Expr]:
    return [_contribution(a).alias(adjustment_column(i)) for i, a in enumerate(group.adjustments)]


def _contribution(adjustment: Adjustment) -> pl.Expr:
    """``when``: the points where true; ``per``: points × the expression (null counts 0),
    only where ``when`` holds if both are given; ``max`` clips it to ±max."""
    if adjustment.per is None:
        points = pl.lit(adjustment.points, dtype=pl.Float64)
    else:
        points = (adjustment.points * compile_expression(adjustment.per).cast(pl.Float64)).fill_null(0.0)
    if adjustment.when is not None:
        points = pl.when(condition(adjustment.when)).then(points).otherwise(0.0)
    if adjustment.max is not None:
        points = points.clip(-adjustment.max, adjustment.max)
    return points


def adjustment_total(group: Group) -> pl.Expr:
    if not group.adjustments:
        return pl.lit(0.0)
    return pl.sum_horizontal(pl.col(adjustment_column(i)) for i in range(len(group.adjustments)))


def ranking(frame: pl.LazyFrame, group: Group) -> pl.LazyFrame:
    """``rank`` = 1 + the number of graded enterprises of the partition with a strictly
    higher total (totals rounded to 6 decimals); ``percentile`` = rank / graded count.
    ``rank_within`` partitions (null being one of its own) smaller than
    ``rank_within_min`` are pooled into one partition."""
    frame = frame.with_columns(_total6=pl.when(GRADED).then(pl.col("total").round(6)))
    rank, graded_count = pl.col("_total6").rank("min", descending=True), GRADED.sum()
    if group.rank_within is not None:
        column = pl.col(group.rank_within)
        pooled = GRADED.sum().over(group.rank_within) < group.rank_within_min
        frame = frame.with_columns(_pooled=pooled, _partition=pl.when(~pooled).then(column))
        rank, graded_count = rank.over("_pooled", "_partition"), graded_count.over("_pooled", "_partition")
    frame = frame.with_columns(rank=rank.cast(pl.Int64))
    return frame.with_columns(percentile=pl.when(GRADED).then(divide(pl.col("rank"), graded_count)))


def classes(frame: pl.LazyFrame, group: Group, codes: tuple[str, ...]) -> pl.LazyFrame:
    """``_initial`` by quota or thresholds, then ``_final`` after the rules: every true
    at_least, then every true at_most, then every true set, in file order. Both are
    indexes into ``codes`` (best first), null for the exempt."""
    position = {code: index for index, code in enumerate(codes)}
    measure = pl.col("percentile") if group.classify.method == "quota" else pl.col("_total6")
    initial = pl.when(~GRADED).then(None)
    for code, limit in group.classify.limits:
        # quota: the first class whose cumulative share ≥ percentile; thresholds: whose minimum ≤ total
        initial = initial.when(measure <= limit if group.classify.method == "quota" else measure >= limit)
        initial = initial.then(position[code])
    initial = initial.otherwise(len(codes) - 1)
    final = pl.col("_initial")
    for action in ("at_least", "at_most", "set"):
        for rule in (r for r in group.rules if r.action == action):
            target = position[rule.target]
            holds = condition(rule.when)
            if action == "at_least":
                final = pl.when(holds).then(pl.min_horizontal(final, target)).otherwise(final)
            elif action == "at_most":
                final = pl.when(holds).then(pl.max_horizontal(final, target)).otherwise(final)
            else:
                final = pl.when(holds).then(pl.lit(target)).otherwise(final)
    return frame.with_columns(_initial=initial).with_columns(_final=pl.when(GRADED).then(final))


def _reasons_in_file_order(group: Group) -> list[tuple[str, pl.Expr]]:
    rules = [(rule.label, condition(rule.when)) for rule in group.rules]
    added = [(a.label, pl.col(adjustment_column(i)) != 0) for i, a in enumerate(group.adjustments)]
    return rules + added if group.rules_before_adjustments else added + rules


def reason_mask(group: Group) -> pl.Expr:
    """``_reasons``: bit k set when the k-th reason (``reason_text``'s order) applies. There are
    few distinct sets of reasons, so labels are joined once per set, not once per enterprise."""
    bits = [
        pl.when(holds).then(pl.lit(1 << bit, dtype=pl.Int64)).otherwise(0)
        for bit, (_, holds) in enumerate(_reasons_in_file_order(group))
    ]
    return (pl.sum_horizontal(bits) if bits else pl.lit(0, dtype=pl.Int64)).alias("_reasons")


def reason_text(group: Group, mask: int) -> str:
    """Labels of the rules whose condition held and of the adjustments that added non-zero
    points, in the order they appear in the scheme file, ``；``-separated."""
    labels = [label for label, _ in _reasons_in_file_order(group)]
    return "；".join(label for bit, label in enumerate(labels) if mask >> bit & 1)
