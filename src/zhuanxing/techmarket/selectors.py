"""Reads of the technology market: lists, the cross-kind search, reminders and the year's statistics."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_noop

from zhuanxing.techmarket import adapters, indexing
from zhuanxing.techmarket.access import listed_demands
from zhuanxing.techmarket.models import (
    Achievement,
    Broker,
    Commission,
    Contract,
    Demand,
    Event,
    Expert,
    Institution,
    Match,
    SolutionOffer,
)

Stage = Match.Stage
ACCEPTED_STAGES = (Stage.ACCEPTED, Stage.NEGOTIATING, Stage.SIGNED)
# A stage waiting longer than this shows up in the staff's reminders.
REMINDER_DAYS = {Stage.INVITED: 7, Stage.ACCEPTED: 14, Stage.NEGOTIATING: 60}
STALE_AFTER = dt.timedelta(days=365)
SEARCH_KINDS = {"expert": "专家", "achievement": "成果", "institution": "机构", "demand": "需求"}
SEARCH_TOP = 50


def demand_list(demands: QuerySet, *, q: str = "", field: str = "", state: str = "") -> QuerySet:
    """The list page's rows with their enterprise and match counts in one query."""
    if q:
        demands = demands.filter(Q(title__icontains=q) | Q(enterprise__name__icontains=q))
    if field:
        demands = demands.filter(field=field)
    if state:
        demands = demands.filter(state=state)
    return (
        demands.select_related("enterprise")
        .annotate(
            invited=Count("matches", filter=~Q(matches__stage=Stage.RECOMMENDED), distinct=True),
            accepted=Count("matches", filter=Q(matches__stage__in=ACCEPTED_STAGES), distinct=True),
        )
        .order_by("-created_at", "-id")
    )


def demand_matches(matches: QuerySet) -> QuerySet:
    return matches.select_related("expert__institution", "achievement__institution", "institution").order_by(
        "rank", "id"
    )


def search(*, q: str, kind: str = "", field: str = "") -> list[dict]:
    """One search over experts, achievements, institutions and listed demands; ``field`` keeps only that
    field. Without words, the newest rows of the kind are listed."""
    kinds = frozenset({kind}) if kind in SEARCH_KINDS else None
    if not q.strip():
        return _browse(kind if kind in SEARCH_KINDS else "expert", field)
    found = indexing.search(adapters.search_query(q, field=field, kinds=kinds), top=SEARCH_TOP)
    rows = adapters.rows_for(found)
    listed = set(
        Demand.objects.filter(listed_demands())
        .filter(pk__in=[r.pk for r in rows.values() if isinstance(r, Demand)])
        .values_list("pk", flat=True)
    )
    results = []
    for hit in found:
        row = rows.get(hit.doc_id)
        if row is None or (isinstance(row, Demand) and row.pk not in listed):
            continue
        if field and field not in _fields_of(row):
            continue
        results.append({"kind": hit.kind, "kind_label": SEARCH_KINDS[hit.kind], "row": row, "match": hit})
    return results


def _fields_of(row) -> list[str]:
    return list(row.fields) if isinstance(row, Expert | Institution) else [row.field]


def _browse(kind: str, field: str) -> list[dict]:
    querysets = {
        "expert": Expert.objects.filter(active=True).select_related("institution"),
        "achievement": Achievement.objects.filter(active=True).select_related("institution"),
        "institution": Institution.objects.filter(active=True),
        "demand": Demand.objects.filter(listed_demands()).select_related("enterprise"),
    }
    rows = querysets.get(kind, querysets["expert"])
    # JSON list fields cannot be filtered portably (SQLite has no JSON contains): filter here.
    kept = (row for row in rows.iterator() if not field or field in _fields_of(row))
    return [
        {"kind": kind, "kind_label": SEARCH_KINDS[kind], "row": row, "match": None}
        for row, _ in zip(kept, range(SEARCH_TOP))
    ]


def profile_demands(profile: Expert | Institution, *, top: int = 20) -> list[dict]:
    """The listed demands that suit an expert's or institution's profile, with the reasons."""
    found = indexing.search(adapters.profile_query(profile), top=top)
    rows = adapters.rows_for(found)
    listed = set(Demand.objects.filter(listed_demands()).values_list("pk", flat=True))
    return [
        {"row": rows[hit.doc_id], "match": hit}
        for hit in found
        if hit.doc_id in rows and rows[hit.doc_id].pk in listed
    ]


def invitations_for(matches: QuerySet) -> QuerySet:
    return (
        matches.exclude(stage=Stage.RECOMMENDED)
        .select_related("demand__enterprise", "expert", "achievement", "institution")
        .order_by("-invited_at")
    )


