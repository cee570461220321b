"""Reads of 政策兑现: the calculator, lists, the public notice, overdue steps, conflicts, statistics."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet, Sum

from zhuanxing import awards
from zhuanxing.accounts.models import AuditEntry, Role, User
from zhuanxing.numbers import format_measure
from zhuanxing.params import int_param
from zhuanxing.programs import adapters
from zhuanxing.programs.models import Application, ConflictDeclaration, Policy, ReviewerProfile
from zhuanxing.registry.models import Enterprise

State = Application.State
# approved: their amounts count against the budget
STANDING_STATES = (State.CONFIRMING, State.APPROVED, State.PAYING, State.PAID)
CENT = Decimal("0.01")


# ---------------------------------------------------------------- the calculator


def calculate(
    policy: Policy, clause_id: str, enterprise: Enterprise, fields: Mapping[str, object]
) -> tuple[dict, awards.Assessment]:
    """What ``clause_id`` gives ``enterprise`` for these fields now, with its arithmetic in words:
    (the facts used, the assessment). Bad values raise ``ValidationError`` keyed by field id."""
    rules = adapters.rules_of(policy)
    clause = rules.clauses_by_id.get(clause_id)
    if clause is None:
        raise ValidationError({"clause": f"未知的条款「{clause_id}」"})
    facts = adapters.facts_of(rules, enterprise, year=adapters.policy_year(policy))
    return facts, assess(rules, clause, facts, fields)


def assess(rules: awards.Policy, clause: awards.Clause, facts: Mapping, fields: Mapping) -> awards.Assessment:
    values = {f.id: _cell(fields.get(f.id)) for f in clause.fields}
    try:
        return awards.preview_award(rules, clause.id, facts, values)
    except awards.DataError as exc:
        by_label = {f.label: f.id for f in clause.fields}
        errors: dict[str, list[str]] = defaultdict(list)
        for problem in exc.problems:
            cell = problem.problem
            shown = f"{cell.reason}：「{cell.value}」" if cell.value not in (None, "") else cell.reason
            errors[by_label.get(cell.column, "__all__")].append(shown)
        raise ValidationError(dict(errors)) from exc


def fact_lines(rules: awards.Policy, facts: Mapping) -> list[tuple[str, str]]:
    """The facts an amount rests on, for a page: (label, value) with 是/否 and 无数据."""
    lines = []
    for fact in rules.facts.values():
        value = facts.get(fact.id)
        if value is None:
            text = "无数据"
        elif isinstance(value, bool):
            text = "是" if value else "否"
        elif fact.type == "number" and fact.unit:
            text = f"{format_measure(value, fact.unit)} {fact.unit}"
        elif fact.type == "number":
            text = format(Decimal(str(value)).normalize(), "f")  # a snapshot keeps numbers as text
        else:
            text = str(value)
        lines.append((fact.label, text))
    return lines


def has_automatic(policy: Policy) -> bool:
    return any(c.automatic for c in adapters.rules_of(policy).clauses)


def _cell(value) -> str | None:
    text = "" if value is None else str(value).strip()
    return text or None


# ---------------------------------------------------------------- lists


def application_search(
    queryset: QuerySet, *, state: str = "", policy: str = "", channel: str = "", q: str = ""
) -> QuerySet:
    if state:
        queryset = queryset.filter(state=state)
    if (policy_id := int_param(policy)) is not None:
        queryset = queryset.filter(policy_id=policy_id)
    if channel:
        queryset = queryset.filter(channel=channel)
    if q.strip():
        text = q.strip()
        queryset = queryset.filter(
            Q(number=text) | Q(enterprise__name__contains=text) | Q(enterprise__uscc=text.upper())
        )
    return queryset.select_related("policy", "enterprise__town").order_by("-created_at", "-id")


def overdue(queryset: QuerySet, today: dt.date) -> QuerySet:
    """Applications whose current step is past its deadline (the states the workflow table gives
    a deadline), the longest overdue first."""
    from zhuanxing.programs.workflows import APPLICATION

    timed = (*APPLICATION.timed_states(), State.PROPOSED)  # a proposal's deadline is set when made
    return (
        queryset.filter(state__in=timed, deadline__lt=today)
        .select_related("policy", "enterprise__town")
        .order_by("deadline", "id")
    )


def on_notice(today: dt.date) -> QuerySet:
    """What the public notice page lists: applications whose notice runs today."""
    return (
        Application.objects.filter(state=State.NOTICE, notice_from__lte=today, notice_until__gte=today)
        .select_related("policy", "enterprise__town")
        .order_by("notice_until", "policy__code", "number")
    )


def history(application: Application) -> list[dict]:
    """The audit entries of an application, oldest first: every step, who took it, when, from
    which state to which (by their labels) and why."""
    labels = dict(State.choices)
    entries = (
        AuditEntry.objects.filter(object_type=application._meta.label_lower, object_id=str(application.pk))
        .select_related("actor")
        .order_by("at", "id")
    )
    return [
        {
            "at": entry.at,
            "actor": entry.actor,
            "action": entry.action,
            "old": labels.get((entry.old or {}).get("state"), ""),
            "new": labels.get((entry.new or {}).get("state"), ""),
            "reason": entry.reason,
        }
        for entry in entries
    ]


def committed(policy: Policy) -> Decimal:
    """The approved amounts that count against the policy's budget."""
    total = policy.applications.filter(state__in=STANDING_STATES).aggregate(total=Sum("approved"))["total"]
    return Decimal(total or 0).quantize(CENT)  # SQLite sums decimals without their places


def ready_for_approval(policy: Policy, today: dt.date) -> QuerySet:
    """Applications whose notice has ended with no open objection, and 免申即享 proposals."""
    notice_done = Q(state=State.NOTICE, notice_until__lt=today) & ~Q(objections__state="open")
    return policy.applications.filter(notice_done | Q(state=State.PROPOSED)).distinct()


