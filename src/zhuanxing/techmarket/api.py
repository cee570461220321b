"""Technology market JSON API: demands with recommendations and reasons, search, invitations, contracts
and statistics, through the same access rules and services as the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Field, Router, Schema

from zhuanxing.api.pagination import PageMeta, paginate
from zhuanxing.api.params import Year
from zhuanxing.registry.models import Enterprise
from zhuanxing.techmarket import access, selectors, services
from zhuanxing.techmarket.models import Achievement, Contract, Expert, Institution, Match

router = Router(tags=["科技大市场 techmarket"])


class DemandIn(Schema):
    title: str = Field(max_length=100)
    problem: str
    field: str
    indicators: str = ""
    current_state: str = ""
    budget_min: Decimal | None = None
    budget_max: Decimal | None = None
    cooperation: str = "不限"
    deadline: dt.date | None = None
    confidentiality: str = "公开"
    valid_until: dt.date | None = None
    enterprise_id: int | None = Field(None, description="工作人员代企业发布时填写")


class MatchOut(Schema):
    id: int
    candidate: str
    kind: str
    name: str
    stage: str
    rank: int | None
    score: float
    reason: str
    explanation: dict
    decline_reason: str
    recommended_at: dt.datetime
    invited_at: dt.datetime | None
    answered_at: dt.datetime | None
    negotiating_at: dt.datetime | None
    closed_at: dt.datetime | None


class DemandOut(Schema):
    id: int
    title: str
    enterprise: str
    field: str
    confidentiality: str
    state: str
    valid_until: dt.date
    created_at: dt.datetime
    problem: str | None = Field(None, description="摘要公开的需求仅对受邀方和发布方返回详细内容")
    indicators: str | None = None
    current_state: str | None = None
    matches: list[MatchOut] = []


class DemandPage(PageMeta):
    items: list[DemandOut]


class DeclineIn(Schema):
    reason: str = Field(description="不在我的领域、预算不足、时间不合适、信息不足、已有合作方、其他")
    note: str = ""


class InviteIn(Schema):
    kind: str = Field(description="expert、achievement 或 institution")
    id: int
    origin: str = Field("档案页", description="档案页、搜索结果 或 我能解决")
    note: str = ""


class OfferIn(Schema):
    note: str = Field(description="我能解决：简要说明（不超过 300 字）")


class OfferOut(Schema):
    id: int
    demand_id: int
    expert_id: int
    note: str
    created_at: dt.datetime


class RegistrationIn(Schema):
    registration_no: str
    registered_office: str
    registered_on: dt.date


class SearchOut(Schema):
    kind: str
    id: int
    name: str
    reason: str


class ContractIn(Schema):
    kind: str
    title: str
    field: str
    amount: Decimal
    tech_amount: Decimal
    seller_name: str
    seller_region: str
    buyer_name: str
    buyer_region: str
    signed_on: dt.date
    registration_no: str = ""
    registered_office: str = Field("", description="登记机构；填写登记编号而留空时为本区登记点")
    registered_on: dt.date | None = Field(None, description="登记日期；填写登记编号而留空时为今天")
    match_id: int | None = None


class ContractOut(Schema):
    id: int
    kind: str
    title: str
    field: str
    amount: Decimal
    tech_amount: Decimal
    seller_name: str
    buyer_name: str
    flow: str
    signed_on: dt.date
    registration_no: str
    registered_office: str
    registered_on: dt.date | None
    match_id: int | None
    event_id: int | None


def _match(match: Match) -> dict:
    return {
        "id": match.pk,
        "candidate": match.candidate,
        "kind": match.candidate_kind,
        "name": str(match.target),
        **{
            name: getattr(match, name)
            for name in MatchOut.model_fields
            if name not in ("id", "candidate", "kind", "name")
        },
    }


def _demand(request, demand, *, with_matches: bool = False) -> dict:
    full = access.can_read_full(request.user, demand) if with_matches else False
    data = {
        "id": demand.pk,
        "title": demand.title,
        "enterprise": demand.enterprise.name,
        "field": demand.field,
        "confidentiality": demand.confidentiality,
        "state": demand.state,
        "valid_until": demand.valid_until,
        "created_at": demand.created_at,
    }
    if full:
        data |= {
            "problem": demand.problem,
            "indicators": demand.indicators,
            "current_state": demand.current_state,
        }
    if with_matches:
        matches = selectors.demand_matches(access.matches_visible_to(request.user, demand))
        data["matches"] = [_match(m) for m in matches]
    return data


@router.get("/demands", response=DemandPage, summary="技术需求（按权限：公开、本企业、受邀）")
def techmarket_demands(
    request, q: str = "", field: str = "", state: str = "", page: int = 1, page_size: int = 50
):
    demands = selectors.demand_list(
        access.demands_visible_to(request.user), q=q[:100], field=field, state=state
    )
    items, meta = paginate(demands, page, page_size)
    return {**meta, "items": [_demand(request, d) for d in items]}


@router.post("/demands", response={201: DemandOut}, summary="发布技术需求（返回推荐候选及理由）")
def techmarket_demand_create(request, payload: DemandIn):
    enterprise_id = access.access_post_demand(request.user)
    data = payload.dict()
    behalf = data.pop("enterprise_id")
    if enterprise_id is None:
        enterprise_id = behalf
    enterprise = Enterprise.objects.filter(pk=enterprise_id).first()
    if enterprise is None:
        raise ValidationError({"enterprise_id": "请填写企业编号"})
    values = {k: v for k, v in data.items() if v is not None}
    demand = services.demand_create(actor=request.user, enterprise=enterprise, values=values)
    return 201, _demand(request, demand, with_matches=True)


@router.get(
    "/demands/{demand_id}",
    response=DemandOut,
    summary="需求详情及推荐（发布方和工作人员看全部，受邀方看自己的）",
)
def techmarket_demand(request, demand_id: int):
    return _demand(request, access.access_demand(request.user, demand_id), with_matches=True)


@router.get("/search", response=list[SearchOut], summary="跨类型搜索：专家、成果、机构、需求")
def techmarket_search(request, q: str = "", kind: str = "", field: str = ""):
    access.access_browse(request.user)
    if kind and kind not in selectors.SEARCH_KINDS:
        allowed = "、".join(selectors.SEARCH_KINDS)
        raise ValidationError({"kind": f"未知的类型 {kind[:20]}（可选：{allowed}）"})
    return [
        {
            "kind": r["kind"],
            "id": r["row"].pk,
            "name": str(r["row"]),
            "reason": r["match"].reason if r["match"] else "",
        }
        for r in selectors.search(q=q[:200], kind=kind, field=field)
    ]


@router.get("/invitations", response=list[MatchOut], summary="我收到的邀请（专家、机构联系人）")
def techmarket_invitations(request):
    return [
        _match(m) for m in selectors.invitations_for(Match.objects.filter(access.answered_by(request.user)))
    ]


@router.post("/matches/{match_id}/invite", response=MatchOut, summary="邀请候选（发布企业或工作人员）")
def techmarket_invite(request, match_id: int):
    match = access.access_match(request.user, match_id)
    access.access_invite(request.user, match)
    return _match(services.match_invite(actor=request.user, match=match))


@router.post("/matches/{match_id}/accept", response=MatchOut, summary="接受邀请")
def techmarket_accept(request, match_id: int):
    match = access.access_match(request.user, match_id)
    access.access_answer(request.user, match)
    return _match(services.match_answer(actor=request.user, match=match, accept=True))


@router.post("/matches/{match_id}/decline", response=MatchOut, summary="婉拒邀请（须选择原因）")
def techmarket_decline(request, match_id: int, payload: DeclineIn):
    match = access.access_match(request.user, match_id)
    access.access_answer(request.user, match)
    return _match(
        services.match_answer(
            actor=request.user, match=match, accept=False, reason=payload.reason, note=payload.note
        )
    )


@router.post(
    "/demands/{demand_id}/invite",
    response={201: MatchOut},
    summary="从档案页或搜索结果直接邀请任一专家、成果或机构（发布企业或工作人员）",
)
def techmarket_invite_direct(request, demand_id: int, payload: InviteIn):
    demand = access.access_invite_direct(request.user, demand_id)
    models = {
        "expert": (Expert, "专家"),
        "achievement": (Achievement, "成果"),
        "institution": (Institution, "机构"),
    }
    if payload.kind not in models:
        raise ValidationError(
            {"kind": f"候选类型「{payload.kind}」无法识别，应为 expert、achievement 或 institution"}
        )
    model, label = models[payload.kind]
    target = model.objects.filter(pk=payload.id).first()
    if target is None:
        raise ValidationError({"id": f"没有编号为 {payload.id} 的{label}"})
    match = services.invite_direct(
        actor=request.user, demand=demand, target=target, origin=payload.origin, note=payload.note
    )
    return 201, _match(match)


@router.post("/demands/{demand_id}/offer", response={201: OfferOut}, summary="专家表示「我能解决」")
def techmarket_offer(request, demand_id: int, payload: OfferIn):
    demand = access.access_demand(request.user, demand_id)
    expert = access.access_offer(request.user, demand)
    offer = services.offer_solution(actor=request.user, demand=demand, expert=expert, note=payload.note)
    return 201, {name: getattr(offer, name) for name in OfferOut.model_fields}


def _contract(contract: Contract) -> dict:
    return {name: getattr(contract, name) for name in ContractOut.model_fields}


@router.get("/contracts", response=list[ContractOut], summary="技术合同（政府人员全部；企业为本企业买入的）")
def techmarket_contracts(request, year: Year | None = None):
    contracts = access.contracts_visible_to(request.user)
    if year:
        contracts = contracts.filter(signed_on__year=year)
    return [_contract(c) for c in contracts]


@router.post("/contracts", response={201: ContractOut}, summary="登记技术合同（工作人员）")
def techmarket_contract_create(request, payload: ContractIn):
    access.access_manage(request.user)
    data = payload.dict()
    match_id = data.pop("match_id")
    match = access.access_match(request.user, match_id) if match_id else None
    if match is not None:
        data["buyer_enterprise"] = match.demand.enterprise
    contract = services.contract_record(actor=request.user, contract=Contract(**data), match=match)
    return 201, _contract(contract)


@router.post(
    "/contracts/{contract_id}/register", response=ContractOut, summary="技术合同认定登记（工作人员）"
)
def techmarket_contract_register(request, contract_id: int, payload: RegistrationIn):
    access.access_manage(request.user)
    contract = access.access_contract(request.user, contract_id)
    contract = services.contract_register(
        actor=request.user,
        contract=contract,
        registration_no=payload.registration_no,
        office=payload.registered_office,
        registered_on=payload.registered_on,
    )
    return _contract(contract)


@router.get("/registrations", summary="认定登记统计：按类型、按输出/吸纳、逐年（政府人员）")
def techmarket_registrations(request, year: int | None = None, field: str = ""):
    access.access_statistics(request.user)
    return selectors.registration_statistics(year or timezone.localdate().year, field=field)


@router.get("/statistics", summary="年度统计：需求、匹配、合同、活动、转化漏斗")
def techmarket_statistics(request, year: Year | None = None, field: str = ""):
    access.access_statistics(request.user)
    figures = selectors.statistics_for(year or timezone.localdate().year, field=field)
    figures["events"] = [
        {
            **{k: v for k, v in e.items() if k != "event"},
            "name": e["event"].name,
            "held_on": e["event"].held_on,
        }
        for e in figures["events"]
    ]
    return figures
