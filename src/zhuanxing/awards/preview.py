"""Step 1 for a single application, with its arithmetic in words: the calculator the
platform shows an enterprise before it submits (政策计算器).

It is the same rule as ``compute``'s column-wise step 1, written for one row in Python
``Decimal``; the tests hold both to the same results on every award type.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

from zhuanxing.awards.compute import BELOW_MIN_BASE, CENT, NOT_FILLED, ZERO, gate
from zhuanxing.awards.data import field_values, prepare_facts
from zhuanxing.awards.errors import DataError, DataProblem
from zhuanxing.awards.policy import Bands, Clause, Field, Fixed, LevelDifference, Percentage, PerUnit, Policy
from zhuanxing.tabular import CellProblem

# Far more digits than any product of a policy number and an input needs: nothing rounds before the end.
_EXACT = Context(prec=100, rounding=ROUND_HALF_UP)
_SOURCE = "试算"


@dataclass(frozen=True)
class Assessment:
    """Step 1 for one application: the amount, the reasons it is 0 (as in the batch
    output) and the arithmetic in words."""

    computed: Decimal
    reasons: tuple[str, ...] = ()
    explanation: tuple[str, ...] = ()


def preview_award(
    policy: Policy, clause_id: str, facts: Mapping[str, object], fields: Mapping[str, object]
) -> Assessment:
    """What ``clause_id`` gives an enterprise with these facts (fact id -> value) for these
    fields (field id -> value), and why. Exclusive groups, annual limits and the budget
    (steps 2–4) depend on the other applications and are decided in the batch."""
    clause = policy.clauses_by_id.get(clause_id)
    if clause is None:
        raise DataError([DataProblem(_SOURCE, CellProblem(f"未知的条款「{clause_id}」"))])
    row = {"uscc": _SOURCE} | {
        fact_id: facts.get(fact_id) for fact_id in policy.facts
    }  # a fact not given is null
    facts_table = prepare_facts(policy, [row], source=_SOURCE)
    values, problems = field_values(clause, fields)
    if problems:
        raise DataError([DataProblem(_SOURCE, p) for p in problems])
    checks = gate(clause, facts_table.frame).row(0, named=True)
    return assess(clause, values, checks["blocked"], checks["uplift"])


def assess(
    clause: Clause, values: Mapping[str, object], blocked: str | None, uplift: int | None
) -> Assessment:
    """Step 1 once the conditions are known: ``blocked`` is the reason of the first failing
    check (not eligible, a veto), ``uplift`` the index of the first uplift that holds."""
    if blocked is not None:
        return Assessment(ZERO, (blocked,), (blocked,))
    for f in clause.required_fields:
        if values.get(f.id) is None:
            reason = f"{f.label}{NOT_FILLED}"
            return Assessment(ZERO, (reason,), (reason,))
    fields = {f.id: f for f in clause.fields}
    with localcontext(_EXACT):
        amount, reasons, lines = _AMOUNT[type(clause.award)](clause.award, values, fields, uplift)
        computed = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    if computed != amount:
        lines.append(f"四舍五入到 0.01 万元：{computed}")
    lines.append(f"计算额 {computed} 万元")
    return Assessment(computed, tuple(reasons), tuple(lines))


def _rate_and_cap(award: Percentage | PerUnit, uplift: int | None, lines: list[str]):
    rate, cap = award.rate, award.cap
    if uplift is not None:
        chosen = award.uplifts[uplift]
        rate = chosen.rate if chosen.rate is not None else rate
        cap = chosen.cap if chosen.cap is not None else cap
        rate_text = _percent(rate) if isinstance(award, Percentage) else f"每单位 {_number(rate)} 万元"
        cap_text = f"{_number(cap)} 万元" if cap is not None else "不设"
        lines.append(f"适用上浮（{chosen.label or chosen.when.sql}）：{rate_text}，封顶 {cap_text}")
    return rate, cap


def _below_min_base(award, base: Decimal, fields: Mapping[str, Field], lines: list[str]) -> bool:
    if award.min_base is not None and base < award.min_base:
        lines.append(f"{_quantity(fields[award.base], base)}低于起点 {_number(award.min_base)}")
        return True
    return False


def _capped(amount: Decimal, cap: Decimal | None, lines: list[str]) -> Decimal:
    if cap is not None and amount > cap:
        lines.append(f"封顶 {_number(cap)} 万元")
        return cap
    return amount


def _percentage(award: Percentage, values, fields, uplift):
    lines: list[str] = []
    rate, cap = _rate_and_cap(award, uplift, lines)
    base = values[award.base]
    if _below_min_base(award, base, fields, lines):
        return Decimal(0), [BELOW_MIN_BASE], lines
    amount = base * rate
    lines.append(f"{_quantity(fields[award.base], base)} × {_percent(rate)} = {_number(amount)} 万元")
    return _capped(amount, cap, lines), [], lines


def _per_unit(award: PerUnit, values, fields, uplift):
    lines: list[str] = []
    rate, cap = _rate_and_cap(award, uplift, lines)
    base = values[award.base]
    if _below_min_base(award, base, fields, lines):
        return Decimal(0), [BELOW_MIN_BASE], lines
    amount = base * rate
    lines.append(f"{_quantity(fields[award.base], base)} × {_number(rate)} 万元 = {_number(amount)} 万元")
    amount = _capped(amount, cap, lines)
    if award.share_of is not None:
        of = values.get(award.share_of)
        if of is None:
            lines.append(f"{fields[award.share_of].label}未填写，不按比例限额")
        elif of * award.share < amount:
            amount = of * award.share
            share = _percent(award.share)
            lines.append(f"不超过{_quantity(fields[award.share_of], of)}的 {share}：{_number(amount)} 万元")
    return amount, [], lines


def _fixed(award: Fixed, values, fields, uplift):
    return award.amount, [], [f"定额 {_number(award.amount)} 万元"]


def _bands(award: Bands, values, fields, uplift):
    lines: list[str] = []
    base = values[award.base]
    if _below_min_base(award, base, fields, lines):
        return Decimal(0), [BELOW_MIN_BASE], lines
    quantity = _quantity(fields[award.base], base)
    lower = Decimal(0)
    if award.marginal:
        amount = Decimal(0)
        for band in award.bands:
            part = (base if band.upto is None else min(base, band.upto)) - lower
            if part <= 0:
                break
            amount += part * band.rate
            lines.append(f"{_band_text(lower, band.upto)}部分 {_number(part)} × {_percent(band.rate)}")
            lower = band.upto if band.upto is not None else lower
        lines.append(f"{quantity}分档累进合计 {_number(amount)} 万元")
    else:
        for band in award.bands:
            if band.upto is None or base <= band.upto:
                break
            lower = band.upto
        amount = base * band.rate
        lines.append(
            f"{quantity}属于{_band_text(lower, band.upto)}档：× {_percent(band.rate)} = {_number(amount)} 万元"
        )
    return _capped(amount, award.cap, lines), [], lines


def _level_difference(award: LevelDifference, values, fields, uplift):
    level = values[award.level]
    amount = award.amounts[level]
    lines = [f"{level} {_number(amount)} 万元"]
    previous = values.get(award.previous) if award.previous else None
    if previous is not None:
        already = award.amounts[previous]
        lines.append(f"减去原有级别 {previous} {_number(already)} 万元")
        amount = max(amount - already, Decimal(0))
    return amount, [], lines


_AMOUNT = {
    Percentage: _percentage,
    PerUnit: _per_unit,
    Fixed: _fixed,
    Bands: _bands,
    LevelDifference: _level_difference,
}


def _number(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros: 200, 0.06, 12.5."""
    return format(value.normalize(), "f")


def _percent(rate: Decimal) -> str:
    return f"{_number(rate * 100)}%"


def _quantity(f: Field, value: Decimal) -> str:
    return f"{f.label} {_number(value)}{' ' + f.unit if f.unit else ''}"


def _band_text(lower: Decimal, upto: Decimal | None) -> str:
    return f"{_number(lower)}–{_number(upto)}" if upto is not None else f"{_number(lower)} 以上"
