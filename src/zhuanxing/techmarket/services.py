"""Writes of the technology market. Keyword-only; each validates with ``full_clean()``, runs in one
transaction and writes an audit entry; every match stage change is timestamped and audited. Rows enter or
leave the matching index after the transaction commits (``indexing.publish``)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhuanxing import matching, workflow
from zhuanxing.accounts.audit import changed_fields, field_values, record_change
from zhuanxing.techmarket import adapters, indexing
from zhuanxing.techmarket.models import (
    Achievement,
    Consultation,
    ConsultationVisit,
    Contract,
    Demand,
    Event,
    EventPair,
    EventRegistration,
    Expert,
    Institution,
    Match,
    VocabularyLine,
)
from zhuanxing.techmarket.workflows import CONSULTATION, MATCH

DEMAND_FIELDS = [
    "title",
    "problem",
    "indicators",
    "current_state",
    "budget_min",
    "budget_max",
    "cooperation",
    "field",
    "deadline",
    "confidentiality",
    "valid_until",
]
DEFAULT_VALIDITY = dt.timedelta(days=180)
RENEWAL = dt.timedelta(days=90)
Stage = Match.Stage


def _save(obj, *, actor, action: str, old: dict | None = None, reason: str = "") -> None:
    """full_clean, save, audit (only what changed), in the caller's transaction."""
    obj.full_clean()
    obj.save()
    names = [f.name for f in obj._meta.concrete_fields if f.name not in ("id", "updated_at")]
    new = field_values(obj, names)
    if old is not None:
        old, new = changed_fields(old, new)
    record_change(actor=actor, action=action, obj=obj, old=old, new=new, reason=reason)


def _snapshot(obj) -> dict:
    return field_values(
        obj, [f.name for f in obj._meta.concrete_fields if f.name not in ("id", "updated_at")]
    )


# ----- profiles -----


@transaction.atomic
def profile_save(*, actor, profile: Expert | Achievement | Institution) -> Expert | Achievement | Institution:
    """Create or change an expert, achievement or institution and keep the index current."""
    old = _snapshot(type(profile).objects.get(pk=profile.pk)) if profile.pk else None
    _save(profile, actor=actor, action=f"{profile._meta.verbose_name}保存", old=old)
    indexing.publish(profile)
    return profile


@transaction.atomic
def profile_confirm(*, actor, profile: Expert | Institution, today: dt.date | None = None):
    """The owner (or staff) confirms the profile is current: freshness counts from today."""
    old = {"confirmed_on": str(profile.confirmed_on) if profile.confirmed_on else None}
    profile.confirmed_on = today or timezone.localdate()
    profile.full_clean()
    profile.save(update_fields=["confirmed_on"])
    record_change(
        actor=actor, action="档案确认", obj=profile, old=old, new={"confirmed_on": str(profile.confirmed_on)}
    )
    indexing.publish(profile)
    return profile


# ----- demands -----


def _set_demand(demand: Demand, values: dict) -> None:
    unknown = set(values) - set(DEMAND_FIELDS)
    if unknown:
        raise ValidationError(f"无法识别的字段：{'、'.join(sorted(unknown))}")
    for name, value in values.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(demand, name, value)


def _match_fields(found: matching.Match, row) -> dict:
    kind = found.kind
    return {
        "candidate": found.doc_id,
        kind: row,
        "rank": found.rank,
        "score": found.score,
        "reason": found.reason,
        "explanation": found.as_dict(),
    }


def recommend(demand: Demand) -> list[Match]:
    """Replace the demand's open recommendations with the engine's current top candidates. Candidates
    already invited (or further) keep their rows and are not recommended twice."""
    demand.matches.filter(stage=Stage.RECOMMENDED).delete()
    kept = frozenset(demand.matches.values_list("candidate", flat=True))
    found = indexing.search(adapters.demand_query(demand, exclude=kept))
    rows = adapters.rows_for(found)
    now = timezone.now()
    matches = [
        Match(demand=demand, recommended_at=now, stage_changed_at=now, **_match_fields(hit, rows[hit.doc_id]))
        for hit in found
        if hit.doc_id in rows
    ]
    return Match.objects.bulk_create(matches)


