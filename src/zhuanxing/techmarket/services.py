"""Writes of the technology market. Keyword-only; each validates with ``full_clean()``, runs in one
transaction and writes an audit entry; every match stage change is timestamped and audited. Rows enter or
leave the matching index after the transaction commits (``indexing.publish``)."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhuanxing import matching, workflow
from zhuanxing.accounts.audit import changed_fields, field_values, record_change
from zhuanxing.techmarket import adapters, indexing
from zhuanxing.techmarket.models import (
    Achievement,
    Bid,
    Broker,
    Challenge,
    Commission,
    CommissionRule,
    Consultation,
    ConsultationVisit,
    Contract,
    Demand,
    Deposit,
    Event,
    EventPair,
    EventRegistration,
    Expert,
    Institution,
    Listing,
    Match,
    Proposal,
    ProposalScore,
    SolutionOffer,
    VocabularyLine,
)
from zhuanxing.techmarket.workflows import CHALLENGE, CONSULTATION, MATCH

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
    return _advance(match, "invite", actor=actor, reason=f"来源：{Match.Origin(origin).label}")


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

        def prepare(match: Match) -> None:
            if Contract.objects.filter(match=match).exists():
                raise ValidationError({"match": "该匹配已登记过合同"})

        match = _advance(match, "sign", actor=actor, prepare=prepare)
        if contract.broker_id is None and match.demand.broker_id:
            contract.broker_id = match.demand.broker_id  # the demand's broker handled the deal
    _save(contract, actor=actor, action="技术合同登记")
    _commission_for(contract, actor=actor)
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
    _commission_for(contract, actor=actor)
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


# ----- 技术经纪人 -----

CENT = Decimal("0.01")


@transaction.atomic
def broker_save(*, actor, broker: Broker) -> Broker:
    old = _snapshot(Broker.objects.get(pk=broker.pk)) if broker.pk else None
    if Broker.objects.filter(certificate_no=broker.certificate_no.strip()).exclude(pk=broker.pk).exists():
        raise ValidationError({"certificate_no": f"培训证书编号「{broker.certificate_no}」已登记过"})
    _save(broker, actor=actor, action="技术经纪人登记", old=old)
    return broker


@transaction.atomic
def demand_set_broker(*, actor, demand: Demand, broker: Broker, claim: bool = False) -> Demand:
    """Staff assign a broker to a demand, or the broker claims it (only while it has none)."""
    demand = Demand.objects.select_for_update().get(pk=demand.pk)
    if not broker.active:
        raise ValidationError(f"技术经纪人「{broker}」已不在册")
    if claim and demand.broker_id and demand.broker_id != broker.pk:
        raise ValidationError(f"需求「{demand.title}」已由经纪人「{demand.broker}」负责，不能认领")
    if demand.state != Demand.State.OPEN:
        raise ValidationError(f"需求「{demand.title}」不在征集中")
    old = {"broker": demand.broker_id}
    demand.broker = broker
    demand.save(update_fields=["broker", "updated_at"])
    action = "经纪人认领需求" if claim else "指派技术经纪人"
    record_change(actor=actor, action=action, obj=demand, old=old, new={"broker": broker.pk})
    return demand


@transaction.atomic
def commission_rule_save(*, actor, rule: CommissionRule) -> CommissionRule:
    """A year's rule. Its budget may not fall below what is already approved or paid under it."""
    old = _snapshot(CommissionRule.objects.get(pk=rule.pk)) if rule.pk else None
    if rule.pk:
        committed = _committed(rule)
        if rule.budget is not None and rule.budget < committed:
            raise ValidationError(
                {"budget": f"{rule}：年度预算 {rule.budget} 万元低于已核定和已拨付的 {committed} 万元"}
            )
    _save(rule, actor=actor, action="佣金规则保存", old=old)
    return rule


def _committed(rule: CommissionRule, *, broker: Broker | None = None) -> Decimal:
    """What the rule's commissions already hold: approved or paid (and, per broker, also computed)."""
    states = [Commission.State.APPROVED, Commission.State.PAID]
    rows = Commission.objects.filter(rule=rule, state__in=states)
    if broker is not None:
        rows = Commission.objects.filter(
            rule=rule, broker=broker, state__in=[*states, Commission.State.COMPUTED]
        )
    # Summed here, not by the database: SQLite adds decimals as floats (0.70000000000000).
    return sum(rows.values_list("amount", flat=True), Decimal("0")).quantize(CENT)


