"""Reads for the map: parcels of a view with their holder's class and 亩均 figures, towns
and their totals. Every query is bounded (bbox on indexed floats, owners in one go)."""

from __future__ import annotations

import datetime as dt
import json
import time
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
    wanted = set(owner_ids)
    # a whole district is read without a list of ids (one scan instead of 100,000 parameters)
    whole = len(owner_ids) > 5000
    land = evaluated_land_mu(year, None if whole else owner_ids)
    annual = AnnualData.objects.filter(year=year)
    results = EvaluationResult.objects.filter(run=run) if run is not None else None
    if not whole:
        annual = annual.filter(enterprise_id__in=owner_ids)
        results = results.filter(enterprise_id__in=owner_ids) if results is not None else None
    for enterprise_id, tax, value_added in annual.values_list("enterprise_id", "tax", "value_added"):
        if enterprise_id not in wanted:
            continue
        mu = land.get(enterprise_id)
        if mu and mu > 0:
            if tax is not None:
                figures[enterprise_id]["tax_per_mu"] = round(float(Decimal(tax) / mu), 2)
            if value_added is not None:
                figures[enterprise_id]["va_per_mu"] = round(float(Decimal(value_added) / mu), 2)
    if results is not None:
        for enterprise_id, computed, regraded, exempt in results.values_list(
            "enterprise_id", "computed_class", "regraded_class", "exempt"
        ):
            if not exempt and enterprise_id in wanted:
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


def feature_collection_text(rows: list[dict]) -> str:
    """``feature_collection`` as JSON text, the stored geometry text spliced in unparsed."""
    parts = []
    for r in rows:
        properties = json.dumps(
            feature_collection([{**r, "geometry": "null"}])["features"][0]["properties"],
            ensure_ascii=False,
            separators=(",", ":"),
        )
        parts.append(f'{{"type":"Feature","geometry":{r["geometry"]},"properties":{properties}}}')
    return '{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}"


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
        area = float(r["area"] if "area" in r else r["area_mu"])
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


# --- the page's data: an in-memory index of every drawn parcel of a year -----------------------

MAX_SHAPES = 4000  # more parcels than this in a view: aggregated cells instead of shapes
CELLS_ACROSS = 48
# kept at most this long, so that an edit no batch or audit entry records still shows soon
INDEX_SECONDS = 60
_INDEX_CACHE: dict[tuple, tuple[float, list[dict]]] = {}
# the data version is looked up at most this often (a burst of pans and zooms asks once)
RECHECK_SECONDS = 3
_LAST_CHECK: dict[tuple, tuple[float, tuple]] = {}
_SUMMARY_CACHE: dict[tuple, list[dict]] = {}


def _data_version(year: int, run: EvaluationRun | None) -> tuple:
    from django.db.models import Count, Max

    from zhuanxing.accounts.models import AuditEntry
    from zhuanxing.registry.models import ImportBatch, Lease

    parcels = LandParcel.objects.aggregate(n=Count("pk"), top=Max("pk"))
    return (
        year,
        run.pk if run else None,
        parcels["n"],
        parcels["top"],
        Lease.objects.aggregate(top=Max("pk"))["top"],
        ImportBatch.objects.aggregate(top=Max("pk"))["top"],
        AuditEntry.objects.aggregate(top=Max("pk"))["top"],
        AnnualData.objects.filter(year=year).aggregate(top=Max("pk"))["top"],
        run.results.aggregate(top=Max("pk"))["top"] if run else None,
    )


def parcel_index(year: int, run_id: int | None = None) -> tuple[list[dict], EvaluationRun | None]:
    """Every drawn parcel of the district with its holder's figures for ``year``, kept in
    memory until the data changes (a new batch, audit entry, parcel, lease or result)."""
    run = map_run(year, run_id)
    checked = _LAST_CHECK.get((year, run.pk if run else None))
    if checked and time.monotonic() - checked[0] < RECHECK_SECONDS:
        key = checked[1]
    else:
        key = _data_version(year, run)
        _LAST_CHECK[(year, run.pk if run else None)] = (time.monotonic(), key)
    cached = _INDEX_CACHE.get(key)
    rows = cached[1] if cached and time.monotonic() - cached[0] < INDEX_SECONDS else None
    if rows is None:
        # the simplified shapes stay in memory with the rest (about 300 bytes a parcel)
        rows, _ = parcel_rows(View(year=year, run_id=run.pk if run else None), simple=True)
        industries = dict(LandParcel.objects.exclude(geometry="").values_list("pk", "owner__industry_id"))
        for r in rows:
            r["industry"] = industries.get(r["pk"]) or ""
            r["area"] = float(r.pop("area_mu"))
            r["drawn"] = None if r["drawn_mu"] is None else float(r.pop("drawn_mu"))
        _INDEX_CACHE.clear()  # one year at a time is plenty
        _SUMMARY_CACHE.clear()
        _INDEX_CACHE[key] = (time.monotonic(), rows)
    return rows, run