def reminders(*, now: dt.datetime | None = None) -> list[dict]:
    """Matches whose stage has waited too long, oldest first."""
    now = now or timezone.now()
    waiting = Q()
    for stage, days in REMINDER_DAYS.items():
        waiting |= Q(stage=stage, stage_changed_at__lt=now - dt.timedelta(days=days))
    matches = (
        Match.objects.filter(waiting, demand__state=Demand.State.OPEN)
        .select_related("demand__enterprise", "expert", "achievement", "institution")
        .order_by("stage_changed_at")
    )
    return [
        {"match": m, "days": (now - m.stage_changed_at).days, "limit": REMINDER_DAYS[m.stage]}
        for m in matches
    ]


def stale_experts(*, today: dt.date | None = None) -> QuerySet:
    """Profiles nobody has confirmed for a year (or ever)."""
    cutoff = (today or timezone.localdate()) - STALE_AFTER
    return Expert.objects.filter(active=True).filter(
        Q(confirmed_on__isnull=True) | Q(confirmed_on__lt=cutoff)
    )


def _money(value) -> Decimal:
    return value if value is not None else Decimal("0")


def statistics_for(year: int, *, field: str = "") -> dict:
    """The year's figures (optionally one field): demands, matching, contracts, events, the funnel."""
    demands = Demand.objects.filter(created_at__year=year)
    contracts = Contract.objects.filter(signed_on__year=year)
    matches = Match.objects.filter(recommended_at__year=year)
    if field:
        demands, contracts = demands.filter(field=field), contracts.filter(field=field)
        matches = matches.filter(demand__field=field)

    def by(group: str) -> list[dict]:
        rows = contracts.values(group).annotate(
            count=Count("id"), amount=Sum("amount"), tech=Sum("tech_amount")
        )
        return [
            {
                "name": row[group] or "（未关联机构）",
                "count": row["count"],
                "amount": _money(row["amount"]),
                "tech_amount": _money(row["tech"]),
            }
            for row in rows.order_by("-amount")
        ]

    funnel_counts = matches.aggregate(
        recommended=Count("id"),
        invited=Count("id", filter=Q(invited_at__isnull=False)),
        answered=Count("id", filter=Q(answered_at__isnull=False)),
        accepted=Count("id", filter=Q(answered_at__isnull=False) & ~Q(stage=Stage.DECLINED)),
        negotiating=Count("id", filter=Q(negotiating_at__isnull=False)),
        signed=Count("id", filter=Q(stage=Stage.SIGNED)),
    )
    labels = {
        "recommended": "推荐",
        "invited": "邀请",
        "answered": "答复",
        "accepted": "接受",
        "negotiating": "洽谈",
        "signed": "签约",
    }
    funnel, previous = [], None
    for key, label in labels.items():
        count = funnel_counts[key]
        rate = None if previous is None else (count / previous if previous else None)
        funnel.append({"stage": label, "count": count, "conversion": rate})
        previous = count

    waits = [
        (answered - invited).total_seconds() / 3600
        for invited, answered in matches.filter(
            answered_at__isnull=False, invited_at__isnull=False
        ).values_list("invited_at", "answered_at")
    ]
    flows: Counter[str] = Counter()
    flow_amounts: defaultdict[str, Decimal] = defaultdict(Decimal)
    for contract in contracts.only("seller_region", "buyer_region", "tech_amount"):
        flows[contract.flow] += 1
        flow_amounts[contract.flow] += contract.tech_amount
    totals = contracts.aggregate(count=Count("id"), amount=Sum("amount"), tech=Sum("tech_amount"))
    declined = dict(
        matches.filter(stage=Stage.DECLINED).values_list("decline_reason").annotate(n=Count("id")).order_by()
    )
    invited_by_origin = dict(
        matches.filter(invited_at__isnull=False).values_list("origin").annotate(n=Count("id")).order_by()
    )
    offers = SolutionOffer.objects.filter(created_at__year=year)
    if field:
        offers = offers.filter(demand__field=field)
    return {
        "year": year,
        "field": field,
        "decline_reasons": [
            {"reason": reason, "count": declined.get(reason, 0)} for reason in Match.DeclineReason.values
        ],
        "invitations_by_origin": [
            {"origin": origin, "count": invited_by_origin.get(origin, 0)} for origin in Match.Origin.values
        ],
        "offers": offers.count(),
        "registration": registration_statistics(year, field=field),
        "demands_posted": demands.count(),
        "demands_matched": demands.filter(matches__stage__in=ACCEPTED_STAGES).distinct().count(),
        "contracts": totals["count"],
        "amount": _money(totals["amount"]),
        "tech_amount": _money(totals["tech"]),
        "by_kind": by("kind"),
        "by_field": by("field"),
        "by_institution": by("seller_institution__name"),
        "flows": [{"flow": k, "count": flows[k], "tech_amount": flow_amounts[k]} for k in sorted(flows)],
        "events": event_outcomes(year),
        "funnel": funnel,
        "median_answer_hours": statistics.median(waits) if waits else None,
        "stale_profiles": stale_experts().count(),
        "experts": Expert.objects.filter(active=True).count(),
    }