@transaction.atomic
def demand_create(*, actor, enterprise, values: dict, consultation: Consultation | None = None) -> Demand:
    """Post a demand and recommend candidates at once."""
    demand = Demand(enterprise=enterprise, posted_by=actor, consultation=consultation)
    demand.valid_until = timezone.localdate() + DEFAULT_VALIDITY
    _set_demand(demand, values)
    _save(demand, actor=actor, action="技术需求发布")
    recommend(demand)
    indexing.publish(demand)
    return demand


@transaction.atomic
def demand_update(*, actor, demand: Demand, values: dict) -> Demand:
    demand = Demand.objects.select_for_update().get(pk=demand.pk)
    old = _snapshot(demand)
    _set_demand(demand, values)
    _save(demand, actor=actor, action="技术需求修改", old=old)
    recommend(demand)
    indexing.publish(demand)
    return demand


@transaction.atomic
def demand_refresh(*, actor, demand: Demand) -> list[Match]:
    """Recommend again (the index may know new candidates)."""
    record_change(actor=actor, action="重新推荐", obj=demand)
    return recommend(demand)


@transaction.atomic
def demand_set_state(*, actor, demand: Demand, state: str, reason: str = "") -> Demand:
    """解决, 撤回, or back to 征集中 (a renewal, for another 90 days from today)."""
    demand = Demand.objects.select_for_update().get(pk=demand.pk)
    old = {"state": demand.state, "valid_until": str(demand.valid_until)}
    if state not in Demand.State.values or state == Demand.State.EXPIRED:
        raise ValidationError({"state": f"无法设为「{state}」"})
    if state == Demand.State.OPEN:
        demand.valid_until = max(demand.valid_until, timezone.localdate()) + RENEWAL
    elif demand.state != Demand.State.OPEN:
        raise ValidationError({"state": f"需求已是「{demand.state}」"})
    demand.state = state
    demand.full_clean()
    demand.save(update_fields=["state", "valid_until", "updated_at"])
    new = {"state": demand.state, "valid_until": str(demand.valid_until)}
    record_change(actor=actor, action="技术需求状态变更", obj=demand, old=old, new=new, reason=reason)
    indexing.publish(demand)
    return demand


@transaction.atomic
def demands_expire(*, today: dt.date | None = None) -> int:
    """Open demands past their date become 已过期 (renewing puts them back); run daily."""
    today = today or timezone.localdate()
    expired = list(Demand.objects.select_for_update().filter(state=Demand.State.OPEN, valid_until__lt=today))
    for demand in expired:
        demand.state = Demand.State.EXPIRED
        demand.save(update_fields=["state", "updated_at"])
        record_change(
            actor=None,
            action="技术需求状态变更",
            obj=demand,
            old={"state": "征集中"},
            new={"state": "已过期"},
        )
        indexing.publish(demand)
    return len(expired)


# ----- the pipeline -----


def _advance(match: Match, action: str, *, actor, reason: str = "", at: dt.datetime | None = None, **options):
    """A match's stage change through the workflow table (``techmarket/workflows.py``)."""
    return workflow.apply_transition(MATCH, match, action, actor=actor, reason=reason, now=at, **options)


@transaction.atomic
def match_invite(*, actor, match: Match, at: dt.datetime | None = None) -> Match:
    def prepare(match: Match) -> None:
        if match.demand.state != Demand.State.OPEN:
            raise ValidationError("需求不在征集中，不能邀请")
        match.invited_by = actor

    return _advance(match, "invite", actor=actor, at=at, prepare=prepare)


