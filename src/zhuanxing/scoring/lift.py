"""What lifts an enterprise one class (模拟测算): ``lift`` and ``Baseline``.

Lift holds a run fixed — the benchmarks each enterprise was scored against, the
min/max of minmax indicators, the mean scores filled in for missing values, every
other enterprise's total — and asks, for one enterprise and one input column at a
time, which value of that column would give it the class one better than its final
class. The total as a function of one column is monotone (its direction is read
from where the column appears), so the value is found by bisection in log space,
vectorised over all enterprises at once: 34 halvings of a range of 10^±15 × the
current value bracket it within a relative 2e-9, and a last linear interpolation
(exact on the linear pieces of ratio and minmax scores) is kept where it reaches the target.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import polars as pl

from zhuanxing.scoring import classify as classify_mod
from zhuanxing.scoring.columns import INPUT_KINDS, INPUT_LABELS, source_column
from zhuanxing.scoring.engine import _assign_groups, evaluate
from zhuanxing.scoring.errors import InputError
from zhuanxing.scoring.expressions import compile_expression, condition, divide, referenced_columns
from zhuanxing.scoring.io import prepare_input
from zhuanxing.scoring.scheme import Group, Indicator, Scheme

INCREASE, DECREASE = "增加", "减少"
NO_QUOTA = "名额不足"
SCOPE_COLUMN = "该指标影响评价范围或规则，不测算"
NO_CURRENT = "缺少当前值"
MIXED = "指标方向不一致"
CAPPED = "封顶后仍不足"

LIFT_COLUMNS = {
    "uscc": ("统一社会信用代码", pl.String),
    "field": ("指标字段", pl.String),
    "direction": ("方向", pl.String),
    "current": ("当前值", pl.Float64),
    "target_class": ("目标等级", pl.String),
    "target_total": ("目标得分", pl.Float64),
    "value": ("所需值", pl.Float64),
    "change": ("变化量", pl.Float64),
    "reason": ("说明", pl.String),
}
_SPAN = 15 * math.log(10)  # search from current × 10^-15 to current × 10^15
_HALVINGS = 34


def indicator_input_columns(group: Group) -> list[str]:
    """Columns (input or derived) the group's indicators' expressions refer to."""
    texts = [t for i in group.indicators for t in (i.numerator, i.denominator)]
    return list(dict.fromkeys(c for text in texts for c in referenced_columns(text)))


def indicator_columns(group: Group) -> list[str]:
    """Input columns the group's indicators read, in the order they first appear."""
    columns: list[str] = []
    for indicator in group.indicators:
        for text in (indicator.numerator, indicator.denominator):
            columns += [source_column(c) for c in referenced_columns(text)]
    return list(dict.fromkeys(columns))


def scope_columns(group: Group) -> set[str]:
    """Columns in the population, a rule's ``when`` or an adjustment's ``when``/``per``."""
    texts = [group.population] if group.population else []
    texts += [rule.when for rule in group.rules]
    texts += [t for a in group.adjustments for t in (a.when, a.per) if t]
    return {source_column(c) for text in texts for c in referenced_columns(text)}


def direction(group: Group, column: str) -> str | None:
    """增加 / 减少 where every indicator reading ``column`` agrees, None when mixed."""
    signs = set()
    for indicator in group.indicators:
        sign = -1 if indicator.scoring == "inverse" else 1
        if column in _sources(indicator.numerator):
            signs.add(sign)
        if column in _sources(indicator.denominator):
            signs.add(-sign)
    if len(signs) != 1:
        return None
    return INCREASE if signs == {1} else DECREASE


def _sources(text: str) -> set[str]:
    return {source_column(c) for c in referenced_columns(text)}


# ---------------------------------------------------------------- fixed-context totals


def _bm(i: Indicator) -> str:
    return f"_bm.{i.id}"


def _lo(i: Indicator) -> str:
    return f"_lo.{i.id}"


def _hi(i: Indicator) -> str:
    return f"_hi.{i.id}"


def _mean(i: Indicator) -> str:
    return f"_mean.{i.id}"


