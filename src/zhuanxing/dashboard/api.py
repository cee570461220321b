"""Dashboard JSON API.

``GET /api/cockpit?year=YYYY[&town=ID]``: ``{"year": int, "figures": [{"code", "label", "unit",
"value", "previous", "link", "parts", "source"}]}``; a year without records gives every value ``null``.
"""

from __future__ import annotations

from django.http import Http404
from ninja import Router, Schema

from zhuanxing.api.params import Id, Year
from zhuanxing.dashboard import access
from zhuanxing.dashboard.dossier import dossier
from zhuanxing.dashboard.figures import compute_figures
from zhuanxing.dashboard.selectors import default_year
from zhuanxing.registry.models import Town

router = Router(tags=["驾驶舱 dashboard"])


class Part(Schema):
    label: str
    value: float | None


class FigureOut(Schema):
    code: str
    label: str
    unit: str
    value: float | None
    previous: float | None
    link: str
    parts: list[Part]
    source: str


class CockpitOut(Schema):
    year: int
    figures: list[FigureOut]


@router.get(
    "/cockpit",
    response=CockpitOut,
    url_name="dashboard_cockpit",
    summary="驾驶舱：某年度（可按镇街）的全部指标；无记录的指标为 null",
)
def cockpit(request, year: Year | None = None, town: Id | None = None):
    access.access_cockpit(request.user)
    if year is None:
        year = default_year()
    place = None
    if town is not None:
        place = Town.objects.filter(pk=town).first()
        if place is None:
            raise Http404("没有这个镇街")
    return {"year": year, "figures": [figure.as_dict() for figure in compute_figures(year, place)]}


@router.get(
    "/enterprises/{enterprise_id}/dossier",
    url_name="dashboard_dossier",
    summary="一企一档：企业的登记、用地、年度数据、评价、认定、申报、科技对接、四换记录和预警",
)
def enterprise_dossier(request, enterprise_id: int):
    enterprise = access.access_dossier(request.user, enterprise_id)
    return dossier(enterprise)
