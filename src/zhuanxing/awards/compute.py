"""The four steps of issue 6 over a whole batch, column-wise in polars:

1. per application: eligibility, vetoes, required fields, then the award type's
   amount, rounded half-up to 0.01 万元 (only here);
2. exclusive groups (从高不重复): one award per enterprise, year and project;
3. per_enterprise_per_year: the N largest non-zero awards per enterprise, clause, year;
4. budget: every award × budget / sum, exactly, then rounded down to 0.01 万元.

Exactness: amounts are polars ``Decimal`` columns. Polars' own ``*`` keeps only the
larger operand's scale, so every product widens its left operand to the sum of the
two scales first (``_times``) and is then exact; step 4 works in whole cents.
``preview.assess`` is the same step 1 for one application, with an explanation;
the tests hold the two to the same results.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import polars as pl

from zhuanxing.awards.data import ROW, Applications, Facts, Rows, prepare_facts, prepare_inputs
from zhuanxing.awards.errors import DataError, DataProblem
from zhuanxing.awards.policy import (
    Bands,
    Clause,
    Condition,
    Fixed,
    LevelDifference,
    Percentage,
    PerUnit,
    Policy,
)
from zhuanxing.tabular import CellProblem

INELIGIBLE = "不符合申报条件"  # after the clause label
NOT_FILLED = "未填写"  # after the field label
BELOW_MIN_BASE = "未达到起点"
EXCLUSIVE = "从高不重复"
OVER_ANNUAL_LIMIT = "超过年度限额"
OVER_BUDGET = "预算不足按比例核减"
REASON_SEPARATOR = "；"

MONEY = pl.Decimal(38, 2)
ZERO = Decimal("0.00")
CENT = Decimal("0.01")
_DIGITS = 38
_STEP_REASONS = ("reason", "reason_exclusive", "reason_limit", "reason_budget")


@dataclass(frozen=True)
class AwardResult:
    id: str
    uscc: str
    clause: str
    year: int
    project: str | None
    computed: Decimal  # after step 1
    awarded: Decimal  # after step 4
    reasons: tuple[str, ...] = ()

    @property
    def reasons_text(self) -> str:
        return REASON_SEPARATOR.join(self.reasons)


# ---------------------------------------------------------------- public entry points


def compute_awards(
    policy: Policy, facts: Facts | Rows, applications: Applications | Rows
) -> list[AwardResult]:
    """Every application's award, in input order. ``facts`` and ``applications`` may be
    prepared (``prepare_facts`` / ``prepare_applications``) or raw frames / rows of
    mappings; every input problem is raised in one ``DataError``."""
    frame = _batch(policy, facts, applications)
    columns = ("id", "uscc", "clause", "year", "project", "computed", "awarded", *_STEP_REASONS)
    return [
        AwardResult(*row[:7], reasons=tuple(r for r in row[7:] if r is not None))
        for row in frame.select(columns).iter_rows()
    ]


def compute_frame(policy: Policy, facts: Facts | Rows, applications: Applications | Rows) -> pl.DataFrame:
    """The batch as a frame, in input order: ``id, uscc, clause, year, project``,
    ``computed`` and ``awarded`` (Decimal, 2 places) and ``reasons`` (text joined by ``；``)."""
    frame = _batch(policy, facts, applications)
    reasons = pl.concat_str(_STEP_REASONS, separator=REASON_SEPARATOR, ignore_nulls=True).alias("reasons")
    return frame.select("id", "uscc", "clause", "year", "project", "computed", "awarded", reasons)


def _batch(policy: Policy, facts: Facts | Rows, applications: Applications | Rows) -> pl.DataFrame:
    facts, applications = prepare_inputs(policy, facts, applications)
    frame = _step_1(policy, facts, applications.frame)
    frame = _keep_highest_per_project(policy, frame)
    frame = _apply_annual_limits(policy, frame)
    frame = _apply_budget(policy, frame)
    return frame.sort(ROW)


def automatic_matches(policy: Policy, facts: Facts | Rows) -> pl.DataFrame:
    """免申即享: for each ``automatic: true`` clause, the enterprises whose FACTS row meets
    ``eligible``. Columns ``uscc``, ``clause`` and ``veto`` (the label of the first veto
    that holds, else null: only rows with a null ``veto`` are proposals)."""
    if not isinstance(facts, Facts):
        facts = prepare_facts(policy, facts)
    parts = []
    for clause in (c for c in policy.clauses if c.automatic):
        eligible = _holds(clause.eligible) if clause.eligible else pl.lit(True)
        veto = _first_label([(_holds(v.when), v.label) for v in clause.veto])
        matched = facts.frame.lazy().filter(eligible)
        matched = matched.select("uscc", pl.lit(clause.id).alias("clause"), veto.alias("veto"))
        parts.append(_collect(matched, clause.conditions))
    if not parts:
        return pl.DataFrame(schema={"uscc": pl.String, "clause": pl.String, "veto": pl.String})
    return pl.concat(parts)


# ---------------------------------------------------------------- conditions


def _holds(condition: Condition) -> pl.Expr:
    return condition.expr.fill_null(False)  # null is false


def _first_label(checks: Sequence[tuple[pl.Expr, str]]) -> pl.Expr:
    """The label of the first check that holds, else null."""
    if not checks:
        return pl.lit(None, dtype=pl.String)
    chain = pl.when(checks[0][0]).then(pl.lit(checks[0][1]))
    for expr, label in checks[1:]:
        chain = chain.when(expr).then(pl.lit(label))
    return chain.otherwise(pl.lit(None, dtype=pl.String))


def gate(clause: Clause, facts_rows: pl.DataFrame) -> pl.DataFrame:
    """Over FACTS rows: ``blocked`` (the reason of the first failing check: not eligible,
    then each veto) and ``uplift`` (the index of the first uplift that holds)."""
    return _collect(
        facts_rows.lazy().with_columns(_gate(clause)).select("blocked", "uplift"), clause.conditions
    )


def _gate(clause: Clause) -> tuple[pl.Expr, pl.Expr]:
    checks = []
    if clause.eligible is not None:
        checks.append((~_holds(clause.eligible), f"{clause.label}{INELIGIBLE}"))
    checks += [(_holds(v.when), v.label) for v in clause.veto]
    uplifts = getattr(clause.award, "uplifts", ())
    uplift = pl.lit(None, dtype=pl.Int32)
    for index in reversed(range(len(uplifts))):  # built inside out, so the first that holds wins
        uplift = pl.when(_holds(uplifts[index].when)).then(pl.lit(index, dtype=pl.Int32)).otherwise(uplift)
    return _first_label(checks).alias("blocked"), uplift.alias("uplift")


def _collect(query: pl.LazyFrame, conditions: Iterable[Condition]) -> pl.DataFrame:
    """Collect; when the data make a condition uncomputable (a division by a zero sales
    figure, say), a ``DataError`` naming the conditions involved, not a polars traceback."""
    try:
        return query.collect()
    except pl.exceptions.PolarsError as exc:
        paths = "、".join(c.path for c in conditions) or "无"
        message = str(exc).strip().splitlines()[0]
        problem = CellProblem(f"按企业数据计算时出错（涉及的条件：{paths}）：{message}")
        raise DataError([DataProblem("企业数据", problem)]) from exc


# ---------------------------------------------------------------- step 1


_FIELD = "field:"  # field columns are renamed in step 1, so they never meet a fact of the same name


def _field(field_id: str) -> pl.Expr:
    return pl.col(_FIELD + field_id)


def _step_1(policy: Policy, facts: Facts, applications: pl.DataFrame) -> pl.DataFrame:
    """Each application beside its enterprise's facts, then clause by clause (so a condition
    only ever sees the facts of that clause's applicants) in one polars query."""
    facts_rows = applications.select("uscc").join(facts.frame, on="uscc", how="left", maintain_order="left")
    work = pl.concat(
        [
            applications.select(ROW, "clause", *(pl.col(f).alias(_FIELD + f) for f in policy.fields)),
            facts_rows.drop("uscc"),
        ],
        how="horizontal",
    ).lazy()
    parts = [pl.LazyFrame(schema={ROW: pl.Int64, "computed": MONEY, "reason": pl.String})]
    clauses = [policy.clause(c) for c in applications.get_column("clause").unique(maintain_order=True)]
    for clause in clauses:
        amount, type_reason = _amount(clause, applications.schema)
        empty = _first_label(
            [(_field(f.id).is_null(), f"{f.label}{NOT_FILLED}") for f in clause.required_fields]
        )
        reason = pl.coalesce(pl.col("blocked"), empty, type_reason)
        computed = pl.when(reason.is_null()).then(amount.round(2, mode="half_away_from_zero"))
        computed = computed.otherwise(pl.lit(ZERO, MONEY)).cast(MONEY)
        rows = work.filter(pl.col("clause") == clause.id).with_columns(_gate(clause))
        parts.append(rows.select(ROW, computed.alias("computed"), reason.alias("reason")))
    conditions = [condition for clause in clauses for condition in clause.conditions]
    amounts = _collect(pl.concat(parts), conditions).sort(ROW)
    keep = [ROW, "id", "uscc", "clause", "year", "submitted", "project"]
    return applications.select(keep).hstack(amounts.select("computed", "reason"))