@transaction.atomic
def match_answer(
    *, actor, match: Match, accept: bool, reason: str = "", note: str = "", at: dt.datetime | None = None
) -> Match:
    """Accept, or decline with a reason from the fixed list (and a note for 其他)."""

    def prepare(match: Match) -> None:
        if not accept:
            if reason not in Match.DeclineReason.values:
                raise ValidationError(
                    {"decline_reason": f"请选择婉拒原因：{'、'.join(Match.DeclineReason.values)}"}
                )
            match.decline_reason = reason
        match.note = note.strip()[:500]

    match = _advance(
        match, "accept" if accept else "decline", actor=actor, reason=reason, at=at, prepare=prepare
    )
    if match.expert_id:
        indexing.publish(match.expert)  # its response rate changed
    return match


@transaction.atomic
def match_negotiate(*, actor, match: Match, at: dt.datetime | None = None) -> Match:
    return _advance(match, "negotiate", actor=actor, at=at)


@transaction.atomic
def match_terminate(*, actor, match: Match, reason: str = "", at: dt.datetime | None = None) -> Match:
    return _advance(
        match, "terminate", actor=actor, reason=reason, at=at, changes={"note": reason.strip()[:500]}
    )


# ----- contracts -----


@transaction.atomic
def contract_record(
    *, actor, contract: Contract, match: Match | None = None, event: Event | None = None
) -> Contract:
    """Record a technology contract; one that came from a match moves the match to 签约."""
    contract.match, contract.event, contract.recorded_by = match, event, actor
    if match is not None:

        def prepare(match: Match) -> None:
            if Contract.objects.filter(match=match).exists():
                raise ValidationError({"match": "该匹配已登记过合同"})

        _advance(match, "sign", actor=actor, prepare=prepare)
    _save(contract, actor=actor, action="技术合同登记")
    return contract


# ----- events -----


@transaction.atomic
def event_save(*, actor, event: Event) -> Event:
    old = _snapshot(Event.objects.get(pk=event.pk)) if event.pk else None
    _save(event, actor=actor, action="对接活动保存", old=old)
    return event


@transaction.atomic
def event_register(*, actor, event: Event, enterprise=None, expert: Expert | None = None, note: str = ""):
    lookup = {"enterprise": enterprise} if enterprise is not None else {"expert": expert}
    if EventRegistration.objects.filter(event=event, **lookup).exists():
        raise ValidationError("已经报名")
    registration = EventRegistration(event=event, registered_by=actor, note=note.strip()[:200], **lookup)
    registration.full_clean()
    registration.save()
    record_change(actor=actor, action="活动报名", obj=event, new={k: str(v) for k, v in lookup.items()})
    return registration


@transaction.atomic
def event_prematch(*, actor, event: Event, per_demand: int = 3) -> list[EventPair]:
    """Pair the registered enterprises' open demands with the registered experts the engine ranks best."""
    experts = set(event.registrations.filter(expert__isnull=False).values_list("expert_id", flat=True))
    enterprises = event.registrations.filter(enterprise__isnull=False).values_list("enterprise_id", flat=True)
    demands = Demand.objects.filter(enterprise_id__in=enterprises, state=Demand.State.OPEN)
    pairs = []
    for demand in demands:
        query = adapters.demand_query(demand, kinds=frozenset({"expert"}))
        ranked = [
            pk
            for hit in indexing.search(query, top=50)
            if (pk := adapters.split_doc_id(hit.doc_id)[1]) in experts
        ]
        for expert_id in ranked[:per_demand]:
            pair, created = EventPair.objects.get_or_create(event=event, demand=demand, expert_id=expert_id)
            if created:
                pairs.append(pair)
    record_change(actor=actor, action="活动预匹配", obj=event, new={"pairs": len(pairs)})
    return pairs


@transaction.atomic
def event_pair_add(*, actor, event: Event, demand: Demand, expert: Expert) -> EventPair:
    pair = EventPair(event=event, demand=demand, expert=expert)
    pair.full_clean()
    pair.save()
    record_change(
        actor=actor, action="活动对接安排", obj=event, new={"demand": demand.pk, "expert": expert.pk}
    )
    return pair


@transaction.atomic
def event_pair_outcome(*, actor, pair: EventPair, outcome: str) -> EventPair:
    old = {"outcome": pair.outcome}
    pair.outcome = outcome
    pair.full_clean()
    pair.save(update_fields=["outcome"])
    record_change(
        actor=actor, action="活动对接结果", obj=pair.event, old=old, new={"outcome": outcome, "pair": pair.pk}
    )
    return pair


