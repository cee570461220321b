"""ORM rows ↔ the matching engine's Documents and Queries. Document ids are "<kind>:<pk>"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Count, Q
from django.utils import timezone

from zhuanxing import matching
from zhuanxing.params import int_param
from zhuanxing.techmarket.models import Achievement, Demand, Expert, Institution, Match

SUPPLY_KINDS = frozenset({"expert", "achievement", "institution"})
MIN_INVITATIONS_FOR_RATE = 3  # fewer invitations say nothing about how an expert answers
ANSWERED = [Match.Stage.ACCEPTED, Match.Stage.DECLINED, Match.Stage.NEGOTIATING, Match.Stage.SIGNED]


def doc_id(obj) -> str:
    return f"{obj._meta.model_name}:{obj.pk}"


def split_doc_id(value: str) -> tuple[str, int] | None:
    kind, _, pk = value.partition(":")
    number = int_param(pk)
    return (kind, number) if number is not None else None


def response_rates(expert_ids=None) -> dict[int, float]:
    """Share of invitations each expert answered, for experts invited often enough to tell."""
    matches = Match.objects.filter(expert__isnull=False, invited_at__isnull=False)
    if expert_ids is not None:
        matches = matches.filter(expert_id__in=expert_ids)
    rows = matches.values("expert_id").annotate(
        invited=Count("id"), answered=Count("id", filter=Q(stage__in=ANSWERED))
    )
    return {
        row["expert_id"]: row["answered"] / row["invited"]
        for row in rows
        if row["invited"] >= MIN_INVITATIONS_FOR_RATE
    }


def expert_document(expert: Expert, *, response_rate: float | None = None) -> matching.Document:
    return matching.Document(
        id=doc_id(expert),
        kind="expert",
        title=f"{expert.keywords} {expert.title}".strip(),
        text=expert.directions,
        fields=tuple(expert.fields),
        org=expert.organisation,
        confirmed_on=expert.confirmed_on,
        response_rate=response_rate,
    )


def achievement_document(achievement: Achievement) -> matching.Document:
    return matching.Document(
        id=doc_id(achievement),
        kind="achievement",
        title=achievement.name,
        text=f"{achievement.description} {achievement.patents}",
        fields=(achievement.field,),
        org=achievement.institution.name if achievement.institution_id else "",
    )


def institution_document(institution: Institution) -> matching.Document:
    return matching.Document(
        id=doc_id(institution),
        kind="institution",
        title=institution.name,
        text=f"{institution.capabilities} {institution.labs}",
        fields=tuple(institution.fields),
        confirmed_on=institution.confirmed_on,
    )


def demand_document(demand: Demand) -> matching.Document:
    """For the reverse direction (profiles → demands). Only what the public may read is indexed: the
    title of a 摘要公开 demand; 仅受邀可见 demands are not indexed at all (see indexable)."""
    public = demand.confidentiality == Demand.Confidentiality.PUBLIC
    return matching.Document(
        id=doc_id(demand),
        kind="demand",
        title=demand.title,
        text=f"{demand.problem} {demand.indicators}" if public else "",
        fields=(demand.field,),
    )


def indexable(obj, *, today: dt.date | None = None) -> bool:
    """Whether the object belongs in the index now (withdrawn otherwise)."""
    today = today or timezone.localdate()
    if isinstance(obj, Demand):
        return (
            obj.state == Demand.State.OPEN
            and obj.valid_until >= today
            and obj.confidentiality != Demand.Confidentiality.INVITED
        )
    if isinstance(obj, Achievement):
        return obj.active and obj.valid_until >= today
    return obj.active


def document_for(obj) -> matching.Document:
    if isinstance(obj, Expert):
        return expert_document(obj, response_rate=response_rates([obj.pk]).get(obj.pk))
    if isinstance(obj, Achievement):
        return achievement_document(obj)
    if isinstance(obj, Institution):
        return institution_document(obj)
    return demand_document(obj)


def all_documents(*, today: dt.date | None = None) -> Iterator[matching.Document]:
    """Every indexable row, for a rebuild."""
    today = today or timezone.localdate()
    rates = response_rates()
    for expert in Expert.objects.filter(active=True).select_related("institution"):
        yield expert_document(expert, response_rate=rates.get(expert.pk))
    for achievement in Achievement.objects.filter(active=True, valid_until__gte=today).select_related(
        "institution"
    ):
        yield achievement_document(achievement)
    for institution in Institution.objects.filter(active=True):
        yield institution_document(institution)
    demands = Demand.objects.filter(state=Demand.State.OPEN, valid_until__gte=today).exclude(
        confidentiality=Demand.Confidentiality.INVITED
    )
    for demand in demands:
        yield demand_document(demand)


def demand_query(
    demand: Demand, *, exclude: frozenset[str] = frozenset(), kinds: frozenset[str] = SUPPLY_KINDS
) -> matching.Query:
    return matching.Query(
        title=demand.title,
        text=f"{demand.problem}\n{demand.indicators}\n{demand.current_state}",
        fields=(demand.field,),
        kinds=kinds,
        exclude=exclude,
    )


def profile_query(profile: Expert | Institution) -> matching.Query:
    """An expert's or institution's profile as a query for the demands that suit it."""
    document = expert_document(profile) if isinstance(profile, Expert) else institution_document(profile)
    return matching.Query(
        title=document.title, text=document.text, fields=document.fields, kinds=frozenset({"demand"})
    )


def search_query(text: str, *, field: str = "", kinds: frozenset[str] | None = None) -> matching.Query:
    return matching.Query(title=text, fields=(field,) if field else (), kinds=kinds)


def rows_for(matches: list[matching.Match]) -> dict[str, object]:
    """The rows behind the engine's matches, by document id; ids with no row (a stale index) are absent."""
    wanted: dict[str, set[int]] = {}
    for found in matches:
        parts = split_doc_id(found.doc_id)
        if parts:
            wanted.setdefault(parts[0], set()).add(parts[1])
    models = {
        "expert": Expert.objects.select_related("institution"),
        "achievement": Achievement.objects.select_related("institution"),
        "institution": Institution.objects.all(),
        "demand": Demand.objects.select_related("enterprise"),
    }
    rows: dict[str, object] = {}
    for kind, pks in wanted.items():
        if kind in models:
            rows |= {f"{kind}:{row.pk}": row for row in models[kind].filter(pk__in=pks)}
    return rows
