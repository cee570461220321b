"""The batch's column-wise step 1 and the calculator's one-row step 1 agree, on random
applications of every award type, uplifts, caps, thresholds and band edges included."""

from __future__ import annotations

import random
from decimal import Decimal

import polars as pl

from zhuanxing.awards import assess, compute_awards, prepare_applications, prepare_facts
from zhuanxing.awards.compute import gate

from .conftest import app, make_policy

POLICY = """\
clauses:
  - id: pct
    label: 比例
    eligible: "scale = '规上'"
    fields: [{id: base, label: 基数}, {id: other, label: 上限基数}]
    award: {type: percentage, base: base, rate: 0.065, min_base: 200, cap: 200,
            uplifts: [{when: high_tech, rate: 0.0825}, {when: "rd >= 0.03 * sales", cap: 250.5}]}
    veto: [{label: 否决, when: "rd < 100 AND rd < 0.02 * sales"}]
  - id: unit
    label: 单价
    fields: [{id: base, label: 基数}, {id: other, label: 上限基数}]
    award: {type: per_unit, base: base, rate: 0.043, cap: 50, share_cap: {of: other, share: 0.35},
            uplifts: [{when: high_tech, rate: 0.05, cap: 60}]}
  - id: flat
    label: 分档
    fields: [{id: base, label: 基数}]
    award: {type: bands, base: base, cap: 40, bands: [{upto: 500, rate: 0.033}, {upto: 1000.5, rate: 0.041}, {rate: 0.05}]}
  - id: marginal
    label: 累进
    fields: [{id: base, label: 基数}]
    award: {type: bands, base: base, marginal: true, min_base: 10,
            bands: [{upto: 500, rate: 0.033}, {upto: 1000.5, rate: 0.041}, {rate: 0.0505}]}
  - id: level
    label: 级别
    fields: [{id: level, label: 级别}, {id: previous, label: 原级别}]
    award: {type: level_difference, level: level, previous: previous, amounts: {a: 5.005, b: 10.5, c: 50.125}}
  - id: fixed
    label: 定额
    award: {type: fixed, amount: 12.345}
"""

EDGES = ["0", "10", "199.99", "200", "500", "500.01", "1000.5", "1000.51", "3076.92", "3076.93", "6060.61"]


def random_amount(rng: random.Random) -> str | None:
    choice = rng.random()
    if choice < 0.08:
        return None
    if choice < 0.4:
        return rng.choice(EDGES)
    return str(Decimal(rng.randint(0, 10_000_000)).scaleb(-rng.randint(0, 4)))


def test_batch_and_preview_give_the_same_step_1():
    rng = random.Random(6)
    policy = make_policy(POLICY)
    enterprises = [
        {
            "uscc": f"E{i}",
            "scale": rng.choice(["规上", "规下", None]),
            "high_tech": rng.choice(["是", "否", None]),
            "rd": rng.choice(["99", "100", "300", "30", None]),
            "sales": rng.choice(["1000", "4950", "10000", None]),
        }
        for i in range(40)
    ]
    applications = [
        app(
            f"A{i}",
            rng.choice([c.id for c in policy.clauses]),
            uscc=f"E{rng.randrange(40)}",
            base=random_amount(rng),
            other=random_amount(rng),
            level=rng.choice(["a", "b", "c", None]),
            previous=rng.choice(["a", "b", "c", None]),
        )
        for i in range(3000)
    ]
    facts = prepare_facts(policy, enterprises)
    prepared = prepare_applications(policy, applications, facts=facts)
    batch = compute_awards(policy, facts, prepared)  # no groups, limits or budget: step 1 only
    rows = prepared.frame.rows(named=True)
    checks: dict[int, dict] = {}  # input row -> blocked and uplift, as the calculator sees them
    for clause in policy.clauses:
        mine = prepared.frame.filter(pl.col("clause") == clause.id)
        facts_rows = mine.select("uscc").join(facts.frame, on="uscc", how="left", maintain_order="left")
        for index, gates in zip(mine.get_column("#row"), gate(clause, facts_rows).iter_rows(named=True)):
            checks[index] = gates
    disagreements = []
    for result, row in zip(batch, rows, strict=True):
        found = checks[row["#row"]]
        one = assess(policy.clause(row["clause"]), row, found["blocked"], found["uplift"])
        if (one.computed, one.reasons) != (result.computed, result.reasons):
            disagreements.append((row, one, result))
    assert disagreements == []
    assert len({r.computed for r in batch}) > 500  # the cases are varied, not all zero
