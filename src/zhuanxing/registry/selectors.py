"""Reads of the registry."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import F, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from zhuanxing.registry.models import (
    AnnualData,
    AnnualDataChange,
    Enterprise,
    ImportBatch,
    IndustryCluster,
    LandParcel,
    Lease,
)


def cluster_filter(cluster: IndustryCluster) -> Q:
    """Enterprises whose industry code starts with one of the cluster's prefixes."""
    condition = Q(pk__in=[])
    for prefix in cluster.industry_prefixes:
        condition |= Q(industry__code__startswith=prefix)
    return condition


# the list's orders, by the ``sort`` query parameter; anything else is the default (by name)
ENTERPRISE_SORTS = {
    "name": ("name", "id"),
    "town": ("town__order", "town__name", "name", "id"),
    "industry": ("industry__code", "name", "id"),
    "-founded": (F("founded").desc(nulls_last=True), "name", "id"),
    "founded": (F("founded").asc(nulls_last=True), "name", "id"),
}


def enterprise_search(
    queryset: QuerySet,
    *,
    q: str = "",
    town: str = "",
    industry: str = "",
    cluster: str = "",
    scale: str = "",
    tag: str = "",
    status: str = "",
    sort: str = "name",
) -> QuerySet:
    """Filter an (already permission-limited) enterprise queryset the way the list page does."""
    q = q.strip()
    if q:
        code = q.upper()
        queryset = queryset.filter(Q(uscc=code) | Q(uscc__startswith=code) | Q(name__contains=q))
    if town:
        queryset = queryset.filter(town__code=town)
    if industry:
        queryset = queryset.filter(industry__code__startswith=industry)
    if cluster:
        found = IndustryCluster.objects.filter(code=cluster).first()
        queryset = queryset.filter(cluster_filter(found)) if found else queryset.none()
    if scale:
        queryset = queryset.filter(scale=scale)
    if tag:
        queryset = queryset.filter(tags__name=tag)
    if status:
        queryset = queryset.filter(status=status)
    order = ENTERPRISE_SORTS.get(sort, ENTERPRISE_SORTS["name"])
    return queryset.select_related("town", "industry").prefetch_related("tags").order_by(*order)


def enterprise_suggestions(queryset: QuerySet, typed: str, limit: int = 10) -> QuerySet:
    """Enterprises whose name contains, or whose credit code starts with, what was typed."""
    typed = typed.strip()
    if len(typed) < 2:  # one character matches half the registry
        return queryset.none()
    matching = Q(name__icontains=typed) | Q(uscc__istartswith=typed.upper())
    return queryset.filter(matching).select_related("town").order_by("name")[:limit]


def enterprise_export_rows(queryset: QuerySet):
    """The rows of the enterprise list's .xlsx export (the whole filtered list)."""
    for e in queryset.iterator(chunk_size=2000):
        tags = "、".join(t.name for t in e.tags.all())
        yield [
            e.name,
            e.uscc,
            e.town.name,
            e.industry_id,
            e.industry.name,
            e.scale,
            e.status,
            e.founded,
            tags,
        ]


def _year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def leases_in_year(year: int) -> QuerySet:
    """Leases that overlap the calendar year."""
    first, last = _year_bounds(year)
    return Lease.objects.filter(start__lte=last).filter(Q(end__isnull=True) | Q(end__gte=first))


def evaluated_land_mu(year: int, enterprise_ids: list[int] | None = None) -> dict[int, Decimal]:
    """Each enterprise's land for the evaluation of ``year``, in 亩: its own parcels,
    minus the area it let to others, plus the area it rented from others (leases
    counted for every year they overlap). Enterprises with no land are absent."""
    land: dict[int, Decimal] = defaultdict(Decimal)
    parcels = LandParcel.objects.all()
    leases = leases_in_year(year)
    if enterprise_ids is not None:
        parcels = parcels.filter(owner_id__in=enterprise_ids)
        leases = leases.filter(Q(parcel__owner_id__in=enterprise_ids) | Q(tenant_id__in=enterprise_ids))
    for owner_id, area in (
        parcels.values("owner_id").annotate(area=Sum("area_mu")).values_list("owner_id", "area")
    ):
        land[owner_id] += area
    for owner_id, tenant_id, area in leases.values_list("parcel__owner_id", "tenant_id", "area_mu"):
        land[owner_id] -= area
        land[tenant_id] += area
    if enterprise_ids is not None:
        wanted = set(enterprise_ids)
        return {k: v for k, v in land.items() if k in wanted}
    return dict(land)


def annual_rows_with_provenance(enterprise: Enterprise) -> list[dict]:
    """The enterprise's yearly figures, newest year first, each value with the batch it came from."""
    rows = list(AnnualData.objects.filter(enterprise=enterprise).order_by("-year"))
    batch_ids = {batch_id for row in rows for batch_id in row.sources.values()}
    batches = ImportBatch.objects.in_bulk(batch_ids)
    result = []
    for row in rows:
        values = []
        for name, (label, unit) in AnnualData.FIELDS.items():
            values.append(
                {
                    "field": name,
                    "label": _(label),
                    "unit": _(unit),
                    "value": getattr(row, name),
                    "batch": batches.get(row.sources.get(name)),
                }
            )
        result.append({"year": row.year, "record": row, "values": values})
    return result


def annual_table(rows: list[dict]) -> dict:
    """The same figures transposed for a page: one line per field, one cell per year."""
    lines = []
    for index, (name, (label, unit)) in enumerate(AnnualData.FIELDS.items()):
        lines.append(
            {
                "field": name,
                "label": _(label),
                "unit": _(unit),
                "cells": [row["values"][index] for row in rows],
            }
        )
    return {"years": [row["year"] for row in rows], "lines": lines}


def annual_history(enterprise: Enterprise, limit: int = 200) -> QuerySet:
    return (
        AnnualDataChange.objects.filter(annual_data__enterprise=enterprise)
        .select_related("annual_data", "batch", "batch__created_by")
        .order_by("-batch__created_at", "-id")[:limit]
    )


def enterprise_clusters(
    enterprise: Enterprise, clusters: list[IndustryCluster] | None = None
) -> list[IndustryCluster]:
    clusters = list(IndustryCluster.objects.all()) if clusters is None else clusters
    return [c for c in clusters if c.matches(enterprise.industry_id)]