def _score_expr(indicator: Indicator) -> pl.Expr:
    """The indicator's score as the engine computes it, with the group statistics read
    from fixed columns instead of aggregated."""
    num = compile_expression(indicator.numerator).cast(pl.Float64)
    den = compile_expression(indicator.denominator).cast(pl.Float64)
    quotient = divide(num, den) * indicator.multiplier
    v = pl.when(num.is_not_null() & (den > 0) & quotient.is_finite()).then(quotient)
    cap, weight = indicator.cap, indicator.weight
    if indicator.scoring == "ratio":
        raw = divide(v, pl.col(_bm(indicator))).clip(0, cap) * weight
    elif indicator.scoring == "inverse":
        b = pl.col(_bm(indicator))
        raw = pl.when(v == 0).then(cap * weight).otherwise((b / v).clip(0, cap) * weight)
    else:
        low, high = indicator.low, indicator.high
        smallest, largest = pl.col(_lo(indicator)), pl.col(_hi(indicator))
        scaled = (low + divide((high - low) * (v - smallest), largest - smallest)).clip(low, high)
        raw = pl.when(largest.is_null() | (largest == smallest)).then(weight * high / 100)
        raw = raw.otherwise(divide(weight * scaled, pl.lit(100.0)))
        if cap is not None:
            raw = raw.clip(upper_bound=cap * weight)
    raw = pl.when(v.is_not_null()).then(raw)
    if indicator.missing == "zero":
        return raw.fill_null(0.0)
    if indicator.missing == "mean_score":
        return raw.fill_null(pl.col(_mean(indicator)))
    return raw


def indicator_total_expr(group: Group) -> pl.Expr:
    scores = [_score_expr(i) for i in group.indicators]
    total = pl.sum_horizontal(scores)
    renormalized = [
        (i, s) for i, s in zip(group.indicators, scores, strict=True) if i.missing == "renormalize"
    ]
    if not renormalized:
        return total
    left_out = pl.sum_horizontal(pl.when(s.is_null()).then(i.weight).otherwise(0.0) for i, s in renormalized)
    kept = group.total_weight - left_out
    return pl.when(kept > 0).then(total * (group.total_weight / kept)).otherwise(total)


# ---------------------------------------------------------------- the baseline


@dataclass
class Outcome:
    """One enterprise's simulated evaluation."""

    total: float
    rank: int | None
    graded_count: int | None
    initial_class: str | None
    final_class: str | None
    exempt: bool
    reasons: str