def compute_commission(
    *, base: Decimal, share: Decimal, cap_per_contract: Decimal, broker_left: Decimal
) -> tuple[Decimal, Decimal, str]:
    """(computed, amount, arithmetic): base × share rounded to 0.01 万元 (half up), then the per-contract
    cap, then what is left of the broker's yearly cap. Decimal throughout."""
    computed = (base * share).quantize(CENT, rounding=ROUND_HALF_UP)
    steps = [f"{base} × {share.normalize():f} = {computed}"]
    amount = computed
    if amount > cap_per_contract:
        amount = cap_per_contract
        steps.append(f"单笔上限 {cap_per_contract}")
    left = max(broker_left, Decimal("0")).quantize(CENT)
    if amount > left:
        amount = left
        steps.append(f"本人年度上限剩余 {left}")
    steps.append(f"应付 {amount} 万元")
    return computed, amount, "；".join(steps)


def _commission_for(contract: Contract, *, actor) -> Commission | None:
    """At registration: a contract with a broker gets its commission computed under the year's rule."""
    if contract.broker_id is None or not contract.registration_no:
        return None
    year = contract.registered_on.year
    rule = CommissionRule.objects.select_for_update().filter(year=year).first()
    if rule is None:
        return None
    broker_left = rule.cap_per_broker_year - _committed(rule, broker=contract.broker)
    computed, amount, arithmetic = compute_commission(
        base=contract.tech_amount,
        share=rule.share,
        cap_per_contract=rule.cap_per_contract,
        broker_left=broker_left,
    )
    commission = Commission(
        contract=contract,
        broker=contract.broker,
        rule=rule,
        year=year,
        base=contract.tech_amount,
        computed=computed,
        amount=amount,
        arithmetic=arithmetic,
    )
    _save(commission, actor=actor, action="经纪人佣金计算")
    return commission


def _commission_step(
    commission: Commission, *, actor, to: str, expected: str, reason: str = ""
) -> Commission:
    commission = (
        Commission.objects.select_for_update(of=("self",))
        .select_related("rule", "contract")
        .get(pk=commission.pk)
    )
    if commission.state != expected:
        raise ValidationError(f"佣金当前为「{commission.get_state_display()}」，不能变为「{to}」")
    old = {"state": commission.state}
    commission.state = to
    commission.reason = reason.strip()[:300] or commission.reason
    return commission, old


@transaction.atomic
def commission_approve(*, actor, commission: Commission) -> Commission:
    """核定: locks the year's rule, so two approvals queue and the budget holds; one that would take
    the rule past its budget is refused, naming the rule, and nothing is written."""
    rule = CommissionRule.objects.select_for_update().get(pk=commission.rule_id)
    commission, old = _commission_step(
        commission, actor=actor, to=Commission.State.APPROVED, expected=Commission.State.COMPUTED
    )
    committed = _committed(rule)
    if committed + commission.amount > rule.budget:
        raise ValidationError(
            f"{rule}：核定本笔 {commission.amount} 万元后合计 {committed + commission.amount} 万元，"
            f"超过年度预算 {rule.budget} 万元（已核定和已拨付 {committed} 万元），未核定"
        )
    commission.approved_at = timezone.now()
    commission.save(update_fields=["state", "approved_at", "reason"])
    record_change(
        actor=actor, action="经纪人佣金核定", obj=commission, old=old, new={"state": commission.state}
    )
    return commission


@transaction.atomic
def commission_pay(*, actor, commission: Commission) -> Commission:
    commission, old = _commission_step(
        commission, actor=actor, to=Commission.State.PAID, expected=Commission.State.APPROVED
    )
    commission.paid_at = timezone.now()
    commission.save(update_fields=["state", "paid_at", "reason"])
    record_change(
        actor=actor, action="经纪人佣金拨付", obj=commission, old=old, new={"state": commission.state}
    )
    return commission


@transaction.atomic
def commission_reject(*, actor, commission: Commission, reason: str) -> Commission:
    if not reason.strip():
        raise ValidationError({"reason": "请说明不予核定的理由"})
    commission, old = _commission_step(
        commission,
        actor=actor,
        to=Commission.State.REJECTED,
        expected=Commission.State.COMPUTED,
        reason=reason,
    )
    commission.save(update_fields=["state", "reason"])
    record_change(
        actor=actor,
        action="经纪人佣金不予核定",
        obj=commission,
        old=old,
        new={"state": commission.state},
        reason=reason,
    )
    return commission


# ----- 挂牌 and 竞价 -----

