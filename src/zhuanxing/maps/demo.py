"""Demo: the shipped town boundaries, and a synthetic shape for every demo parcel, laid out
in rows inside its town's boundary. Areas match the declared 用地面积 within 3 % except for
a handful of deliberate mismatches (recorded as area warnings, as an import would)."""

from __future__ import annotations

import json
import math
import random
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from shapely.geometry import box, shape
from shapely.prepared import prep

from zhuanxing.maps import geometry as geo
from zhuanxing.maps.models import TownBoundary
from zhuanxing.maps.services import SHAPE_FIELDS, shape_values, town_boundaries_load
from zhuanxing.registry.models import LandParcel, Town

TOWNS_FILE = Path(__file__).parent / "data" / "towns.geojson"
MISMATCHES = 6  # parcels drawn 8–20 % off their declared area, for the check to flag
GAP_M = 25  # road between neighbouring parcels
M_PER_DEG_LAT = 110_540


def _m_per_deg_lon(lat: float) -> float:
    return 111_320 * math.cos(math.radians(lat))


def build(*, seed: int, stdout) -> None:
    if not Town.objects.exists():
        stdout.write("没有镇街，跳过亩均地图演示数据。")
        return
    town_boundaries_load(actor=None, path=TOWNS_FILE)
    boundaries = {b.town_id: shape(json.loads(b.geometry)) for b in TownBoundary.objects.all()}
    rng = random.Random(seed * 7919 + 15)
    by_town: dict[int, list[LandParcel]] = defaultdict(list)
    for parcel in LandParcel.objects.select_related("owner").order_by("pk"):
        town_id = parcel.town_id or parcel.owner.town_id
        if town_id in boundaries:
            by_town[town_id].append(parcel)
    all_parcels = [p for ps in by_town.values() for p in ps]
    mismatched = {p.pk for p in rng.sample(all_parcels, min(MISMATCHES, len(all_parcels)))}
    drawn, warned = [], 0
    for town_id, parcels in by_town.items():
        placed = _lay_out(boundaries[town_id], parcels, mismatched, rng)
        for parcel, lonlat in placed:
            mu = geo.area_mu(lonlat, geo.LONLAT)
            warning = geo.area_warning(mu, float(parcel.area_mu))
            warned += bool(warning)
            for name, value in shape_values(lonlat, Decimal(f"{mu:.4f}"), warning).items():
                setattr(parcel, name, value)
            drawn.append(parcel)
    with transaction.atomic():
        LandParcel.objects.bulk_update(drawn, SHAPE_FIELDS, batch_size=500)
    stdout.write(
        f"已加载 {len(boundaries)} 个镇街界线，绘制 {len(drawn)} 宗地图形（其中 {warned} 宗面积与登记不符）。"
    )


def _lay_out(town, parcels, mismatched, rng):
    """Rows of rectangles inside the town (shrunk by a margin), west to east, south to north.
    When the parcels do not fit, the gaps shrink and the rows are packed again."""
    minx, miny, maxx, maxy = town.bounds
    lat0 = (miny + maxy) / 2
    kx, ky = _m_per_deg_lon(lat0), M_PER_DEG_LAT
    sizes = []
    for parcel in parcels:
        declared_m2 = float(parcel.area_mu) * geo.SQUARE_METRES_PER_MU
        if parcel.pk in mismatched:
            factor = 1 + rng.choice([-1, 1]) * rng.uniform(0.08, 0.20)
        else:
            factor = 1 + rng.uniform(-0.02, 0.02)
        aspect = rng.uniform(1.0, 1.8)
        width = math.sqrt(declared_m2 * factor * aspect)
        sizes.append((width, declared_m2 * factor / width))
    order = list(range(len(parcels)))
    rng.shuffle(order)
    # as much space between parcels as the town allows, down to a narrow road
    for gap in (400, 250, 160, 100, 60, GAP_M, 12, 5, 1):
        inner = prep(town.buffer(-200 / kx))
        placed = _pack(inner, (minx, miny, maxx, maxy), sizes, order, gap, kx, ky)
        if placed is not None:
            return [(parcels[i], rect) for i, rect in placed]
    # last resort (a town far too small for its land): overlap is better than no shape
    inner = prep(town)
    placed = _pack(inner, (minx, miny, maxx, maxy), sizes, order, 0, kx, ky, allow_overflow=True)
    return [(parcels[i], rect) for i, rect in placed]


def _pack(inner, bounds, sizes, order, gap, kx, ky, allow_overflow=False):
    minx, miny, maxx, maxy = bounds
    x, y, row_height = minx, miny, 0.0
    placed = []
    pending = list(order)
    while pending:
        i = pending[0]
        w, h = sizes[i][0] / kx, sizes[i][1] / ky
        if y + h > maxy:
            if not allow_overflow:
                return None
            x, y, row_height = minx, miny, 0.0
        if x + w > maxx:
            x, y, row_height = minx, y + row_height + gap / ky, 0.0
            continue
        rect = box(x, y, x + w, y + h)
        if inner.contains(rect):
            placed.append((i, rect))
            pending.pop(0)
            x += w + gap / kx
            row_height = max(row_height, h)
        else:
            x += max(w / 4, 60 / kx)
    return placed