def _amount(clause: Clause, schema: pl.Schema) -> tuple[pl.Expr, pl.Expr]:
    """The award type's amount before rounding, and the reason it gives 0 (else null)."""
    award = clause.award
    no_reason = pl.lit(None, dtype=pl.String)
    if isinstance(award, Fixed):
        return _literal(award.amount), no_reason
    if isinstance(award, LevelDifference):
        return _level_difference(award), no_reason
    base, base_scale = _field(award.base), schema[award.base].scale
    below = no_reason
    if award.min_base is not None:
        below = pl.when(base < _literal(award.min_base)).then(pl.lit(BELOW_MIN_BASE))
    if isinstance(award, Bands):
        return _capped(_bands(award, base, base_scale), _literal(award.cap)), below
    rate_dtype = _widest([award.rate] + [u.rate for u in award.uplifts])
    rate = _by_uplift(award, "rate", rate_dtype)
    cap = _by_uplift(award, "cap", _widest([award.cap] + [u.cap for u in award.uplifts]))
    amount = _capped(_times(base, base_scale, rate, rate_dtype.scale), cap)
    if isinstance(award, PerUnit) and award.share_of is not None:
        of = _field(award.share_of)
        limit = _times(of, schema[award.share_of].scale, _literal(award.share), _scale(award.share))
        amount = pl.when(of.is_not_null() & (limit < amount)).then(limit).otherwise(amount)
    return amount, below


