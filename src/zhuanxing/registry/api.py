"""Registry JSON API. Same access rules and services as the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import ClassVar

from ninja import Field, Query, Router, Schema, Status

from zhuanxing.api.pagination import PageMeta, paginate
from zhuanxing.api.params import PatchSchema
from zhuanxing.registry import access, selectors, services
from zhuanxing.registry.models import Enterprise, IndustryCluster, Town

router = Router(tags=["企业库 registry"])


class TownOut(Schema):
    code: str
    name: str
    kind: str


class ClusterOut(Schema):
    code: str
    name: str
    kind: str
    industry_prefixes: list[str]


class EnterpriseOut(Schema):
    uscc: str
    name: str
    town: str
    industry: str
    industry_name: str
    scale: str
    status: str
    founded: dt.date | None
    tags: list[str]


def enterprise_summary(enterprise: Enterprise) -> dict:
    return {
        "uscc": enterprise.uscc,
        "name": enterprise.name,
        "town": enterprise.town.name,
        "industry": enterprise.industry_id,
        "industry_name": enterprise.industry.name,
        "scale": enterprise.scale,
        "status": enterprise.status,
        "founded": enterprise.founded,
        "tags": [t.name for t in enterprise.tags.all()],
    }


class EnterprisePage(PageMeta):
    items: list[EnterpriseOut]


class EnterpriseFilters(Schema):
    q: str = ""
    town: str = ""
    industry: str = ""
    cluster: str = ""
    scale: str = ""
    tag: str = ""
    status: str = ""
    page: int = 1
    page_size: int = 50


class EnterpriseIn(Schema):
    uscc: str
    name: str
    town: str = Field(..., description="镇街代码或名称")
    industry: str = Field(..., description="GB/T 4754-2017 四位小类代码")
    scale: str = "规下"
    founded: dt.date | None = None
    status: str = "在营"
    tags: list[str] = []
    address: str = ""
    contact_name: str = ""
    contact_phone: str = ""


class EnterprisePatch(PatchSchema):
    nullable: ClassVar[frozenset[str]] = frozenset({"founded", "tags"})

    name: str | None = None
    town: str | None = None
    industry: str | None = None
    scale: str | None = None
    founded: dt.date | None = None
    status: str | None = None
    tags: list[str] | None = None
    address: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    reason: str = ""


class AnnualValueOut(Schema):
    field: str
    label: str
    unit: str
    value: Decimal | int | None
    source: str | None
    batch_id: int | None


class AnnualYearOut(Schema):
    year: int
    values: list[AnnualValueOut]


class EnterpriseDetailOut(EnterpriseOut):
    address: str
    land_mu_by_year: dict[int, Decimal]
    annual: list[AnnualYearOut]


@router.get("/towns", response=list[TownOut], summary="镇街/功能区列表")
def list_towns(request):
    access.access_enterprise_list(request.user)
    return Town.objects.all()


@router.get("/clusters", response=list[ClusterOut], summary="产业集群列表")
def list_clusters(request):
    access.access_enterprise_list(request.user)
    return IndustryCluster.objects.all()


@router.get("/enterprises", response=EnterprisePage, summary="企业列表（按权限过滤）")
def list_enterprises(request, filters: Query[EnterpriseFilters]):
    access.access_enterprise_list(request.user)
    data = filters.dict()
    page, page_size = data.pop("page"), data.pop("page_size")
    queryset = selectors.enterprise_search(access.enterprises_visible_to(request.user), **data)
    items, meta = paginate(queryset, page, page_size)
    return {**meta, "items": [enterprise_summary(e) for e in items]}


def _detail(enterprise: Enterprise) -> dict:
    annual = []
    years = []
    for row in selectors.annual_rows_with_provenance(enterprise):
        years.append(row["year"])
        annual.append(
            {
                "year": row["year"],
                "values": [
                    {
                        **{k: v[k] for k in ("field", "label", "unit", "value")},
                        "source": v["batch"].get_source_display() if v["batch"] else None,
                        "batch_id": v["batch"].pk if v["batch"] else None,
                    }
                    for v in row["values"]
                ],
            }
        )
    land = {
        year: selectors.evaluated_land_mu(year, [enterprise.pk]).get(enterprise.pk, Decimal(0))
        for year in years
    }
    return {
        **enterprise_summary(enterprise),
        "address": enterprise.address,
        "land_mu_by_year": land,
        "annual": annual,
    }


@router.get("/enterprises/{uscc}", response=EnterpriseDetailOut, summary="企业详情与年度数据（含数据来源）")
def get_enterprise(request, uscc: str):
    return _detail(access.access_enterprise_for_user(request.user, uscc))


@router.post("/enterprises", response={201: EnterpriseDetailOut}, summary="新增企业（工作人员）")
def create_enterprise(request, payload: EnterpriseIn):
    access.access_enterprise_edit(request.user)
    enterprise = services.enterprise_create(actor=request.user, **payload.dict())
    return Status(201, _detail(enterprise))


@router.patch("/enterprises/{uscc}", response=EnterpriseDetailOut, summary="修改企业信息（工作人员，留痕）")
def update_enterprise(request, uscc: str, payload: EnterprisePatch):
    access.access_enterprise_edit(request.user)
    enterprise = access.access_enterprise_for_user(request.user, uscc)
    changes = payload.dict(exclude_unset=True)
    reason = changes.pop("reason", "")
    tags = changes.pop("tags", None)
    enterprise = services.enterprise_update(
        actor=request.user, enterprise=enterprise, reason=reason, tags=tags, **changes
    )
    return _detail(enterprise)