class Baseline:
    """A run held fixed: its input, its result and each group's statistics."""

    def __init__(self, scheme: Scheme, frame: pl.DataFrame, result: pl.DataFrame | None = None):
        self.scheme = scheme
        prepared = prepare_input(scheme, frame)
        self.result = evaluate(scheme, prepared) if result is None else result
        data = _assign_groups(scheme, prepared).filter(pl.col("_group").is_not_null())
        self.members = pl.concat(
            [data, self.result.select(pl.all().name.prefix("r."))], how="horizontal"
        ).with_row_index("_pos")
        self.positions = dict(zip(self.result["uscc"].to_list(), range(self.result.height), strict=True))
        self.codes = scheme.class_codes
        self._groups: dict[int, pl.DataFrame] = {}
        self._partitions: dict[int, dict] = {}
        for index, group in enumerate(scheme.groups):
            rows = self.members.filter(pl.col("_group") == index)
            if rows.height:
                self._prepare_group(index, group, rows)

    # -- statistics held fixed

    def _prepare_group(self, index: int, group: Group, rows: pl.DataFrame) -> None:
        graded = ~pl.col("r.exempt")
        constants = [pl.col("r.adjustment").alias("_adj")]
        for ind in group.indicators:
            value = pl.col(f"r.{ind.id}_value")
            reference = graded & value.is_not_null()
            constants.append(pl.col(f"r.{ind.id}_benchmark").alias(_bm(ind)))
            constants.append(pl.when(reference).then(value).min().alias(_lo(ind)))
            constants.append(pl.when(reference).then(value).max().alias(_hi(ind)))
            mean = pl.when(reference).then(pl.col(f"r.{ind.id}_score")).mean().fill_null(0.0)
            constants.append(mean.alias(_mean(ind)))
        rows = rows.with_columns(constants).with_columns(
            _total6=pl.col("r.total").round(6),
            _final=pl.col("r.final_class").replace_strict(list(self.codes), list(range(len(self.codes)))),
        )
        if group.rank_within is not None:
            value = pl.col(group.rank_within)
            pooled = graded.sum().over(group.rank_within) < group.rank_within_min
            part = pl.when(pooled).then(pl.lit("\x00pooled"))
            part = part.when(value.is_null()).then(pl.lit("\x00null")).otherwise(value.cast(pl.String))
            rows = rows.with_columns(_part=part)
        else:
            rows = rows.with_columns(_part=pl.lit("\x00all"))
        self._groups[index] = rows
        partitions = {}
        for (part,), frame in rows.filter(graded).group_by(["_part"]):
            partitions[part] = -np.sort(-frame.get_column("_total6").to_numpy())
        self._partitions[index] = partitions

    # -- classes

    def _target_total(self, index: int, group: Group, part: str, own: float, target: int) -> float | None:
        position = {code: i for i, code in enumerate(self.codes)}
        limits = [limit for code, limit in group.classify.limits if position[code] <= target]
        if not limits:
            return None
        if group.classify.method == "thresholds":
            return min(limits)
        ordered = self._partitions[index].get(part)
        n = 0 if ordered is None else len(ordered)
        m = int(Decimal(repr(max(limits))) * n)  # exact: 0.29 × 100 is 29, not 28.999…
        if m < 1:
            return None
        j = int(np.searchsorted(-ordered, -own, side="left"))  # a position of its own total
        k = m - 1 if j > m - 1 else m
        return float(ordered[k]) if k < n else -math.inf

    def _blocker(self, group: Group) -> pl.Expr:
        """The label of the first true ``set`` rule, or true ``at_most`` rule worse than the
        target class (one better than ``_final``), in file order; else null."""
        position = {code: i for i, code in enumerate(self.codes)}
        label = pl.lit(None, dtype=pl.String)
        for rule in reversed(group.rules):
            if rule.action == "set":
                blocks = condition(rule.when)
            elif rule.action == "at_most":
                blocks = condition(rule.when) & (pl.lit(position[rule.target]) > pl.col("_final") - 1)
            else:
                continue
            label = pl.when(blocks).then(pl.lit(rule.label)).otherwise(label)
        return label.alias("_blocker")

    # -- lift

    def lift(self, fields: list[str] | None = None, rows: pl.DataFrame | None = None) -> pl.DataFrame:
        """The contract's lift table for every graded enterprise not in the best class
        (``rows`` replaces the members, with their constants, for a simulation)."""
        schema = {k: d for k, (_, d) in LIFT_COLUMNS.items()}
        out: list[dict] = []
        keys: list[tuple[int, int]] = []
        for index, group in enumerate(self.scheme.groups):
            if index not in self._groups:
                continue
            source = self._groups[index] if rows is None else rows.filter(pl.col("_group") == index)
            source = source.filter(~pl.col("r.exempt") & (pl.col("_final") > 0))
            if source.height == 0:
                continue
            read = indicator_columns(group)
            wanted = read if fields is None else [f for f in fields if f in read]
            if not wanted:
                continue
            scope = scope_columns(group)
            dirs = {c: direction(group, c) for c in wanted}
            source = source.with_columns(self._blocker(group))
            pending: dict[str, tuple[list[int], list[int]]] = {c: ([], []) for c in wanted}
            columns = {c: source.get_column(c).cast(pl.Float64).to_list() for c in wanted}
            lines = zip(
                source["_pos"].to_list(),
                source["r.uscc"].to_list(),
                source["_final"].to_list(),
                source["_part"].to_list(),
                source["_total6"].to_list(),
                source["_blocker"].to_list(),
                strict=True,
            )
            for line, (pos, uscc, final, part, own, blocker) in enumerate(lines):
                target = final - 1
                target_total = self._target_total(index, group, part, own, target)
                for c in wanted:
                    current = columns[c][line]
                    record = {
                        "uscc": uscc,
                        "field": c,
                        "direction": dirs[c],
                        "current": current,
                        "target_class": self.codes[target],
                        "target_total": target_total,
                        "value": None,
                        "change": None,
                        "reason": None,
                    }
                    if blocker is not None:
                        record["reason"] = blocker
                    elif target_total is None:
                        record["reason"] = NO_QUOTA
                    elif c in scope:
                        record["reason"] = SCOPE_COLUMN
                    elif current is None or current <= 0:
                        record["reason"] = NO_CURRENT
                    elif dirs[c] is None:
                        record["reason"] = MIXED
                    else:
                        pending[c][0].append(len(out))
                        pending[c][1].append(line)
                    out.append(record)
                    keys.append((pos, len(keys)))
            for c, (slots, lines_) in pending.items():
                if slots:
                    self._search(group, c, source[lines_], out, slots)
        for record in out:
            if record["target_total"] is not None and math.isinf(record["target_total"]):
                record["target_total"] = None
        ordered = [out[k] for _, k in sorted(keys)]
        return pl.DataFrame(ordered, schema=schema) if ordered else pl.DataFrame(schema=schema)

    def _with_constants(self, index: int, rows: pl.DataFrame) -> pl.DataFrame:
        base = self._groups[index]
        keep = [c for c in base.columns if c.startswith(("_bm.", "_lo.", "_hi.", "_mean.")) or c == "_part"]
        return rows.join(base.select("_pos", *keep), on="_pos", how="left")

    def _search(
        self, group: Group, column: str, work: pl.DataFrame, out: list[dict], slots: list[int]
    ) -> None:
        current = np.array([out[s]["current"] for s in slots], dtype=float)
        target = np.array([out[s]["target_total"] for s in slots], dtype=float)
        sign = 1.0 if out[slots[0]]["direction"] == INCREASE else -1.0
        total = (indicator_total_expr(group) + pl.col("_adj")).alias("_t")
        work = work.select(
            *indicator_input_columns(group),
            "_adj",
            *[c for c in work.columns if c.startswith(("_bm.", "_lo.", "_hi.", "_mean."))],
        )

        def totals(t: np.ndarray) -> np.ndarray:
            x = pl.Series(column, current * np.exp(sign * t), dtype=pl.Float64)
            return work.with_columns(x).select(total).get_column("_t").fill_null(-math.inf).to_numpy()

        lo = np.zeros(len(slots))
        hi = np.full(len(slots), _SPAN)
        f_lo, f_hi = totals(lo), totals(hi)
        reachable = f_hi >= target
        for _ in range(_HALVINGS):
            mid = (lo + hi) / 2
            f_mid = totals(mid)
            ok = f_mid >= target
            hi, f_hi = np.where(ok, mid, hi), np.where(ok, f_mid, f_hi)
            lo, f_lo = np.where(ok, lo, mid), np.where(ok, f_lo, f_mid)
        x_lo, x_hi = current * np.exp(sign * lo), current * np.exp(sign * hi)
        # scores are piecewise linear (ratio, minmax) or 1/x (inverse): on the last small step
        # interpolate, and keep the interpolation only where it does reach the target
        with np.errstate(divide="ignore", invalid="ignore"):
            step = np.where(f_hi > f_lo, (target - f_lo) / (f_hi - f_lo), 1.0)
        guess = x_lo + np.clip(step, 0.0, 1.0) * (x_hi - x_lo)
        values = x_hi
        for nudge in (1e-15, 0.0):  # the exact value can fall an ulp short: try a hair further first
            candidate = guess * (1 + sign * nudge)
            values = np.where(totals(np.log(candidate / current) * sign) >= target, candidate, values)
        for k, s in enumerate(slots):
            if reachable[k]:
                out[s]["value"] = float(values[k])
                out[s]["change"] = float(values[k] - current[k])
            else:
                out[s]["reason"] = CAPPED

    # -- one enterprise, figures edited

    def simulate(self, uscc: str, changes: dict[str, float | None]) -> tuple[Outcome, pl.DataFrame]:
        """The enterprise's total and class with ``changes`` to its figures, against the
        run held fixed, and its lift table in that state."""
        pos = self.positions[uscc]
        row = self.members.filter(pl.col("_pos") == pos)
        index = row["_group"].item()
        group = self.scheme.groups[index]
        row = self._with_constants(index, row.drop([c for c in row.columns if c == "_part"]))
        edits = [pl.lit(v, dtype=pl.Float64).alias(c) for c, v in changes.items() if c in row.columns]
        row = row.with_columns(edits)
        row = row.with_columns(classify_mod.exempt(group), *classify_mod.adjustments(group)).with_columns(
            _adj=classify_mod.adjustment_total(group)
        )
        total = row.select(indicator_total_expr(group) + pl.col("_adj")).item()
        exempt = bool(row["_exempt"].item())
        total6 = round(total, 6) if total is not None else None
        rank = count = initial = final = None
        if not exempt and total6 is not None:
            original = self.members.filter(pl.col("_pos") == pos)["r.total"].item()
            initial, rank, count = self._classify(group, row["_part"].item(), total6, round(original, 6))
            final = self._apply_rules(group, row, initial)
        mask = row.select(classify_mod.reason_mask(group)).item()
        outcome = Outcome(
            total=total,
            rank=rank,
            graded_count=count,
            initial_class=None if initial is None else self.codes[initial],
            final_class=None if final is None else self.codes[final],
            exempt=exempt,
            reasons=classify_mod.reason_text(group, mask),
        )
        if final is None or final == 0:
            return outcome, pl.DataFrame(schema={k: d for k, (_, d) in LIFT_COLUMNS.items()})
        row = row.with_columns(
            pl.lit(total).alias("r.total"),
            pl.lit(total6).alias("_total6"),
            pl.lit(final).alias("_final"),
            pl.lit(False).alias("r.exempt"),
        )
        return outcome, self.lift(rows=row)

    def _classify(self, group: Group, part: str, own6: float, original6: float):
        position = {code: i for i, code in enumerate(self.codes)}
        if group.classify.method == "thresholds":
            for code, limit in group.classify.limits:
                if own6 >= limit:
                    return position[code], None, None
            return len(self.codes) - 1, None, None
        ordered = self._partitions[self.scheme.groups.index(group)][part]
        others = np.delete(ordered, int(np.searchsorted(-ordered, -original6, side="left")))
        rank = 1 + int((others > own6).sum())
        n = len(ordered)
        percentile = rank / n
        for code, limit in group.classify.limits:
            if percentile <= limit:
                return position[code], rank, n
        return len(self.codes) - 1, rank, n

    def _apply_rules(self, group: Group, row: pl.DataFrame, initial: int) -> int:
        position = {code: i for i, code in enumerate(self.codes)}
        final = initial
        for action in ("at_least", "at_most", "set"):
            for rule in (r for r in group.rules if r.action == action):
                if not row.select(condition(rule.when)).item():
                    continue
                target = position[rule.target]
                final = (
                    min(final, target)
                    if action == "at_least"
                    else max(final, target)
                    if action == "at_most"
                    else target
                )
        return final


def check_fields(scheme: Scheme, fields: list[str]) -> list[str]:
    """``fields`` as column ids (English id or Chinese label); raises InputError naming
    each unknown column and each column the scheme does not use."""
    by_label = {label: column for column, label in INPUT_LABELS.items()}
    resolved, problems = [], []
    used = set(scheme.input_columns())
    for field in fields:
        column = field if field in INPUT_KINDS else by_label.get(field)
        if column is None:
            problems.append(f"未知的列「{field}」")
        elif column not in used:
            problems.append(f"评价方案「{scheme.id}」不使用列「{INPUT_LABELS[column]}」（{column}）")
        else:
            resolved.append(column)
    if problems:
        raise InputError(problems)
    return list(dict.fromkeys(resolved))


def lift(scheme: Scheme, frame: pl.DataFrame, fields: list[str] | None = None) -> pl.DataFrame:
    """One row per graded enterprise not in the best class and listed column (default:
    the columns its group's indicators read): ``uscc, field, direction, current,
    target_class, target_total, value, change, reason``, in input order."""
    if fields is not None:
        fields = check_fields(scheme, fields)
    return Baseline(scheme, frame).lift(fields)