# ----- 外脑 consulting -----


@transaction.atomic
def consultation_request(*, actor, enterprise, areas: list[str], description: str) -> Consultation:
    consultation = Consultation(
        enterprise=enterprise, requested_by=actor, areas=areas, description=description.strip()
    )
    _save(consultation, actor=actor, action="外脑诊断申请")
    return consultation


@transaction.atomic
def consultation_assign(*, actor, consultation: Consultation, experts: list[Expert]) -> Consultation:
    if not experts:
        raise ValidationError({"experts": "请至少选择一位专家"})

    def prepare(consultation: Consultation) -> dict:
        consultation.experts.set(experts)
        return {"experts": [e.pk for e in experts]}

    return workflow.apply_transition(CONSULTATION, consultation, "assign", actor=actor, prepare=prepare)


@transaction.atomic
def consultation_visit(
    *, actor, consultation: Consultation, visited_on: dt.date, notes: str
) -> ConsultationVisit:
    if Consultation.objects.get(pk=consultation.pk).state == Consultation.State.REQUESTED:
        raise ValidationError("请先派专家组")
    visit = ConsultationVisit(consultation=consultation, visited_on=visited_on, notes=notes.strip())
    visit.full_clean()
    visit.save()
    record_change(actor=actor, action="外脑走访", obj=consultation, new={"visited_on": str(visited_on)})
    return visit


@transaction.atomic
def consultation_report(
    *, actor, consultation: Consultation, report: str, problems: list[str]
) -> Consultation:
    """The diagnosis report and the problems found (each may become a demand with one click)."""
    if not report.strip():
        raise ValidationError({"report": "请填写诊断报告"})
    changes = {"report": report.strip(), "problems": [p.strip() for p in problems if p.strip()]}
    return workflow.apply_transition(CONSULTATION, consultation, "report", actor=actor, changes=changes)


def consultation_problem_to_demand(
    *, actor, consultation: Consultation, problem_index: int, field: str
) -> Demand:
    """One click: a problem the experts found becomes a demand of the enterprise (公开, to be edited)."""
    try:
        problem = consultation.problems[problem_index]
    except (IndexError, TypeError) as exc:
        raise ValidationError("没有这条问题") from exc
    if consultation.demands.filter(title=problem[:100]).exists():
        raise ValidationError("这条问题已转为技术需求")
    return demand_create(
        actor=actor,
        enterprise=consultation.enterprise,
        consultation=consultation,
        values={"title": problem[:100], "problem": problem, "field": field},
    )


@transaction.atomic
def consultation_rate(*, actor, consultation: Consultation, rating: int, comment: str = "") -> Consultation:
    changes = {"rating": rating, "rating_comment": comment.strip()[:500]}
    return workflow.apply_transition(
        CONSULTATION, consultation, "rate", actor=actor, changes=changes, new={"rating": rating}
    )


# ----- vocabulary -----


@transaction.atomic
def vocabulary_add(*, actor, kind: str, line: str) -> VocabularyLine:
    """Add a dictionary word, synonym group, stop word or field line; checked by building the engine's
    tokenizer with it. Takes effect for documents at the next ``techmarket-reindex``."""
    entry = VocabularyLine(kind=kind, line=line.strip(), added_by=actor)
    entry.full_clean()
    _key, lines = indexing.vocabulary()
    lines[kind].append(entry.line)
    try:
        indexing.engine_parts(lines)
    except matching.DictionaryError as exc:
        raise ValidationError({"line": str(exc)}) from exc
    entry.save()
    record_change(actor=actor, action="匹配词表增加", obj=entry, new={"kind": kind, "line": entry.line})
    return entry


@transaction.atomic
def vocabulary_remove(*, actor, entry: VocabularyLine) -> None:
    record_change(actor=actor, action="匹配词表删除", obj=entry, old={"kind": entry.kind, "line": entry.line})
    entry.delete()
