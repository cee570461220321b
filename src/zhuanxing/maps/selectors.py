"""Reads for the map: parcels of a view with their holder's class and 亩均 figures, towns
and their totals. Every query is bounded (bbox on indexed floats, owners in one go)."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404

from zhuanxing.evaluation.models import EvaluationResult, EvaluationRun
from zhuanxing.maps.models import TownBoundary
from zhuanxing.registry.models import AnnualData, Enterprise, IndustryCluster, LandParcel, Town
from zhuanxing.registry.selectors import cluster_filter, evaluated_land_mu, leases_in_year

LOW_CLASSES = ("C", "D")
# below this zoom the page asks for points (centroids) instead of shapes
SHAPES_FROM_ZOOM = 14
SIMPLE_BELOW_ZOOM = 16


def map_run(year: int, run_id: int | None = None) -> EvaluationRun | None:
    """The run whose classes the map shows: the one asked for (it must be of the year and
    published or final), else the year's latest published or final run, else None."""
    shown = EvaluationRun.objects.filter(
        year=year, state__in=[EvaluationRun.State.PUBLISHED, EvaluationRun.State.FINAL]
    )
    if run_id is not None:
        run = shown.filter(pk=run_id).first()
        if run is None:
            raise Http404(f"没有 {year} 年度编号为 {run_id} 的已公示或已定档评价批次")
        return run
    return shown.order_by("-version", "-id").first()


def known_year(year: int) -> bool:
    return AnnualData.objects.filter(year=year).exists() or EvaluationRun.objects.filter(year=year).exists()


def require_year(year: int) -> None:
    if not known_year(year):
        years = map_years()
        hint = f"；可选年度：{'、'.join(str(y) for y in years)}" if years else ""
        raise Http404(f"没有 {year} 年度的数据{hint}")


def default_year() -> int:
    """The latest year with data (this year's calendar year when there is none)."""
    years = map_years()
    return years[0] if years else dt.date.today().year - 1


def map_years() -> list[int]:
    years = set(AnnualData.objects.values_list("year", flat=True).distinct())
    years |= set(EvaluationRun.objects.values_list("year", flat=True).distinct())
    return sorted(years, reverse=True)


@dataclass(frozen=True)
class View:
    year: int
    town_ids: list[int] | None = None  # None = all towns
    bbox: tuple[float, float, float, float] | None = None  # min lon, min lat, max lon, max lat
    cluster: IndustryCluster | None = None
    classes: tuple[str, ...] = ()
    run_id: int | None = None


def drawn_parcels(view: View) -> QuerySet:
    parcels = LandParcel.objects.exclude(geometry="").annotate(
        shown_town_id=Coalesce(F("town_id"), F("owner__town_id"))
    )
    if view.town_ids is not None:
        parcels = parcels.filter(shown_town_id__in=view.town_ids)
    if view.bbox is not None:
        min_lon, min_lat, max_lon, max_lat = view.bbox
        parcels = parcels.filter(
            max_lon__gte=min_lon, min_lon__lte=max_lon, max_lat__gte=min_lat, min_lat__lte=max_lat
        )
    if view.cluster is not None:
        parcels = parcels.filter(owner__in=Enterprise.objects.filter(cluster_filter(view.cluster)))
    return parcels


def _owner_figures(year: int, owner_ids: list[int], run: EvaluationRun | None) -> dict[int, dict]:
    figures: dict[int, dict] = defaultdict(dict)
    land = evaluated_land_mu(year, owner_ids)
    for enterprise_id, tax, value_added in AnnualData.objects.filter(
        year=year, enterprise_id__in=owner_ids
    ).values_list("enterprise_id", "tax", "value_added"):
        mu = land.get(enterprise_id)
        if mu and mu > 0:
            if tax is not None:
                figures[enterprise_id]["tax_per_mu"] = round(float(Decimal(tax) / mu), 2)
            if value_added is not None:
                figures[enterprise_id]["va_per_mu"] = round(float(Decimal(value_added) / mu), 2)
    if run is not None:
        for enterprise_id, computed, regraded, exempt in EvaluationResult.objects.filter(
            run=run, enterprise_id__in=owner_ids
        ).values_list("enterprise_id", "computed_class", "regraded_class", "exempt"):
            if not exempt:
                figures[enterprise_id]["class"] = regraded or computed or None
    return figures


