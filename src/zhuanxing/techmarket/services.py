"""Writes of the technology market. Keyword-only; each validates with ``full_clean()``, runs in one
transaction and writes an audit entry; every match stage change is timestamped and audited. Rows enter or
leave the matching index after the transaction commits (``indexing.publish``)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhuanxing import matching
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
    SolutionOffer,
    VocabularyLine,
)

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
# Stage -> the stages it may follow, and the timestamp it sets.
TRANSITIONS = {
    Stage.INVITED: ({Stage.RECOMMENDED}, "invited_at"),
    Stage.ACCEPTED: ({Stage.INVITED}, "answered_at"),
    Stage.DECLINED: ({Stage.INVITED}, "answered_at"),
    Stage.NEGOTIATING: ({Stage.ACCEPTED}, "negotiating_at"),
    Stage.SIGNED: ({Stage.ACCEPTED, Stage.NEGOTIATING}, "closed_at"),
    Stage.TERMINATED: ({Stage.INVITED, Stage.ACCEPTED, Stage.NEGOTIATING}, "closed_at"),
}


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


def _advance(match: Match, *, actor, to: str, reason: str = "", at: dt.datetime | None = None) -> Match:
    allowed, stamp = TRANSITIONS[to]
    if match.stage not in allowed:
        raise ValidationError(f"当前阶段为「{match.get_stage_display()}」，不能变为「{Stage(to).label}」")
    old = match.stage
    at = at or timezone.now()
    match.stage = to
    match.stage_changed_at = at
    setattr(match, stamp, at)
    match.full_clean()
    match.save()
    record_change(
        actor=actor, action="匹配阶段变更", obj=match, old={"stage": old}, new={"stage": to}, reason=reason
    )
    return match


def _locked(match: Match) -> Match:
    return Match.objects.select_for_update(of=("self",)).select_related("demand", "expert").get(pk=match.pk)


@transaction.atomic
def match_invite(*, actor, match: Match, at: dt.datetime | None = None) -> Match:
    match = _locked(match)
    if match.demand.state != Demand.State.OPEN:
        raise ValidationError("需求不在征集中，不能邀请")
    match.invited_by = actor
    return _advance(match, actor=actor, to=Stage.INVITED, at=at)


def _target_kind(target) -> str:
    kind = target._meta.model_name
    if kind not in adapters.SUPPLY_KINDS:
        raise ValidationError("只能邀请专家、成果或机构")
    return kind


@transaction.atomic
def invite_direct(
    *, actor, demand: Demand, target: Expert | Achievement | Institution, origin: str, note: str = ""
) -> Match:
    """Invite any expert, achievement or institution to a demand from its profile page, from search
    results or from its 我能解决, not only from the recommendations. A candidate already recommended is
    invited on its row (which then records this origin); one already invited is refused."""
    if origin not in Match.Origin.values or origin == Match.Origin.RECOMMENDATION:
        raise ValidationError({"origin": f"邀请来源「{origin}」无法识别"})
    demand = Demand.objects.select_for_update().get(pk=demand.pk)
    if demand.state != Demand.State.OPEN:
        raise ValidationError(f"需求「{demand.title}」不在征集中（{demand.get_state_display()}），不能邀请")
    kind = _target_kind(target)
    if not target.active:
        raise ValidationError(f"「{target}」已不在库，不能邀请")
    candidate = adapters.doc_id(target)
    match = Match.objects.select_for_update().filter(demand=demand, candidate=candidate).first()
    if match is not None and match.stage != Stage.RECOMMENDED:
        raise ValidationError(f"「{target}」已受邀（当前阶段：{match.get_stage_display()}），不能重复邀请")
    now = timezone.now()
    if match is None:
        match = Match(
            demand=demand,
            candidate=candidate,
            recommended_at=now,
            stage_changed_at=now,
            reason=f"由{Match.Origin(origin).label}直接邀请",
            **{kind: target},
        )
    match.origin = origin
    match.invited_by = actor
    match.note = note.strip()[:500]
    match.full_clean(validate_constraints=False)
    match.save()
    return _advance(match, actor=actor, to=Stage.INVITED, reason=f"来源：{Match.Origin(origin).label}")


@transaction.atomic
def offer_solution(*, actor, demand: Demand, expert: Expert, note: str) -> SolutionOffer:
    """An expert marks a demand 我能解决 with a short note (once per demand; a second time changes the
    note)."""
    demand = Demand.objects.select_for_update().get(pk=demand.pk)
    if demand.state != Demand.State.OPEN:
        raise ValidationError(f"需求「{demand.title}」不在征集中，不能再提出解决意向")
    offer = SolutionOffer.objects.filter(demand=demand, expert=expert).first()
    old = {"note": offer.note} if offer else None
    offer = offer or SolutionOffer(demand=demand, expert=expert)
    offer.note = note.strip()
    if len(offer.note) > 300:
        raise ValidationError({"note": f"说明不超过 300 字（现有 {len(offer.note)} 字）"})
    offer.full_clean()
    offer.save()
    record_change(
        actor=actor, action="我能解决", obj=demand, old=old, new={"expert": expert.pk, "note": offer.note}
    )
    return offer


@transaction.atomic
def match_answer(
    *, actor, match: Match, accept: bool, reason: str = "", note: str = "", at: dt.datetime | None = None
) -> Match:
    """Accept, or decline with a reason from the fixed list (and a note for 其他)."""
    match = _locked(match)
    if not accept:
        if reason not in Match.DeclineReason.values:
            raise ValidationError(
                {"decline_reason": f"请选择婉拒原因：{'、'.join(Match.DeclineReason.values)}"}
            )
        match.decline_reason = reason
    match.note = note.strip()[:500]
    match = _advance(
        match, actor=actor, to=Stage.ACCEPTED if accept else Stage.DECLINED, reason=reason, at=at
    )
    if match.expert_id:
        indexing.publish(match.expert)  # its response rate changed
    return match


@transaction.atomic
def match_negotiate(*, actor, match: Match, at: dt.datetime | None = None) -> Match:
    return _advance(_locked(match), actor=actor, to=Stage.NEGOTIATING, at=at)


@transaction.atomic
def match_terminate(*, actor, match: Match, reason: str = "", at: dt.datetime | None = None) -> Match:
    match = _locked(match)
    match.note = reason.strip()[:500]
    return _advance(match, actor=actor, to=Stage.TERMINATED, reason=reason, at=at)


# ----- contracts -----


def default_registration_office() -> str:
    return f"{settings.ZHUANXING_DISTRICT_NAME}技术合同认定登记点"


def _check_registration(contract: Contract) -> None:
    """The rules of 认定登记, checked before anything is written, each named in the message."""
    number = contract.registration_no.strip()
    contract.registration_no = number
    if not number:
        return
    if not contract.registered_office.strip():
        contract.registered_office = default_registration_office()
    if contract.registered_on is None:
        contract.registered_on = max(contract.signed_on, timezone.localdate()) if contract.signed_on else None
    used = Contract.objects.filter(registration_no=number).exclude(pk=contract.pk).first()
    if used is not None:
        raise ValidationError(
            {
                "registration_no": f"登记编号「{number}」已用于合同「{used.title}」"
                f"（{used.signed_on}）：一个登记编号只能登记一份合同"
            }
        )


@transaction.atomic
def contract_record(
    *, actor, contract: Contract, match: Match | None = None, event: Event | None = None
) -> Contract:
    """Record a technology contract; one that came from a match moves the match to 签约. A contract
    recorded with a registration number is registered at once (office and date default to the
    district's registration point and today)."""
    contract.match, contract.event, contract.recorded_by = match, event, actor
    _check_registration(contract)
    if match is not None:
        match = _locked(match)
        if Contract.objects.filter(match=match).exists():
            raise ValidationError({"match": "该匹配已登记过合同"})
        _advance(match, actor=actor, to=Stage.SIGNED)
    _save(contract, actor=actor, action="技术合同登记")
    return contract


@transaction.atomic
def contract_register(
    *, actor, contract: Contract, registration_no: str, office: str, registered_on: dt.date
) -> Contract:
    """技术合同认定登记 of a recorded contract: the number, the registering office and the date. A
    registered contract is not registered again (its registration is official data)."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.registration_no:
        raise ValidationError(
            {
                "registration_no": f"合同「{contract.title}」已登记（编号 {contract.registration_no}），不能重复登记"
            }
        )
    old = {"registration_no": "", "registered_office": "", "registered_on": None}
    contract.registration_no = registration_no.strip()
    contract.registered_office = office.strip()
    contract.registered_on = registered_on
    if not contract.registration_no:
        raise ValidationError({"registration_no": "请填写登记编号"})
    if not contract.registered_office:
        raise ValidationError({"registered_office": "请填写登记机构"})
    _check_registration(contract)
    contract.full_clean()
    contract.save(update_fields=["registration_no", "registered_office", "registered_on"])
    new = {
        "registration_no": contract.registration_no,
        "registered_office": contract.registered_office,
        "registered_on": str(contract.registered_on),
    }
    record_change(actor=actor, action="技术合同认定登记", obj=contract, old=old, new=new)
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


def _consultation_step(consultation: Consultation, *, expected: tuple[str, ...], to: str, actor) -> dict:
    if consultation.state not in expected:
        raise ValidationError(f"诊断当前为「{consultation.get_state_display()}」，不能变为「{to}」")
    old = {"state": consultation.state}
    consultation.state = to
    return old


@transaction.atomic
def consultation_assign(*, actor, consultation: Consultation, experts: list[Expert]) -> Consultation:
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not experts:
        raise ValidationError({"experts": "请至少选择一位专家"})
    old = _consultation_step(
        consultation,
        expected=(Consultation.State.REQUESTED, Consultation.State.ASSIGNED),
        to="已派专家",
        actor=actor,
    )
    consultation.assigned_at = timezone.now()
    consultation.full_clean()
    consultation.save()
    consultation.experts.set(experts)
    record_change(
        actor=actor,
        action="外脑派专家",
        obj=consultation,
        old=old,
        new={"state": consultation.state, "experts": [e.pk for e in experts]},
    )
    return consultation


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
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    old = _consultation_step(
        consultation,
        expected=(Consultation.State.ASSIGNED, Consultation.State.REPORTED),
        to="已出报告",
        actor=actor,
    )
    consultation.report = report.strip()
    consultation.problems = [p.strip() for p in problems if p.strip()]
    consultation.reported_at = timezone.now()
    if not consultation.report:
        raise ValidationError({"report": "请填写诊断报告"})
    consultation.full_clean()
    consultation.save()
    record_change(
        actor=actor, action="外脑诊断报告", obj=consultation, old=old, new={"state": consultation.state}
    )
    return consultation


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
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    old = _consultation_step(
        consultation,
        expected=(Consultation.State.REPORTED, Consultation.State.RATED),
        to="已评价",
        actor=actor,
    )
    consultation.rating, consultation.rating_comment = rating, comment.strip()[:500]
    consultation.rated_at = timezone.now()
    consultation.full_clean()
    consultation.save()
    record_change(actor=actor, action="外脑服务评价", obj=consultation, old=old, new={"rating": rating})
    return consultation


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