EXTENSION = dt.timedelta(minutes=5)


def bid_hash(previous: str, enterprise_id: int, amount: Decimal, placed_at: dt.datetime) -> str:
    """SHA-256 over the previous bid's hash, the bidder, the amount (2 decimals) and the time (UTC ISO)."""
    moment = placed_at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    text = f"{previous}|{enterprise_id}|{Decimal(amount).quantize(CENT)}|{moment}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


GENESIS = "0" * 64


@transaction.atomic
def listing_create(*, actor, listing: Listing) -> Listing:
    achievement = listing.achievement
    if not achievement.active or achievement.valid_until < timezone.localdate():
        raise ValidationError({"achievement": f"成果「{achievement}」已不在库或已过有效期，不能挂牌"})
    if Listing.objects.filter(achievement=achievement, state=Listing.State.OPEN).exists():
        raise ValidationError({"achievement": f"成果「{achievement}」已在挂牌中"})
    if listing.mode == Listing.Mode.FIXED:
        listing.increment, listing.deposit = None, None
    listing.created_by = actor
    _save(listing, actor=actor, action="成果挂牌")
    return listing


@transaction.atomic
def deposit_record(*, actor, listing: Listing, enterprise, amount: Decimal) -> Deposit:
    """Staff record that a bidder's deposit has arrived."""
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    if listing.mode != Listing.Mode.AUCTION or listing.state != Listing.State.OPEN:
        raise ValidationError("只有挂牌中的拍卖需要登记保证金")
    if listing.seller_id == enterprise.pk:
        raise ValidationError("卖方不能参与竞价，无需缴纳保证金")
    if amount < listing.deposit:
        raise ValidationError({"amount": f"保证金 {amount} 万元少于规定的 {listing.deposit} 万元"})
    if Deposit.objects.filter(listing=listing, enterprise=enterprise).exists():
        raise ValidationError(f"{enterprise.name} 的保证金已登记")
    deposit = Deposit(listing=listing, enterprise=enterprise, amount=amount, recorded_by=actor)
    deposit.full_clean()
    deposit.save()
    record_change(
        actor=actor,
        action="竞买保证金登记",
        obj=listing,
        new={"enterprise": enterprise.pk, "amount": str(amount)},
    )
    return deposit


def minimum_bid(listing: Listing) -> Decimal:
    if listing.mode == Listing.Mode.FIXED:
        return listing.price
    if listing.current_price is None:
        return listing.price
    return listing.current_price + listing.increment


@transaction.atomic
def bid_place(*, actor, listing: Listing, enterprise, amount: Decimal, at: dt.datetime | None = None) -> Bid:
    """A bid (or, for 协议转让, the acceptance of the price). The listing row is locked, so two bids at
    the same moment are taken one after the other: the second must beat the first by the increment."""
    at = at or timezone.now()
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    amount = Decimal(amount)
    if listing.state != Listing.State.OPEN:
        raise ValidationError(f"挂牌「{listing}」{listing.get_state_display()}，不能出价")
    if at < listing.starts_at:
        raise ValidationError(
            f"竞价尚未开始（开始时间 {timezone.localtime(listing.starts_at):%Y-%m-%d %H:%M}）"
        )
    if at >= listing.ends_at:
        raise ValidationError(
            f"竞价已于 {timezone.localtime(listing.ends_at):%Y-%m-%d %H:%M:%S} 结束，不能出价"
        )
    if listing.seller_id is not None and listing.seller_id == enterprise.pk:
        raise ValidationError("卖方不能对自己挂牌的成果出价")
    if listing.mode == Listing.Mode.AUCTION:
        if not Deposit.objects.filter(
            listing=listing, enterprise=enterprise, state=Deposit.State.PAID
        ).exists():
            raise ValidationError(
                f"{enterprise.name} 未缴纳保证金 {listing.deposit} 万元，不能出价（由工作人员登记到账）"
            )
        least = minimum_bid(listing)
        if amount < least:
            if listing.current_price is None:
                raise ValidationError(f"出价 {amount} 万元低于起拍价 {listing.price} 万元")
            raise ValidationError(
                f"出价 {amount} 万元低于最低应价 {least} 万元（当前价 {listing.current_price} 万元"
                f" + 加价幅度 {listing.increment} 万元）"
            )
    elif amount != listing.price:
        raise ValidationError(f"协议转让按挂牌价 {listing.price} 万元成交，出价须等于挂牌价")
    last = listing.bids.order_by("-seq").first()
    previous = last.hash if last else GENESIS
    bid = Bid(
        listing=listing,
        seq=(last.seq + 1) if last else 1,
        enterprise=enterprise,
        amount=amount,
        placed_at=at,
        placed_by=actor,
        previous_hash=previous,
        hash=bid_hash(previous, enterprise.pk, amount, at),
    )
    bid.full_clean()
    bid.save()
    old = {"current_price": str(listing.current_price) if listing.current_price is not None else None}
    listing.current_price, listing.leader = amount, enterprise
    if listing.mode == Listing.Mode.AUCTION and listing.ends_at - at < EXTENSION:
        listing.ends_at = at + EXTENSION
    listing.save(update_fields=["current_price", "leader", "ends_at"])
    record_change(
        actor=actor,
        action="出价",
        obj=listing,
        old=old,
        new={
            "current_price": str(amount),
            "enterprise": enterprise.pk,
            "seq": bid.seq,
            "ends_at": str(listing.ends_at),
        },
    )
    if listing.mode == Listing.Mode.FIXED:  # the first acceptable offer buys
        listing_close(actor=actor, listing=listing, at=at, force=True)
    return bid


