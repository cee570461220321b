"""Campaigns JSON API. Same access rules, parsing and services as the pages.

``GET /api/campaigns/summary?year=YYYY`` is what the district cockpit reads: every count and
total of the reply's sections 一, 二 and 五 for that year.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from ninja import Router, Schema, Status

from zhuanxing.api.pagination import PageMeta, paginate
from zhuanxing.api.params import Year
from zhuanxing.campaigns import access, selectors
from zhuanxing.campaigns.forms import save_input
from zhuanxing.campaigns.records import RecordSpec, spec_for

router = Router(tags=["认定、人才与四换 campaigns"])


class LevelCount(Schema):
    level: str
    tier: str
    count: int


class KindCount(Schema):
    kind: str
    code: str
    counts_as_rd_institution: bool
    total: int
    levels: list[LevelCount]


class Share(Schema):
    holders: int
    above_scale: int
    percent: float | None


class RecognitionSummary(Schema):
    total: int
    rd_institutions: int
    by_kind: list[KindCount]
    rd_institution_share: Share


class PlanCount(Schema):
    plan: str
    code: str
    individuals: int
    teams: int
    total: int
    selected_in_year: int


class TrainingCount(Schema):
    classes: int
    trainees: int
    completed: int


class AgreementCount(Schema):
    agreements: int
    students: int


class TalentSummary(Schema):
    plans: list[PlanCount]
    training: TrainingCount
    school_agreements: AgreementCount


class FigureOut(Schema):
    code: str
    label: str
    unit: str
    group: str
    year: float
    cumulative: float | None


class TargetOut(Schema):
    id: int
    figure: str
    label: str
    unit: str
    setter: str
    town: str | None
    target: float
    actual: float
    completion_percent: float | None


class SummaryOut(Schema):
    year: int
    recognitions: RecognitionSummary
    talent: TalentSummary
    campaigns: list[FigureOut]
    targets: list[TargetOut]


class RecordOut(Schema):
    id: int
    text: str
    values: dict[str, str]


class RecordPage(PageMeta):
    items: list[RecordOut]


Cell = str | int | float | None


class RecordIn(Schema):
    values: dict[str, Cell]


class RecordPatch(Schema):
    values: dict[str, Cell]
    reason: str = ""


class PromotionOut(Schema):
    id: int
    recognition_id: int
    enterprise_uscc: str
    enterprise: str
    kind: str
    previous_level: str | None
    new_level: str
    year: int
    policy_id: str
    clause_id: str
    state: str


def _record(spec: RecordSpec, record) -> dict:
    return {"id": record.pk, "text": str(record), "values": spec.cells(record)}


@router.get("/summary", response=SummaryOut, summary="年度汇总：认定、人才、四换及目标完成率（工作人员）")
def campaign_summary(request, year: Year | None = None):
    access.access_summary(request.user)
    if year is None:
        year = next(iter(selectors.record_years()), dt.date.today().year)
    if not 1990 <= year <= 2100:
        raise ValidationError({"year": f"年度应在1990–2100之间：{year}"})
    return selectors.campaign_summary(year)


@router.get("/promotions", response=list[PromotionOut], summary="待转免申即享的级别晋升（工作人员）")
def list_level_promotions(request):
    access.access_promotions(request.user)
    return [
        {
            "id": p.pk,
            "recognition_id": p.recognition_id,
            "enterprise_uscc": p.enterprise.uscc,
            "enterprise": p.enterprise.name,
            "kind": p.kind.name,
            "previous_level": p.previous_level.name if p.previous_level else None,
            "new_level": p.new_level.name,
            "year": p.year,
            "policy_id": p.policy_id,
            "clause_id": p.clause_id,
            "state": p.state,
        }
        for p in selectors.pending_promotions()
    ]


@router.get("/records/{kind}", response=RecordPage, summary="某类台账记录（按权限过滤）")
def list_campaign_records(request, kind: str, year: Year | None = None, page: int = 1, page_size: int = 50):
    spec = spec_for(kind)
    access.access_list(request.user, spec)
    records = access.records_visible_to(request.user, spec).select_related(*spec.related())
    if year is not None and "year" in spec.fields:
        records = records.filter(year=year)
    items, meta = paginate(records, page, page_size)
    return {**meta, "items": [_record(spec, r) for r in items]}


@router.post("/records/{kind}", response={201: RecordOut}, summary="登记一条记录（字段与导入模板相同）")
def create_campaign_record(request, kind: str, payload: RecordIn):
    spec = spec_for(kind)
    access.access_create(request.user, spec)
    record = save_input(user=request.user, spec=spec, cells=payload.values)
    return Status(201, _record(spec, record))


@router.get("/records/{kind}/{record_id}", response=RecordOut, summary="一条记录")
def get_campaign_record(request, kind: str, record_id: int):
    spec = spec_for(kind)
    return _record(spec, access.access_record(request.user, spec, record_id))


@router.patch(
    "/records/{kind}/{record_id}", response=RecordOut, summary="修改一条记录（只改给出的字段，留痕）"
)
def update_campaign_record(request, kind: str, record_id: int, payload: RecordPatch):
    spec = spec_for(kind)
    record = access.access_record_edit(request.user, spec, record_id)
    record = save_input(
        user=request.user, spec=spec, cells=payload.values, record=record, reason=payload.reason, partial=True
    )
    return _record(spec, record)
