"""模拟测算 in the platform: a run held fixed, one enterprise's figures changed.

Reads only: nothing is saved. The run's frozen input rows are evaluated again with the
run's scheme (which gives the run's own results, since the data are frozen), and the
engine's ``Baseline`` answers "what if my figures were these" and "what lifts me one
class" against that fixed run.
"""

from __future__ import annotations

from functools import lru_cache

import polars as pl

from zhuanxing.evaluation.adapters import scheme_for_year
from zhuanxing.evaluation.models import EvaluationResult, EvaluationRun
from zhuanxing.evaluation.policies import class_worth
from zhuanxing.evaluation.selectors import run_scheme, scheme_policies
from zhuanxing.scoring import Baseline
from zhuanxing.scoring.columns import INPUT_KINDS, INPUT_LABELS
from zhuanxing.scoring.lift import DECREASE, indicator_columns

UNITS = {"tax": "万元", "land_mu": "亩", "value_added": "万元", "sales": "万元", "revenue": "万元"}
UNITS |= {"energy_tce": "吨标准煤", "electricity": "万千瓦时", "rd": "万元", "social_insurance": "万元"}
UNITS |= {"employees": "人", "emissions": "吨", "water": "吨"}


def run_input_frame(run: EvaluationRun) -> pl.DataFrame:
    """The frozen input rows of the run's results, as the engine saw them."""
    rows = list(run.results.order_by("id").values_list("inputs", flat=True))
    return pl.from_dicts(rows, infer_schema_length=None)


@lru_cache(maxsize=4)
def _baseline(run_id: int, version_key: str) -> Baseline:
    run = EvaluationRun.objects.get(pk=run_id)
    return Baseline(scheme_for_year(run_scheme(run), run.year), run_input_frame(run))


def run_baseline(run: EvaluationRun) -> Baseline:
    # a run's results change only by a rerun (a new run); the creation time tells a run
    # from a deleted draft whose id came back
    return _baseline(run.pk, f"{run.created_at.isoformat()}:{run.results.count()}")


def editable_fields(run: EvaluationRun, result: EvaluationResult) -> list[dict]:
    """The numeric figures the enterprise's group's indicators read, with the current value."""
    group = next(g for g in run_scheme(run).groups if g.id == result.group)
    return [
        {"id": c, "label": INPUT_LABELS[c], "unit": UNITS.get(c, ""), "value": result.inputs.get(c)}
        for c in indicator_columns(group)
        if INPUT_KINDS.get(c) == "number"
    ]


def simulate(run: EvaluationRun, result: EvaluationResult, changes: dict[str, float | None]) -> dict:
    """The enterprise's total, class and lift table with ``changes`` to its figures."""
    baseline = run_baseline(run)
    outcome, table = baseline.simulate(result.enterprise.uscc, changes)
    scheme = baseline.scheme
    labels = {c.code: c.label for c in scheme.classes}
    inputs = {**result.inputs, **{k: v for k, v in changes.items()}}
    measures = scheme_policies(run)
    current_worth = class_worth(measures, outcome.final_class, inputs) if outcome.final_class else []
    lines = []
    for row in table.iter_rows(named=True):
        lines.append(_plain_words(row, labels, measures, inputs, current_worth))
    return {
        "outcome": outcome,
        "class_label": labels.get(outcome.final_class or "", ""),
        "lift": lines,
        "worth": current_worth,
    }


def _number(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".") if abs(value) < 1e15 else f"{value:.3g}"


def _plain_words(row: dict, labels: dict, measures, inputs: dict, current_worth) -> dict:
    """E.g. 评价税收增加 615 万元（+23%），可升为 B 类."""
    field, target = row["field"], row["target_class"]
    label, unit = INPUT_LABELS[field], UNITS.get(field, "")
    if row["value"] is None:
        sentence = f"{label}：{row['reason']}"
    else:
        change = row["change"]
        verb = "减少" if row["direction"] == DECREASE else "增加"
        share = f"（{change / row['current'] * 100:+.1f}%）" if row["current"] else ""
        sentence = f"{label}{verb} {_number(abs(change))} {unit}{share}，可升为 {target} 类"
    money = []
    if row["value"] is not None:
        after = {**inputs, field: row["value"]}
        next_worth = class_worth(measures, target, after)
        money = _money_change(current_worth, next_worth)
    return {
        "field": field,
        "sentence": sentence,
        "value": row["value"],
        "change": row["change"],
        "money": money,
    }


def _money_change(before: list[dict], after: list[dict]) -> list[str]:
    """What the next class changes in money: measures lost and gained."""
    words = []
    for item in before:
        words.append(
            f"不再适用{item['measure']}" + (f"（{item['amount_text']}）" if item["amount_text"] else "")
        )
    for item in after:
        words.append(f"适用{item['measure']}" + (f"（{item['amount_text']}）" if item["amount_text"] else ""))
    return words
