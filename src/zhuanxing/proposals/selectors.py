"""Reads of 提案建议办理: cases with their deadlines, the statistics, the published replies."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch, QuerySet

from zhuanxing.proposals.models import (
    Assignment,
    Body,
    Feedback,
    Proposal,
    Rating,
    ReplyClass,
    ReplyDraft,
    Unit,
)

SOON_DAYS = 7  # a deadline within a week is shown in amber
OPEN_STATES = (Proposal.State.HANDLING, Proposal.State.AWAITING)


def deadline_status(due: dt.date, today: dt.date, *, done: bool = False) -> str:
    """``done``, ``overdue`` (red), ``soon`` (amber: due within SOON_DAYS calendar days) or ``ok``."""
    if done:
        return "done"
    if due < today:
        return "overdue"
    if (due - today).days <= SOON_DAYS:
        return "soon"
    return "ok"


def _assignment_done(assignment: Assignment) -> bool:
    proposal = assignment.proposal
    if assignment.role == Assignment.Role.CO:
        return hasattr(assignment, "view") or proposal.state not in OPEN_STATES
    return proposal.round > assignment.round or proposal.state not in OPEN_STATES


def cases(proposals: QuerySet[Proposal], today: dt.date, *, units: set[int] | None = None) -> list[dict]:
    """One row per active assignment of the current round (of ``units`` when given), with its
    deadline status, plus the cases not yet (re)assigned; overdue first, then by deadline."""
    assignments = (
        Assignment.objects.filter(proposal__in=proposals, active=True)
        .select_related("proposal", "unit", "view")
        .order_by("due_on", "proposal__number")
    )
    if units is not None:
        assignments = assignments.filter(unit_id__in=units)
    rows = []
    for assignment in assignments:
        if assignment.round != assignment.proposal.round:
            continue
        done = _assignment_done(assignment)
        rows.append(
            {
                "proposal": assignment.proposal,
                "assignment": assignment,
                "unit": assignment.unit,
                "role": assignment.get_role_display(),
                "due_on": assignment.due_on,
                "status": deadline_status(assignment.due_on, today, done=done),
            }
        )
    order = {"overdue": 0, "soon": 1, "ok": 2, "done": 3}
    rows.sort(key=lambda row: (order[row["status"]], row["due_on"], row["proposal"].number))
    return rows


def waiting_for_assignment(proposals: QuerySet[Proposal]) -> QuerySet[Proposal]:
    return proposals.filter(state__in=[Proposal.State.REGISTERED, Proposal.State.RETURNED]).order_by("number")


def proposal_detail(proposal: Proposal) -> dict:
    assignments = list(
        proposal.assignments.select_related("unit", "view", "view__author").order_by(
            "round", "-role", "unit__order", "id"
        )
    )
    drafts = list(
        proposal.drafts.select_related("author", "approved_by", "template").order_by(
            "-round", "kind", "-version"
        )
    )
    return {
        "assignments": assignments,
        "lead": next(
            (
                a
                for a in assignments
                if a.round == proposal.round and a.role == Assignment.Role.LEAD and a.active
            ),
            None,
        ),
        "co_assignments": [a for a in assignments if a.role == Assignment.Role.CO],
        "views": [a.view for a in assignments if a.role == Assignment.Role.CO and hasattr(a, "view")],
        "drafts": drafts,
        "current_draft": next(
            (d for d in drafts if d.round == proposal.round and d.kind == ReplyDraft.Kind.REPLY), None
        ),
        "extensions": list(proposal.extensions.select_related("requested_by", "decided_by")),
        "feedbacks": list(proposal.feedbacks.order_by("round")),
    }


def final_reply(proposal: Proposal) -> ReplyDraft | None:
    return (
        proposal.drafts.filter(kind=ReplyDraft.Kind.REPLY, state=ReplyDraft.State.APPROVED)
        .order_by("-round")
        .first()
    )


def _rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def statistics(proposals: QuerySet[Proposal]) -> dict:
    """Counts per body, session, lead unit and class, and the satisfaction rates (the latest
    feedback of each case; 满意率 = (满意 + 基本满意) / cases with feedback)."""
    rows = list(
        proposals.prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(
                    role=Assignment.Role.LEAD, active=True, round=1
                ).select_related("unit"),
                to_attr="leads",
            ),
            Prefetch("feedbacks", queryset=Feedback.objects.order_by("-round"), to_attr="feedback_list"),
        )
    )
    answered = {Proposal.State.REPLIED, Proposal.State.CLOSED}
    by_body: Counter = Counter()
    by_session: Counter = Counter()
    by_class: Counter = Counter()
    units: dict[str, Counter] = defaultdict(Counter)
    handling: Counter = Counter()
    result: Counter = Counter()
    for proposal in rows:
        by_body[str(proposal.get_body_display())] += 1
        by_session[proposal.session_label] += 1
        if proposal.reply_class:
            by_class[proposal.reply_class] += 1
        for lead in proposal.leads:
            counts = units[lead.unit.name]
            counts["total"] += 1
            counts["answered"] += proposal.state in answered or proposal.round > 1
            if proposal.reply_class:
                counts[proposal.reply_class] += 1
        if proposal.feedback_list:
            latest = proposal.feedback_list[0]
            handling[latest.handling] += 1
            result[latest.result] += 1

    def rates(counter: Counter) -> dict:
        total = sum(counter.values())
        return {
            "total": total,
            "counts": {str(rating.label): counter[rating.value] for rating in Rating},
            "shares": {str(rating.label): _rate(counter[rating.value], total) for rating in Rating},
            "satisfaction": _rate(counter[Rating.SATISFIED] + counter[Rating.FAIRLY], total),
        }

    return {
        "total": len(rows),
        "answered": sum(p.state in answered for p in rows),
        "by_body": dict(by_body),
        "by_session": dict(by_session),
        "by_class": {c.value: by_class[c.value] for c in ReplyClass},
        "by_unit": [
            {"unit": name, **{key: counts[key] for key in ("total", "answered", "A", "B", "C", "D")}}
            for name, counts in sorted(units.items(), key=lambda item: (-item[1]["total"], item[0]))
        ],
        "handling": rates(handling),
        "result": rates(result),
    }


def published() -> QuerySet[Proposal]:
    return Proposal.objects.filter(
        published=True, state__in=[Proposal.State.REPLIED, Proposal.State.CLOSED]
    ).order_by("-term", "-meeting", "number")


def units() -> QuerySet[Unit]:
    return Unit.objects.all()


BODY_LABELS = dict(Body.choices)