def event_outcomes(year: int) -> list[dict]:
    events = (
        Event.objects.filter(held_on__year=year)
        .select_related("partner")
        .annotate(
            registered=Count("registrations", distinct=True),
            paired=Count("pairs", distinct=True),
            intents=Count("pairs", filter=Q(pairs__outcome="合作意向"), distinct=True),
        )
    )
    signed = {
        row["event"]: row
        for row in Contract.objects.filter(event__in=events)
        .values("event")
        .annotate(count=Count("id"), amount=Sum("amount"))
    }
    return [
        {
            "event": event,
            "registered": event.registered,
            "paired": event.paired,
            "intents": event.intents,
            "signed": signed.get(event.pk, {}).get("count", 0),
            "amount": _money(signed.get(event.pk, {}).get("amount")),
        }
        for event in events
    ]


def statistics_years() -> list[int]:
    years = set(Demand.objects.annotate(y=ExtractYear("created_at")).values_list("y", flat=True))
    years |= set(Contract.objects.annotate(y=ExtractYear("signed_on")).values_list("y", flat=True))
    # newest first, so the pages open on the latest year that has data; the current year when none has
    return sorted(years, reverse=True) or [timezone.localdate().year]


# stored and grouped in Chinese, translated where shown
FLOWS = [gettext_noop("输出"), gettext_noop("吸纳"), gettext_noop("区内"), gettext_noop("区外")]


def registered_contracts(*, year: int | None = None, field: str = "") -> QuerySet:
    """Registered (认定登记) contracts, by their registration date's year."""
    contracts = Contract.objects.exclude(registration_no="")
    if year is not None:
        contracts = contracts.filter(registered_on__year=year)
    if field:
        contracts = contracts.filter(field=field)
    return contracts.order_by("registered_on", "registration_no")


def registration_statistics(year: int, *, field: str = "") -> dict:
    """技术合同认定登记: the year's registered contracts and amounts by type and by 输出/吸纳, and every
    year's totals."""

    def zero() -> dict:
        return {"count": 0, "amount": Decimal("0"), "tech_amount": Decimal("0")}

    by_kind = {kind: zero() for kind in Contract.Kind.values}
    by_flow = {flow: zero() for flow in FLOWS}
    total = zero()
    fields = ("kind", "amount", "tech_amount", "seller_region", "buyer_region")
    for contract in registered_contracts(year=year, field=field).only(*fields):
        for bucket in (by_kind[contract.kind], by_flow[contract.flow], total):
            bucket["count"] += 1
            bucket["amount"] += contract.amount
            bucket["tech_amount"] += contract.tech_amount
    per_year = (
        Contract.objects.exclude(registration_no="")
        .filter(**({"field": field} if field else {}))
        .annotate(y=ExtractYear("registered_on"))
        .values("y")
        .annotate(count=Count("id"), amount=Sum("amount"), tech=Sum("tech_amount"))
        .order_by("y")
    )
    return {
        "total": total,
        "by_kind": [{"name": kind, **values} for kind, values in by_kind.items()],
        "by_flow": [{"name": flow, **values} for flow, values in by_flow.items()],
        "per_year": [
            {
                "year": row["y"],
                "count": row["count"],
                "amount": _money(row["amount"]),
                "tech_amount": _money(row["tech"]),
            }
            for row in per_year
        ],
    }


def broker_statistics(year: int) -> list[dict]:
    """Each broker's deals (contracts signed that year) and commissions by state, in 万元."""
    contracts = {
        row["broker"]: row
        for row in Contract.objects.filter(signed_on__year=year, broker__isnull=False)
        .values("broker")
        .annotate(count=Count("id"), tech=Sum("tech_amount"))
    }
    commissions: defaultdict[int, dict] = defaultdict(lambda: defaultdict(Decimal))
    for broker_id, state, amount in Commission.objects.filter(year=year).values_list(
        "broker", "state", "amount"
    ):
        commissions[broker_id][state] += amount
    rows = []
    for broker in Broker.objects.select_related("institution").order_by("name", "id"):
        deals, money = contracts.get(broker.pk, {}), commissions.get(broker.pk, {})
        rows.append(
            {
                "broker": broker,
                "contracts": deals.get("count", 0),
                "tech_amount": _money(deals.get("tech")),
                "computed": money.get(Commission.State.COMPUTED, Decimal("0")),
                "approved": money.get(Commission.State.APPROVED, Decimal("0")),
                "paid": money.get(Commission.State.PAID, Decimal("0")),
            }
        )
    return rows


def broker_pipeline(broker: Broker) -> dict:
    """The demands, invitations and contracts a broker handles, with the commissions."""
    demands = broker.demands.select_related("enterprise").order_by("-created_at")
    return {
        "demands": demands,
        "matches": Match.objects.filter(demand__broker=broker)
        .exclude(stage=Stage.RECOMMENDED)
        .select_related("demand", "expert", "achievement", "institution")
        .order_by("-invited_at"),
        "contracts": broker.contracts.select_related("commission").order_by("-signed_on"),
    }
