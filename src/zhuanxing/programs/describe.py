"""A policy's clauses in plain Chinese for enterprises: who may apply, what they fill in, how
the award is computed and what limits it. Pure: reads the engine's ``Policy``, no Django."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from zhuanxing.awards import Clause, Policy
from zhuanxing.awards.policy import Bands, Condition, Fact, Field, Fixed, LevelDifference, Percentage, PerUnit

# Condition tokens: a quoted text, a word, a number or an operator.
_TOKEN = re.compile(r"'(?:[^']|'')*'|[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?|<>|!=|>=|<=|\S")
_WORDS = {
    "AND": "且",
    "OR": "或",
    "NOT": "不是",
    "IN": "属于",
    "IS": "为",
    "NULL": "空",
    "TRUE": "是",
    "FALSE": "否",
}
_BETWEEN_CHINESE = re.compile(r"(?<=[\u4e00-\u9fff“”（）]) (?=[\u4e00-\u9fff“”（）])")
_OPERATORS = {"=": "为", "<>": "不为", "!=": "不为", ">=": "≥", "<=": "≤", "*": "×", "/": "÷"}


@dataclass(frozen=True)
class ClauseText:
    id: str
    label: str
    description: str
    automatic: bool
    eligible: str
    fields: tuple[str, ...]
    award: tuple[str, ...]
    vetoes: tuple[str, ...]
    limits: tuple[str, ...]


def number(value: Decimal) -> str:
    """200, 0.06, 12.5: no exponent, no trailing zeros."""
    return format(value.normalize(), "f")


def percent(rate: Decimal) -> str:
    return f"{number(rate * 100)}%"


def condition_text(condition: Condition, facts: Mapping[str, Fact]) -> str:
    """``scale = '规上' AND rd < 100`` → ``规模为“规上” 且 研发经费 < 100``."""
    words = []
    for token in _TOKEN.findall(condition.sql):
        if token.startswith("'"):
            words.append(f"“{token[1:-1]}”")
        elif token in facts:
            words.append(facts[token].label)
        else:
            words.append(_WORDS.get(token.upper(), _OPERATORS.get(token, token)))
    text = re.sub(r"\s*([()])\s*", r"\1", " ".join(words))
    return _BETWEEN_CHINESE.sub("", text)  # Chinese words need no spaces between them


def _quantity(field: Field) -> str:
    return f"{field.label}（{field.unit}）" if field.unit else field.label


def award_text(clause: Clause, facts: Mapping[str, Fact]) -> tuple[str, ...]:
    award = clause.award
    fields = {f.id: f for f in clause.fields}
    if isinstance(award, Fixed):
        return (f"定额奖励 {number(award.amount)} 万元。",)
    if isinstance(award, LevelDifference):
        amounts = "、".join(f"{level} {number(amount)} 万元" for level, amount in award.amounts.items())
        lines = [f"按{fields[award.level].label}给予奖励：{amounts}。"]
        if award.previous:
            lines.append("已按较低级别获得奖励的，只补足差额。")
        return tuple(lines)
    base = fields[award.base]
    lines = []
    if isinstance(award, Bands):
        bands, lower = [], Decimal(0)
        for band in award.bands:
            span = (
                f"{number(lower)}–{number(band.upto)}" if band.upto is not None else f"{number(lower)} 以上"
            )
            bands.append(f"{span}{'部分' if award.marginal else ''} {percent(band.rate)}")
            lower = band.upto if band.upto is not None else lower
        how = "分档累进计算" if award.marginal else "所在档次的比例计算"
        lines.append(f"按{_quantity(base)}{how}：{'，'.join(bands)}。")
    elif isinstance(award, Percentage):
        lines.append(f"按{base.label}的 {percent(award.rate)} 计算。")
    elif isinstance(award, PerUnit):
        unit = f"每{base.unit}" if base.unit else "每单位"
        lines.append(f"按{base.label}{unit} {number(award.rate)} 万元计算。")
    if award.cap is not None:
        lines.append(f"最高 {number(award.cap)} 万元。")
    if award.min_base is not None:
        unit = f" {base.unit}" if base.unit else ""
        lines.append(f"{base.label}低于 {number(award.min_base)}{unit}的不予奖励。")
    for uplift in getattr(award, "uplifts", ()):
        terms = []
        if uplift.rate is not None:
            terms.append(
                percent(uplift.rate) if isinstance(award, Percentage) else f"{number(uplift.rate)} 万元"
            )
        if uplift.cap is not None:
            terms.append(f"最高 {number(uplift.cap)} 万元")
        who = uplift.label or condition_text(uplift.when, facts)
        lines.append(f"{who}：按 {'，'.join(terms)}。")
    if isinstance(award, PerUnit) and award.share_of is not None:
        lines.append(f"且不超过{fields[award.share_of].label}的 {percent(award.share)}。")
    return tuple(lines)


def describe_policy(policy: Policy) -> list[ClauseText]:
    exclusive = {}
    for group in policy.exclusive:
        labels = "、".join(f"「{policy.clause(c).label}」" for c in group)
        for clause_id in group:
            exclusive[clause_id] = f"同一项目在{labels}之间从高不重复。"
    texts = []
    for clause in policy.clauses:
        limits = []
        if clause.per_enterprise_per_year:
            limits.append(f"每家企业每年最多 {clause.per_enterprise_per_year} 个项目。")
        if clause.id in exclusive:
            limits.append(exclusive[clause.id])
        texts.append(
            ClauseText(
                id=clause.id,
                label=clause.label,
                description=clause.description or "",
                automatic=clause.automatic,
                eligible=condition_text(clause.eligible, policy.facts) if clause.eligible else "",
                fields=tuple(
                    f"{_quantity(f)}{'（必填）' if f in clause.required_fields else ''}"
                    for f in clause.fields
                ),
                award=award_text(clause, policy.facts),
                vetoes=tuple(v.label for v in clause.veto),
                limits=tuple(limits),
            )
        )
    return texts
