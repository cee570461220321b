"""Evaluation JSON API: runs, results and report cards, with the pages' access rules."""

from __future__ import annotations

import datetime as dt

from ninja import Query, Router, Schema

from zhuanxing.api.pagination import PageMeta, paginate
from zhuanxing.evaluation import access, selectors

router = Router(tags=["亩均评价 evaluation"])


class RunOut(Schema):
    id: int
    year: int
    version: int
    scheme_id: str
    scheme_name: str
    state: str
    publish_until: dt.date | None
    evaluated: int
    classes: dict


class ResultOut(Schema):
    id: int
    uscc: str
    name: str
    group: str
    total: float | None
    rank: int | None
    percentile: float | None
    initial_class: str
    computed_class: str
    final_class: str
    exempt: bool
    reasons: str
    indicators: dict


class ResultPage(PageMeta):
    items: list[ResultOut]


class ResultFilters(Schema):
    town: str = ""
    industry: str = ""
    cluster: str = ""
    klass: str = ""
    group: str = ""
    q: str = ""
    sort: str = "rank"
    page: int = 1
    page_size: int = 50


def _run(run) -> dict:
    return {
        "id": run.pk,
        "year": run.year,
        "version": run.version,
        "scheme_id": run.scheme_id,
        "scheme_name": run.scheme_name,
        "state": run.state,
        "publish_until": run.publish_until,
        "evaluated": run.summary.get("evaluated", 0),
        "classes": run.summary.get("classes", {}),
    }


def _result(result) -> dict:
    return {
        "id": result.pk,
        "uscc": result.enterprise.uscc,
        "name": result.enterprise.name,
        "group": result.group,
        "total": result.total,
        "rank": result.rank,
        "percentile": result.percentile,
        "initial_class": result.initial_class,
        "computed_class": result.computed_class,
        "final_class": result.final_class,
        "exempt": result.exempt,
        "reasons": result.reasons,
        "indicators": result.indicators,
    }


@router.get("/runs", response=list[RunOut], summary="评价批次（工作人员含草稿；镇街仅公示和定档）")
def list_runs(request):
    return [_run(run) for run in access.runs_visible_to(request.user)]


@router.get("/runs/{run_id}/results", response=ResultPage, summary="某次评价的结果（按权限过滤）")
def list_results(request, run_id: int, filters: Query[ResultFilters]):
    run = access.access_run(request.user, run_id)
    data = filters.dict()
    page, page_size = data.pop("page"), data.pop("page_size")
    results = selectors.result_search(access.results_visible_to(request.user, run), **data)
    items, meta = paginate(results, page, page_size)
    return {**meta, "items": [_result(r) for r in items]}


@router.get(
    "/results/{result_id}", response=ResultOut, summary="一家企业的评价结果（企业只能看本企业已公示的结果）"
)
def get_result(request, result_id: int):
    return _result(access.access_result(request.user, result_id))