def approval_problem(application: Application, today: dt.date) -> str | None:
    """Why ``application`` cannot be 核定 today, or None."""
    if application.state == State.NOTICE:
        if application.notice_until and today <= application.notice_until:
            return f"公示期至 {application.notice_until}，公示结束后才能核定"
        if application.objections.filter(state="open").exists():
            return "还有公示异议未处理"
    return None


def next_payment(application: Application) -> tuple[int, Decimal]:
    """The next stage and its planned amount: the plan's share of the approved amount (rounded
    down to 0.01 万元); the last stage, and any after it, pays what is left."""
    stage = application.payments.count() + 1
    plan = application.policy.payment_plan
    outstanding = application.outstanding
    if stage >= len(plan):
        return stage, outstanding
    share = (application.approved * Decimal(plan[stage - 1]) / 100).quantize(CENT, rounding=ROUND_DOWN)
    return stage, min(share, outstanding)


# ---------------------------------------------------------------- reviewers


def _same_name(a: str, b: str) -> bool:
    return "".join(a.split()) == "".join(b.split())


def conflict_reason(reviewer, enterprise: Enterprise) -> str | None:
    """Why ``reviewer`` may not review applications of ``enterprise``: a declared conflict, or
    their own institution being the enterprise; None when there is none."""
    declared = ConflictDeclaration.objects.filter(reviewer=reviewer, enterprise=enterprise).first()
    if declared is not None:
        return f"已申报利益冲突：{declared.get_relation_display()}"
    profile = ReviewerProfile.objects.filter(user=reviewer).first()
    if profile is not None and _same_name(profile.institution, enterprise.name):
        return "评审专家的工作单位即申报企业"
    return None


def reviewer_choices(application: Application) -> list[tuple[User, str | None]]:
    """Active reviewers not yet assigned, each with the reason they may not review it (or None)."""
    assigned = application.reviews.values("reviewer_id")
    reviewers = (
        User.objects.filter(role=Role.REVIEWER, is_active=True).exclude(pk__in=assigned).order_by("username")
    )
    return [(reviewer, conflict_reason(reviewer, application.enterprise)) for reviewer in reviewers]


# ---------------------------------------------------------------- statistics


def stages() -> dict[str, tuple[str, str]]:
    """stage label -> (the field its start is read from, the field its end is read from), as the
    workflow table declares them (``review_done_at`` is computed per row below)."""
    from zhuanxing.programs.workflows import APPLICATION  # the table imports access, which imports us

    return {stage.label: (stage.start, stage.end) for stage in APPLICATION.stages()}


@dataclass
class ClauseFigures:
    clause_id: str
    clause_label: str
    applications: int = 0
    approvals: int = 0
    rejections: int = 0
    computed: Decimal = Decimal("0.00")
    approved: Decimal = Decimal("0.00")
    paid: Decimal = Decimal("0.00")
    stage_days: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))

    def add(self, row: dict) -> None:
        self.applications += 1
        self.approvals += row["state"] in STANDING_STATES
        self.rejections += row["state"] == State.REJECTED
        self.computed += row["computed"] or 0
        self.approved += row["approved"] if row["state"] in STANDING_STATES else 0
        self.paid += row["paid"]
        # 免申即享 proposals have no review: their 核定 stage runs from the proposal
        automatic = row["channel"] == Application.Channel.AUTOMATIC
        row["review_done_at"] = (
            row["submitted_at"] if automatic else row["expert_reviewed_at"] or row["bureau_reviewed_at"]
        )
        for stage, (start, end) in stages().items():
            if row[start] and row[end]:
                self.stage_days[stage].append((row[end] - row[start]).total_seconds() / 86400)

    @property
    def average_days(self) -> dict[str, float | None]:
        return {stage: (sum(d) / len(d) if (d := self.stage_days.get(stage)) else None) for stage in stages()}


@dataclass
class PolicyFigures:
    policy: Policy
    clauses: list[ClauseFigures]
    total: ClauseFigures

    @property
    def budget_used(self) -> float | None:
        """The share of the budget approved so far."""
        if not self.policy.budget:
            return None
        return float(self.total.approved / self.policy.budget)


def statistics(policies: QuerySet) -> list[PolicyFigures]:
    """Per policy and clause: applications (drafts not counted), approvals, rejections, the
    amounts computed, approved and paid, the average days each stage took, the budget used."""
    columns = ["policy_id", "clause_id", "clause_label", "channel", "state", "computed", "approved", "paid"]
    columns += ["submitted_at", "town_reviewed_at", "bureau_reviewed_at", "expert_reviewed_at", "approved_at"]
    columns += ["paid_at"]
    rows = Application.objects.filter(policy__in=policies).exclude(state=State.DRAFT).values(*columns)
    by_policy: dict[int, dict[str, ClauseFigures]] = defaultdict(dict)
    for row in rows.order_by("policy_id", "clause_id"):
        clauses = by_policy[row["policy_id"]]
        clauses.setdefault(row["clause_id"], ClauseFigures(row["clause_id"], row["clause_label"])).add(row)
    figures = []
    for policy in policies:
        clauses = list(by_policy.get(policy.pk, {}).values())
        total = ClauseFigures("", "合计")
        for clause in clauses:
            total.applications += clause.applications
            total.approvals += clause.approvals
            total.rejections += clause.rejections
            total.computed += clause.computed
            total.approved += clause.approved
            total.paid += clause.paid
            for stage, days in clause.stage_days.items():
                total.stage_days[stage].extend(days)
        figures.append(PolicyFigures(policy, clauses, total))
    return figures