@transaction.atomic
def listing_close(*, actor, listing: Listing, at: dt.datetime | None = None, force: bool = False) -> Listing:
    """After the end: the highest bid wins and its sale becomes a 技术转让 contract; the other bidders'
    deposits are marked for refund (the winner's counts toward the price). No bid: 流拍."""
    at = at or timezone.now()
    listing = (
        Listing.objects.select_for_update(of=("self",))
        .select_related("achievement__institution")
        .get(pk=listing.pk)
    )
    if listing.state != Listing.State.OPEN:
        raise ValidationError(f"挂牌「{listing}」已结束（{listing.get_state_display()}）")
    if not force and at < listing.ends_at:
        raise ValidationError(f"竞价到 {timezone.localtime(listing.ends_at):%Y-%m-%d %H:%M:%S} 才结束")
    problems = bid_chain_problems(listing)
    if problems:
        raise ValidationError(f"出价记录校验未通过，不能成交：{problems[0]}")
    best = listing.bids.order_by("-amount", "seq").first()
    deposits = listing.deposits.filter(state=Deposit.State.PAID)
    if best is None:
        listing.state = Listing.State.UNSOLD
        deposits.update(state=Deposit.State.TO_REFUND)
    else:
        winner = best.enterprise
        contract = Contract(
            kind=Contract.Kind.TRANSFER,
            title=f"{listing.achievement.name}（{listing.mode}）",
            field=listing.achievement.field,
            amount=best.amount,
            tech_amount=best.amount,
            seller_name=listing.seller_name,
            seller_region=listing.seller_region,
            seller_institution=listing.achievement.institution,
            buyer_name=winner.name,
            buyer_region=settings.ZHUANXING_DISTRICT_NAME if winner.town_id else "",
            buyer_enterprise=winner,
            signed_on=timezone.localdate(at),
            recorded_by=actor,
        )
        contract.buyer_region = contract.buyer_region or settings.ZHUANXING_DISTRICT_NAME
        _save(contract, actor=actor, action="技术合同登记", reason=f"挂牌成交（第 {best.seq} 号出价）")
        listing.state, listing.contract = Listing.State.SOLD, contract
        deposits.filter(enterprise=winner).update(state=Deposit.State.APPLIED)
        deposits.exclude(enterprise=winner).update(state=Deposit.State.TO_REFUND)
    listing.closed_at = at
    listing.save(update_fields=["state", "contract", "closed_at"])
    record_change(
        actor=actor, action="挂牌结束", obj=listing, old={"state": "挂牌中"}, new={"state": listing.state}
    )
    return listing


@transaction.atomic
def deposit_refund(*, actor, deposit: Deposit) -> Deposit:
    deposit = Deposit.objects.select_for_update().get(pk=deposit.pk)
    if deposit.state != Deposit.State.TO_REFUND:
        raise ValidationError(f"保证金当前为「{deposit.get_state_display()}」，不能退还")
    deposit.state = Deposit.State.REFUNDED
    deposit.save(update_fields=["state"])
    record_change(
        actor=actor, action="保证金退还", obj=deposit.listing, new={"enterprise": deposit.enterprise_id}
    )
    return deposit