def parcel_rows(
    view: View, *, simple: bool = False, points: bool = False
) -> tuple[list[dict], EvaluationRun | None]:
    """The parcels of a view, each as a dict (geometry as parsed GeoJSON, or the centroid)."""
    run = map_run(view.year, view.run_id)
    columns = [
        "pk",
        "certificate_no",
        "area_mu",
        "drawn_mu",
        "area_warning",
        "centroid_lon",
        "centroid_lat",
        "owner_id",
        "owner__uscc",
        "owner__name",
        "shown_town_id",
    ]
    if not points:
        columns.append("geometry_simple" if simple else "geometry")
    rows = list(drawn_parcels(view).order_by("pk").values(*columns))
    owner_ids = list({r["owner_id"] for r in rows})
    figures = _owner_figures(view.year, owner_ids, run) if owner_ids else {}
    leased = defaultdict(Decimal)
    if rows:
        parcel_ids = [r["pk"] for r in rows]
        for start in range(0, len(parcel_ids), 20000):
            chunk = parcel_ids[start : start + 20000]
            for parcel_id, area in (
                leases_in_year(view.year).filter(parcel_id__in=chunk).values_list("parcel_id", "area_mu")
            ):
                leased[parcel_id] += area
    out = []
    for r in rows:
        f = figures.get(r["owner_id"], {})
        cls = f.get("class")
        if view.classes and (cls or "无") not in view.classes:
            continue
        r["class"] = cls
        r["tax_per_mu"] = f.get("tax_per_mu")
        r["va_per_mu"] = f.get("va_per_mu")
        r["leased_mu"] = float(leased[r["pk"]]) if r["pk"] in leased else 0.0
        out.append(r)
    return out, run


def _num(value) -> float | None:
    return None if value is None else float(value)


def feature_collection(rows: list[dict]) -> dict:
    """The API contract: lon/lat GeoJSON with exactly the six properties."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": json.loads(r["geometry"]),
                "properties": {
                    "certificate_no": r["certificate_no"],
                    "enterprise": r["owner__uscc"],
                    "declared_mu": _num(r["area_mu"]),
                    "drawn_mu": _num(r["drawn_mu"]),
                    "class": r["class"],
                    "tax_per_mu": r["tax_per_mu"],
                },
            }
            for r in rows
        ],
    }


def towns_with_boundaries(town_ids: list[int] | None) -> list[dict]:
    boundaries = TownBoundary.objects.select_related("town")
    if town_ids is not None:
        boundaries = boundaries.filter(town_id__in=town_ids)
    return [{"id": b.town_id, "name": b.town.name, "geometry": json.loads(b.geometry)} for b in boundaries]


def town_summary(rows: list[dict], town_ids: list[int] | None, threshold: float | None) -> list[dict]:
    """Per town: parcels, drawn land, 亩均税收 (tax over land of the parcels' holders), C/D land
    and its share, and the low-efficiency land (C/D, or 亩均税收 below ``threshold``)."""
    towns = Town.objects.all() if town_ids is None else Town.objects.filter(pk__in=town_ids)
    stats = {
        t.pk: {
            "id": t.pk,
            "name": t.name,
            "count": 0,
            "area": 0.0,
            "taxed_area": 0.0,
            "tax": 0.0,
            "cd_count": 0,
            "cd_area": 0.0,
            "low_count": 0,
            "low_area": 0.0,
        }
        for t in towns
    }
    for r in rows:
        s = stats.get(r["shown_town_id"])
        if s is None:
            continue
        area = float(r["area_mu"])
        s["count"] += 1
        s["area"] += area
        if r["tax_per_mu"] is not None:
            s["taxed_area"] += area
            s["tax"] += r["tax_per_mu"] * area
        if is_low(r, None):
            s["cd_count"] += 1
            s["cd_area"] += area
        if is_low(r, threshold):
            s["low_count"] += 1
            s["low_area"] += area
    out = []
    for s in stats.values():
        s["tax_per_mu"] = s["tax"] / s["taxed_area"] if s["taxed_area"] else None
        s["cd_share"] = s["cd_area"] / s["area"] if s["area"] else None
        out.append(s)
    return out


def is_low(row: dict, threshold: float | None) -> bool:
    if row["class"] in LOW_CLASSES:
        return True
    return threshold is not None and row["tax_per_mu"] is not None and row["tax_per_mu"] < threshold