def _by_uplift(award: Percentage | PerUnit, key: str, dtype: pl.DataType) -> pl.Expr:
    """The rate or cap in force: the chosen uplift's, when it gives one, else the award's."""
    value = pl.lit(getattr(award, key), dtype=dtype)
    for index, uplift in enumerate(award.uplifts):
        if getattr(uplift, key) is not None:
            value = (
                pl.when(pl.col("uplift") == index)
                .then(pl.lit(getattr(uplift, key), dtype=dtype))
                .otherwise(value)
            )
    return value


def _bands(award: Bands, base: pl.Expr, base_scale: int) -> pl.Expr:
    if not award.marginal:  # the rate of the band holding the base, upto inclusive
        dtype = _widest([band.rate for band in award.bands])
        rate = pl.lit(award.bands[-1].rate, dtype=dtype)
        for band in reversed(award.bands[:-1]):
            rate = pl.when(base <= _literal(band.upto)).then(pl.lit(band.rate, dtype=dtype)).otherwise(rate)
        return _times(base, base_scale, rate, dtype.scale)
    total, lower = None, Decimal(0)
    for band in award.bands:
        part = base - _literal(lower)
        if band.upto is not None:
            part = pl.when(base < _literal(band.upto)).then(part).otherwise(_literal(band.upto - lower))
        part = pl.when(base > _literal(lower)).then(part).otherwise(_literal(Decimal(0)))
        part_scale = max(base_scale, _scale(lower), _scale(band.upto or Decimal(0)))
        product = _times(part, part_scale, _literal(band.rate), _scale(band.rate))
        total = product if total is None else total + product
        lower = band.upto if band.upto is not None else lower
    return total


def _level_difference(award: LevelDifference) -> pl.Expr:
    dtype = _widest(list(award.amounts.values()))

    def amount_of(field_id: str) -> pl.Expr:
        levels, amounts = list(award.amounts), list(award.amounts.values())
        return _field(field_id).replace_strict(levels, amounts, default=None, return_dtype=dtype)

    difference = amount_of(award.level)
    if award.previous is not None:
        difference = difference - amount_of(award.previous).fill_null(pl.lit(Decimal(0), dtype=dtype))
    return pl.when(difference < 0).then(pl.lit(Decimal(0), dtype=dtype)).otherwise(difference)


def _capped(amount: pl.Expr, cap: pl.Expr) -> pl.Expr:
    """min(amount, cap); a null cap is no cap."""
    return pl.when(cap.is_not_null() & (amount > cap)).then(cap).otherwise(amount)