def bid_chain_problems(listing: Listing) -> list[str]:
    """Each break in the listing's bid log, in Chinese: a changed bid (its hash no longer matches its
    contents), a removed or reordered one (a bid's previous hash is not the bid before it)."""
    problems = []
    previous, expected_seq = GENESIS, 1
    for bid in Bid.objects.filter(listing=listing).order_by("seq"):
        if bid.seq != expected_seq:
            problems.append(f"第 {expected_seq} 号出价缺失")
        if bid.previous_hash != previous:
            problems.append(f"第 {bid.seq} 号出价的前一条哈希与上一条不符（记录被删除或改动）")
        if bid_hash(bid.previous_hash, bid.enterprise_id, bid.amount, bid.placed_at) != bid.hash:
            problems.append(f"第 {bid.seq} 号出价的内容与其哈希不符（出价被改动）")
        previous, expected_seq = bid.hash, bid.seq + 1
    return problems


# ----- 揭榜挂帅 -----


@transaction.atomic
def challenge_publish(
    *,
    actor,
    demand: Demand,
    prize: Decimal,
    closes_at: dt.datetime,
    panel: list[Expert],
    eligible_kinds: list[str] | None = None,
    eligible_region: str = "",
) -> Challenge:
    """Publish an open demand as a 揭榜挂帅 challenge with a prize, a closing time, eligibility and a panel."""
    demand = Demand.objects.select_for_update().get(pk=demand.pk)
    if demand.state != Demand.State.OPEN:
        raise ValidationError(f"需求「{demand.title}」不在征集中，不能发榜")
    if Challenge.objects.filter(demand=demand).exists():
        raise ValidationError(f"需求「{demand.title}」已发榜")
    if closes_at <= timezone.now():
        raise ValidationError({"closes_at": "截止时间须晚于现在"})
    if not panel:
        raise ValidationError({"panel": "请选择评审专家组"})
    challenge = Challenge(
        demand=demand,
        prize=prize,
        closes_at=closes_at,
        eligible_kinds=list(eligible_kinds or []),
        eligible_region=eligible_region.strip(),
        published_by=actor,
    )
    _save(challenge, actor=actor, action="揭榜挂帅发榜")
    challenge.panel.set(panel)
    return challenge


@transaction.atomic
def proposal_submit(
    *,
    actor,
    challenge: Challenge,
    institution: Institution,
    text: str,
    attachment=None,
    at: dt.datetime | None = None,
) -> Proposal:
    """A solver's proposal, before the closing time, once per institution; eligibility is checked."""
    at = at or timezone.now()
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if challenge.state != Challenge.State.OPEN or at >= challenge.closes_at:
        closes = timezone.localtime(challenge.closes_at)
        raise ValidationError(f"揭榜已于 {closes:%Y-%m-%d %H:%M} 截止，不再接收方案")
    problem = challenge.eligibility_problem(institution)
    if problem:
        raise ValidationError(problem)
    if Proposal.objects.filter(challenge=challenge, institution=institution).exists():
        raise ValidationError(f"「{institution}」已提交过方案")
    if not text.strip():
        raise ValidationError({"text": "请填写方案内容"})
    proposal = Proposal(
        challenge=challenge, institution=institution, submitted_by=actor, text=text.strip(), submitted_at=at
    )
    if attachment is not None:
        proposal.attachment = attachment
    _save(proposal, actor=actor, action="揭榜方案提交")
    return proposal


def conflict_reason(expert: Expert, proposal: Proposal) -> str:
    """Why ``expert`` may not score ``proposal``: their own institution, or a conflict they declared."""
    if expert.institution_id and expert.institution_id == proposal.institution_id:
        return f"{expert.name}就职于揭榜机构「{proposal.institution}」，须回避"
    declared = ProposalScore.objects.filter(proposal=proposal, expert=expert).exclude(conflict="").first()
    if declared is not None:
        return f"{expert.name}已声明利益冲突（{declared.conflict}），须回避"
    return ""


