"""核定 across applications: the engine's steps 2–4 over amounts already computed in step 1.

An application's step 1 (eligibility, vetoes, fields, award type) is computed when it is
submitted, on the facts of that moment, and kept with it (``Application.computed``). Steps 2–4
depend on the policy's other applications, so they are decided at 核定, under the policy's
row lock (see ``services.applications_approve``):

1. **Exclusive groups and annual limits**: the engine runs steps 2 and 3 over the applications
   already approved (*standing*) together with those being approved now (*newcomers*).
   An approved amount never changes (it may be paid already), so when a newcomer beats a
   standing application (a larger award for the same project in an exclusive group, or a place
   among the N largest of the year) the newcomer receives only what its arrival adds to its
   enterprise's total (就高补差). The enterprise then ends with what one batch of all of them
   would have given it.
2. **Budget**: when the newcomers together ask for more than what is left of the budget, each
   receives amount × remaining / their sum, rounded down to 0.01 万元: the engine's step 4
   applied to the remaining budget. Approving in one batch shares the remainder pro rata;
   approving one by one serves them in turn until it is used up.

Both steps call ``compute_awards`` on a projection of the policy whose clauses pay exactly the
amount given (a ``percentage`` of rate 1 of the computed amount) and keep the policy's exclusive
groups and annual limits, so every money rule is the engine's own. Pure: no Django.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from zhuanxing.awards import AwardResult, Policy, compute_awards, validate_policy

AMOUNT_FIELD = "computed_amount"
TOPPED_UP = "就高补差"
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Claim:
    """An application whose step 1 is done: what the engine needs to rank it among others."""

    id: str
    uscc: str
    clause: str
    year: int
    submitted: dt.date
    computed: Decimal
    project: str | None = None


@dataclass(frozen=True)
class Decision:
    amount: Decimal
    reasons: tuple[str, ...] = ()


def amounts_policy(policy: Policy, *, grouped: bool, budget: Decimal | None = None) -> Policy:
    """``policy`` with every clause paying exactly its ``computed_amount`` field; with
    ``grouped`` its exclusive groups and annual limits stay, with ``budget`` that budget applies."""
    clauses = []
    for clause in policy.clauses:
        spec = {
            "id": clause.id,
            "label": clause.label,
            "fields": [{"id": AMOUNT_FIELD, "label": "计算额"}],
            "award": {"type": "percentage", "base": AMOUNT_FIELD, "rate": 1},
        }
        if grouped and clause.per_enterprise_per_year:
            spec["per_enterprise_per_year"] = clause.per_enterprise_per_year
        clauses.append(spec)
    data: dict = {"id": policy.id, "name": policy.name, "clauses": clauses}
    if grouped and policy.exclusive:
        data["exclusive"] = [list(group) for group in policy.exclusive]
    if budget is not None:
        data["budget"] = budget
    return validate_policy(data)


def settle(
    policy: Policy,
    standing: Sequence[Claim],
    newcomers: Sequence[Claim],
    *,
    remaining: Decimal | None = None,
) -> dict[str, Decision]:
    """Each newcomer's approved amount (by claim id) beside the ``standing`` approved claims,
    within the ``remaining`` budget (None: no budget)."""
    if not newcomers:
        return {}
    grouped = amounts_policy(policy, grouped=True)
    everyone = [*standing, *newcomers]
    facts = [{"uscc": uscc} for uscc in dict.fromkeys(c.uscc for c in everyone)]
    before = _run(grouped, facts, standing)
    after = _run(grouped, facts, everyone)

    standing_of: dict[str, list[Claim]] = defaultdict(list)
    for claim in standing:
        standing_of[claim.uscc].append(claim)
    newcomers_of: dict[str, list[Claim]] = defaultdict(list)
    for claim in newcomers:
        newcomers_of[claim.uscc].append(claim)

    decided: dict[str, Decision] = {}
    for uscc, mine in newcomers_of.items():
        theirs = standing_of[uscc]
        increase = sum((after[c.id].awarded for c in theirs + mine), ZERO) - sum(
            (before[c.id].awarded for c in theirs), ZERO
        )
        left = max(increase, ZERO)
        # the engine's own ranking: largest first, then the earliest submitted, then the smallest id
        for claim in sorted(mine, key=lambda c: (-after[c.id].awarded, c.submitted, c.id)):
            result = after[claim.id]
            amount = min(result.awarded, left)
            left -= amount
            reasons = result.reasons
            if amount < result.awarded:
                reasons += (f"{TOPPED_UP}（扣除已核定的 {result.awarded - amount} 万元）",)
            decided[claim.id] = Decision(amount, reasons)

    total = sum((d.amount for d in decided.values()), ZERO)
    if remaining is not None and total > remaining:
        budgeted = amounts_policy(policy, grouped=False, budget=max(remaining, ZERO))
        claims = [_with_amount(c, decided[c.id].amount) for c in newcomers]
        for result in compute_awards(budgeted, facts, _rows(claims)):
            decided[result.id] = Decision(result.awarded, decided[result.id].reasons + result.reasons)
    return decided


def _with_amount(claim: Claim, amount: Decimal) -> Claim:
    return Claim(claim.id, claim.uscc, claim.clause, claim.year, claim.submitted, amount, claim.project)


def _rows(claims: Sequence[Claim]) -> list[dict]:
    return [
        {
            "id": c.id,
            "uscc": c.uscc,
            "clause": c.clause,
            "year": c.year,
            "submitted": c.submitted,
            "project": c.project,
            AMOUNT_FIELD: c.computed,
        }
        for c in claims
    ]


def _run(policy: Policy, facts: list[dict], claims: Sequence[Claim]) -> dict[str, AwardResult]:
    if not claims:
        return {}
    return {result.id: result for result in compute_awards(policy, facts, _rows(claims))}
