"""政策兑现 JSON API: policies, the calculator, applications. Same access rules and services as the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from ninja import Query, Router, Schema, Status

from zhuanxing.api.pagination import PageMeta, paginate
from zhuanxing.programs import access, adapters, describe, selectors, services
from zhuanxing.programs.models import Application, Policy
from zhuanxing.registry.access import enterprises_visible_to

router = Router(tags=["政策兑现 programs"])


class PolicyOut(Schema):
    id: int
    code: str
    name: str
    doc_number: str
    department: str
    year: int | None
    opens_on: dt.date | None
    closes_on: dt.date | None
    budget: Decimal | None
    published: bool


class FieldOut(Schema):
    id: str
    label: str
    type: str
    unit: str | None
    required: bool


class ClauseOut(Schema):
    id: str
    label: str
    description: str
    automatic: bool
    eligible: str
    fields: list[FieldOut]
    award: list[str]
    vetoes: list[str]
    limits: list[str]


class PolicyDetailOut(PolicyOut):
    clauses: list[ClauseOut]


class CalculateIn(Schema):
    clause: str
    fields: dict[str, str] = {}
    uscc: str = ""


class CalculationOut(Schema):
    computed: Decimal
    reasons: list[str]
    explanation: list[str]
    facts: dict


class ApplicationOut(Schema):
    id: int
    number: str
    policy_id: int
    policy: str
    clause: str
    clause_label: str
    uscc: str
    enterprise: str
    year: int
    channel: str
    state: str
    state_label: str
    project_code: str
    project_name: str
    fields: dict
    computed: Decimal | None
    computed_reasons: str
    explanation: list[str]
    approved: Decimal | None
    approved_reasons: str
    paid: Decimal
    deadline: dt.date | None
    notice_from: dt.date | None
    notice_until: dt.date | None
    submitted_at: dt.datetime | None


class ApplicationPage(PageMeta):
    items: list[ApplicationOut]


class ApplicationFilters(Schema):
    state: str = ""
    policy: str = ""
    channel: str = ""
    q: str = ""
    page: int = 1
    page_size: int = 50


class ApplicationIn(Schema):
    policy_id: int
    clause: str
    fields: dict[str, str] = {}
    project_code: str = ""
    project_name: str = ""
    bank_account_name: str = ""
    bank_name: str = ""
    bank_account: str = ""
    uscc: str = ""  # staff entering a paper application name the enterprise


def _policy(policy: Policy) -> dict:
    names = (
        "id",
        "code",
        "name",
        "doc_number",
        "department",
        "year",
        "opens_on",
        "closes_on",
        "budget",
        "published",
    )
    return {name: getattr(policy, name) for name in names}


def _application(application: Application) -> dict:
    names = (
        "id",
        "number",
        "policy_id",
        "clause_label",
        "year",
        "channel",
        "state",
        "project_code",
        "project_name",
    )
    names += ("fields", "computed", "computed_reasons", "explanation", "approved", "approved_reasons", "paid")
    names += ("deadline", "notice_from", "notice_until", "submitted_at")
    return {name: getattr(application, name) for name in names} | {
        "policy": application.policy.name,
        "clause": application.clause_id,
        "uscc": application.enterprise.uscc,
        "enterprise": application.enterprise.name,
        "state_label": application.get_state_display(),
    }


@router.get("/policies", response=list[PolicyOut], summary="政策列表（企业只见已发布的）")
def program_policies(request):
    return [_policy(p) for p in access.policies_visible_to(request.user).order_by("-year", "code")]


@router.get(
    "/policies/{policy_id}", response=PolicyDetailOut, summary="政策详情：各条款的条件、填报项和计算方法"
)
def program_policy(request, policy_id: int):
    policy = access.access_policy(request.user, policy_id)
    rules = adapters.rules_of(policy)
    clauses = []
    for text, clause in zip(describe.describe_policy(rules), rules.clauses, strict=True):
        fields = [
            {
                "id": f.id,
                "label": f.label,
                "type": f.type,
                "unit": f.unit,
                "required": f in clause.required_fields,
            }
            for f in clause.fields
        ]
        clauses.append(
            {
                "id": text.id,
                "label": text.label,
                "description": text.description,
                "automatic": text.automatic,
                "eligible": text.eligible,
                "fields": fields,
                "award": list(text.award),
                "vetoes": list(text.vetoes),
                "limits": list(text.limits),
            }
        )
    return _policy(policy) | {"clauses": clauses}


@router.post(
    "/policies/{policy_id}/calculate", response=CalculationOut, summary="政策计算器：可得金额及计算过程"
)
def program_calculate(request, policy_id: int, payload: CalculateIn):
    policy = access.access_policy(request.user, policy_id)
    enterprise = access.calculator_enterprise(request.user, payload.uscc)
    if enterprise is None:
        raise ValidationError({"uscc": "请填写企业统一社会信用代码"})
    facts, assessment = selectors.calculate(policy, payload.clause, enterprise, payload.fields)
    return {
        "computed": assessment.computed,
        "reasons": list(assessment.reasons),
        "explanation": list(assessment.explanation),
        "facts": adapters.snapshot(facts),
    }


@router.get("/applications", response=ApplicationPage, summary="申报列表（按权限过滤）")
def program_applications(request, filters: Query[ApplicationFilters]):
    access.access_application_list(request.user)
    data = filters.dict()
    page, page_size = data.pop("page"), data.pop("page_size")
    queryset = selectors.application_search(access.applications_visible_to(request.user), **data)
    items, meta = paginate(queryset, page, page_size)
    return {**meta, "items": [_application(a) for a in items]}


@router.get("/applications/{application_id}", response=ApplicationOut, summary="申报详情")
def program_application(request, application_id: int):
    return _application(access.access_application(request.user, application_id))


@router.post("/applications", response={201: ApplicationOut}, summary="新建申报草稿（返回计算额与计算过程）")
def program_application_create(request, payload: ApplicationIn):
    access.access_apply(request.user)
    policy = access.access_policy(request.user, payload.policy_id)
    data = payload.dict()
    uscc = data.pop("uscc").strip().upper()
    enterprise = request.user.enterprise
    if access.can_manage(request.user):
        enterprise = enterprises_visible_to(request.user).filter(uscc=uscc).first()
        if enterprise is None:
            raise ValidationError({"uscc": "请填写企业库中的统一社会信用代码"})
    del data["policy_id"]
    application = services.application_create(
        actor=request.user, policy=policy, enterprise=enterprise, clause_id=data.pop("clause"), **data
    )
    return Status(201, _application(application))


@router.post("/applications/{application_id}/submit", response=ApplicationOut, summary="提交申报")
def program_application_submit(request, application_id: int):
    application = access.access_application(request.user, application_id)
    return _application(services.application_submit(actor=request.user, application=application))