def filtered(rows: list[dict], view: View) -> list[dict]:
    if view.town_ids is None and view.cluster is None and not view.classes and view.bbox is None:
        return rows
    prefixes = tuple(view.cluster.industry_prefixes) if view.cluster is not None else None
    towns = set(view.town_ids) if view.town_ids is not None else None
    out = []
    for r in rows:
        if towns is not None and r["shown_town_id"] not in towns:
            continue
        if prefixes is not None and not r["industry"].startswith(prefixes):
            continue
        if view.classes and (r["class"] or "无") not in view.classes:
            continue
        if view.bbox is not None:
            lon, lat = r["centroid_lon"], r["centroid_lat"]
            b = view.bbox
            if not (b[0] <= lon <= b[2] and b[1] <= lat <= b[3]):
                continue
        out.append(r)
    return out


def _summary(rows: list[dict], view: View, threshold: float | None) -> list[dict]:
    key = (
        view.year,
        view.run_id,
        tuple(view.town_ids or ()),
        view.cluster.pk if view.cluster else None,
        view.classes,
        threshold,
    )
    if key not in _SUMMARY_CACHE:
        if len(_SUMMARY_CACHE) > 200:
            _SUMMARY_CACHE.clear()
        _SUMMARY_CACHE[key] = town_summary(rows, view.town_ids, threshold)
    return _SUMMARY_CACHE[key]


def view_data(view: View, zoom: int, threshold: float | None) -> dict:
    """What the map page draws for a view: shapes (simplified below zoom 16) when at most
    MAX_SHAPES parcels are in it, else cells of a grid with their count, area, commonest
    class and 亩均税收; plus the towns' totals over the whole filtered district."""
    rows, run = parcel_index(view.year, view.run_id)
    everywhere = filtered(rows, View(**{**view.__dict__, "bbox": None}))
    in_view = filtered(everywhere, View(year=view.year, bbox=view.bbox)) if view.bbox else everywhere
    data = {
        "run": str(run) if run else None,
        "count": len(in_view),
        "towns": _summary(everywhere, view, threshold),
    }
    owners: dict[str, int] = {}
    names: list[list[str]] = []
    if len(in_view) <= MAX_SHAPES:
        data["mode"] = "shapes"
        if zoom < SIMPLE_BELOW_ZOOM:
            shapes = {r["pk"]: r["geometry_simple"] for r in in_view}
        else:
            shapes = {}
            ids = sorted(r["pk"] for r in in_view)
            for start in range(0, len(ids), 900):
                shapes.update(
                    LandParcel.objects.filter(pk__in=ids[start : start + 900]).values_list("pk", "geometry")
                )
        parcels = []
        for r in in_view:
            owner = owners.setdefault(r["owner__uscc"], len(owners))
            if owner == len(names):
                names.append([r["owner__uscc"], r["owner__name"]])
            parcels.append(
                [
                    r["pk"],
                    r["certificate_no"],
                    owner,
                    r["class"],
                    r["tax_per_mu"],
                    r["va_per_mu"],
                    r["area"],
                    r["drawn"],
                    r["leased_mu"],
                    1 if is_low(r, threshold) else 0,
                    r["area_warning"],
                    shapes.get(r["pk"]),
                ]
            )
        data["owners"] = names
        data["parcels"] = parcels
    else:
        data["mode"] = "cells"
        data["cells"] = _cells(in_view, threshold)
    return data


def _cells(rows: list[dict], threshold: float | None) -> list[list]:
    min_lon = min(r["centroid_lon"] for r in rows)
    max_lon = max(r["centroid_lon"] for r in rows)
    min_lat = min(r["centroid_lat"] for r in rows)
    size = max((max_lon - min_lon) / CELLS_ACROSS, 1e-4)
    cells: dict[tuple[int, int], dict] = {}
    for r in rows:
        key = (int((r["centroid_lon"] - min_lon) / size), int((r["centroid_lat"] - min_lat) / size))
        c = cells.get(key)
        if c is None:
            c = cells[key] = {
                "lon": 0.0,
                "lat": 0.0,
                "n": 0,
                "area": 0.0,
                "classes": defaultdict(float),
                "tax": 0.0,
                "taxed": 0.0,
                "va": 0.0,
                "vaed": 0.0,
                "low": 0.0,
                "leased": 0.0,
            }
        c["n"] += 1
        c["lon"] += r["centroid_lon"]
        c["lat"] += r["centroid_lat"]
        c["area"] += r["area"]
        c["classes"][r["class"] or ""] += r["area"]
        if r["tax_per_mu"] is not None:
            c["tax"] += r["tax_per_mu"] * r["area"]
            c["taxed"] += r["area"]
        if r["va_per_mu"] is not None:
            c["va"] += r["va_per_mu"] * r["area"]
            c["vaed"] += r["area"]
        if is_low(r, threshold):
            c["low"] += r["area"]
        c["leased"] += r["leased_mu"]
    return [
        [
            round(c["lon"] / c["n"], 5),
            round(c["lat"] / c["n"], 5),
            c["n"],
            round(c["area"], 2),
            max(c["classes"], key=c["classes"].get) or None,
            round(c["tax"] / c["taxed"], 2) if c["taxed"] else None,
            round(c["va"] / c["vaed"], 2) if c["vaed"] else None,
            round(c["low"], 2),
            round(c["leased"], 2),
        ]
        for c in cells.values()
    ]