def _times(expr: pl.Expr, scale: int, factor: pl.Expr, factor_scale: int) -> pl.Expr:
    """``expr × factor`` exactly: polars keeps the larger operand scale, so widen first."""
    return expr.cast(pl.Decimal(_DIGITS, scale + factor_scale)) * factor


def _scale(value: Decimal) -> int:
    return max(0, -value.normalize().as_tuple().exponent)


def _widest(values: Sequence[Decimal | None]) -> pl.Decimal:
    return pl.Decimal(_DIGITS, max((_scale(v) for v in values if v is not None), default=0))


def _literal(value: Decimal | None) -> pl.Expr:
    if value is None:
        return pl.lit(None, dtype=pl.Decimal(_DIGITS, 0))
    return pl.lit(value, dtype=pl.Decimal(_DIGITS, _scale(value)))


# ---------------------------------------------------------------- steps 2–4

_RANK = (["awarded", "submitted", "id"], [True, False, False])  # largest first; ties: earliest, smallest id


def _keep_highest_per_project(policy: Policy, frame: pl.DataFrame) -> pl.DataFrame:
    """Step 2: in each exclusive group, one award per enterprise, year and project."""
    group = pl.col("clause").replace_strict(policy.group_of, default=None, return_dtype=pl.Int64)
    # an empty project is a project of its own
    project = pl.coalesce(pl.lit("project:") + pl.col("project"), pl.lit("application:") + pl.col("id"))
    frame = frame.with_columns(pl.col("computed").alias("awarded"))
    contenders = frame.filter(group.is_not_null()).sort(_RANK[0], descending=_RANK[1])
    winner = pl.struct(group, "uscc", "year", project).is_first_distinct()
    losers = contenders.filter(~winner).get_column(ROW)
    return _cut(frame, losers, EXCLUSIVE, "reason_exclusive")


def _apply_annual_limits(policy: Policy, frame: pl.DataFrame) -> pl.DataFrame:
    """Step 3: per enterprise, clause and year, the N largest non-zero awards stay."""
    limits = {c.id: c.per_enterprise_per_year for c in policy.clauses if c.per_enterprise_per_year}
    limit = pl.col("clause").replace_strict(limits, default=None, return_dtype=pl.Int64)
    keys = ["uscc", "clause", "year"]
    limited = frame.filter((pl.col("awarded") > 0) & limit.is_not_null())
    limited = limited.sort(keys + _RANK[0], descending=[False] * len(keys) + _RANK[1])
    # sorted, each group's rows are contiguous: a row's place is its distance from the group's first row
    position = pl.int_range(pl.len())
    place = position - pl.when(pl.struct(keys).is_first_distinct()).then(position).forward_fill()
    over_limit = limited.filter(place >= limit).get_column(ROW)
    return _cut(frame, over_limit, OVER_ANNUAL_LIMIT, "reason_limit")


def _cut(frame: pl.DataFrame, rows: pl.Series, reason: str, column: str) -> pl.DataFrame:
    """The applications at ``rows`` get 0 and ``reason`` (in ``column``)."""
    cut = pl.col(ROW).is_in(rows.implode())
    return frame.with_columns(
        pl.when(cut).then(pl.lit(ZERO, MONEY)).otherwise(pl.col("awarded")).alias("awarded"),
        pl.when(cut).then(pl.lit(reason)).alias(column),
    )


def _apply_budget(policy: Policy, frame: pl.DataFrame) -> pl.DataFrame:
    """Step 4: over budget, every award becomes award × budget / sum exactly, rounded down.

    In whole cents: floor(cents × p / q) with budget / sum = p / q in lowest terms, all in
    38-digit integers (polars Decimal of scale 0), so nothing is rounded but the floor."""
    total = frame.get_column("awarded").sum() if frame.height else Decimal(0)
    if policy.budget is None or total <= policy.budget:
        return frame.with_columns(pl.lit(None, dtype=pl.String).alias("reason_budget"))
    ratio = Fraction(policy.budget) / Fraction(total)
    whole = pl.Decimal(_DIGITS, 0)
    cents = (pl.col("awarded") * 100).cast(whole)
    scaled = cents * pl.lit(Decimal(ratio.numerator), whole) // pl.lit(Decimal(ratio.denominator), whole)
    return frame.with_columns(
        (scaled.cast(MONEY) * pl.lit(CENT, MONEY)).alias("awarded"),
        pl.lit(OVER_BUDGET).alias("reason_budget"),
    )