@transaction.atomic
def proposal_score(
    *,
    actor,
    proposal: Proposal,
    expert: Expert,
    score: int | None = None,
    comment: str = "",
    conflict: str = "",
) -> ProposalScore:
    """A panel member scores a proposal (0–100) during the review, or declares a conflict of interest
    (then recuses: the proposal is scored without them)."""
    challenge = Challenge.objects.select_for_update().get(pk=proposal.challenge_id)
    if challenge.state != Challenge.State.REVIEW:
        raise ValidationError(f"榜单当前为「{challenge.get_state_display()}」，评审在截止征集后进行")
    if not challenge.panel.filter(pk=expert.pk).exists():
        raise ValidationError(f"{expert.name}不是本榜的评审专家")
    existing = ProposalScore.objects.filter(proposal=proposal, expert=expert).first()
    if conflict.strip():
        if existing is not None and existing.score is not None:
            raise ValidationError("已评分的方案不能再声明冲突，请联系工作人员")
        entry = existing or ProposalScore(proposal=proposal, expert=expert)
        entry.conflict, entry.score = conflict.strip()[:200], None
        _save(entry, actor=actor, action="评审利益冲突声明")
        return entry
    reason = conflict_reason(expert, proposal)
    if reason:
        raise ValidationError(reason)
    if score is None or not 0 <= int(score) <= 100:
        raise ValidationError({"score": f"评分「{score}」应为 0 到 100 的整数"})
    old = {"score": existing.score} if existing is not None else None
    entry = existing or ProposalScore(proposal=proposal, expert=expert)
    entry.score, entry.comment, entry.scored_at = int(score), comment.strip()[:500], timezone.now()
    _save(entry, actor=actor, action="揭榜方案评分", old=old)
    return entry


def proposal_ranking(challenge: Challenge) -> list[dict]:
    """Proposals by average score (highest first; ties: earlier submission), with the counts."""
    rows = []
    for proposal in challenge.proposals.select_related("institution").prefetch_related("scores"):
        scores = [s.score for s in proposal.scores.all() if s.score is not None]
        rows.append(
            {
                "proposal": proposal,
                "average": (Decimal(sum(scores)) / len(scores)).quantize(CENT) if scores else None,
                "scored": len(scores),
                "recused": sum(1 for s in proposal.scores.all() if s.conflict),
            }
        )
    return sorted(
        rows, key=lambda r: (r["average"] is None, -(r["average"] or 0), r["proposal"].submitted_at)
    )


def challenge_review(*, actor, challenge: Challenge, at: dt.datetime | None = None) -> Challenge:
    """Close the call (after the closing time) and start the panel's review."""

    def prepare(record: Challenge) -> dict:
        now = at or timezone.now()
        if now < record.closes_at:
            raise ValidationError(f"揭榜到 {timezone.localtime(record.closes_at):%Y-%m-%d %H:%M} 才截止")
        if not record.proposals.exists():
            raise ValidationError("没有收到方案：请改为「无人揭榜」并说明")
        return {"proposals": record.proposals.count()}

    return workflow.apply_transition(CHALLENGE, challenge, "review", actor=actor, now=at, prepare=prepare)


def challenge_award(*, actor, challenge: Challenge, at: dt.datetime | None = None) -> Challenge:
    """Announce the winner (the best average score; every panel member must have scored or recused
    every proposal) and turn the prize into a 技术开发 contract between the enterprise and the winner."""

    def prepare(record: Challenge) -> dict:
        panel = list(record.panel.all())
        for proposal in record.proposals.select_related("institution"):
            for expert in panel:
                done = ProposalScore.objects.filter(proposal=proposal, expert=expert).exists()
                if not done and not conflict_reason(expert, proposal):
                    raise ValidationError(f"{expert.name}还没有评「{proposal.institution}」的方案")
        ranking = proposal_ranking(record)
        if not ranking or ranking[0]["average"] is None:
            raise ValidationError("没有可计分的方案")
        best = ranking[0]["proposal"]
        demand = record.demand
        contract = Contract(
            kind=Contract.Kind.DEVELOPMENT,
            title=f"揭榜挂帅：{demand.title}",
            field=demand.field,
            amount=record.prize,
            tech_amount=record.prize,
            seller_name=best.institution.name,
            seller_region=best.institution.region,
            seller_institution=best.institution,
            buyer_name=demand.enterprise.name,
            buyer_region=settings.ZHUANXING_DISTRICT_NAME,
            buyer_enterprise=demand.enterprise,
            signed_on=timezone.localdate(at),
            broker=demand.broker,
            recorded_by=actor,
        )
        _save(contract, actor=actor, action="技术合同登记", reason="揭榜挂帅奖励")
        record.winner, record.contract = best, contract
        return {
            "winner": best.institution.name,
            "average": str(ranking[0]["average"]),
            "contract": contract.pk,
        }

    return workflow.apply_transition(CHALLENGE, challenge, "award", actor=actor, now=at, prepare=prepare)


def challenge_fail(*, actor, challenge: Challenge, reason: str) -> Challenge:
    return workflow.apply_transition(CHALLENGE, challenge, "fail", actor=actor, reason=reason)
