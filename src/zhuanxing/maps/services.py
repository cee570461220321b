"""Writes of the map app: parcel shapes (one batch, all or nothing) and town boundaries."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from shapely.geometry import shape

from zhuanxing.accounts.audit import record_change
from zhuanxing.imports.services import file_sha256
from zhuanxing.maps import geometry as geo
from zhuanxing.maps.check import ShapeCheck, check_shapes
from zhuanxing.maps.models import TownBoundary
from zhuanxing.registry.models import ImportBatch, LandParcel, Town

SHAPE_FIELDS = [
    "geometry",
    "geometry_simple",
    "min_lon",
    "min_lat",
    "max_lon",
    "max_lat",
    "centroid_lon",
    "centroid_lat",
    "drawn_mu",
    "area_warning",
]


class ShapesRefused(Exception):
    def __init__(self, checked: ShapeCheck):
        super().__init__(f"发现 {len(checked.problems)} 个问题")
        self.checked = checked


def shape_values(lonlat, drawn_mu, warning: str) -> dict:
    minx, miny, maxx, maxy = lonlat.bounds
    centre = lonlat.representative_point() if not lonlat.centroid.within(lonlat) else lonlat.centroid
    return {
        "geometry": geo.geojson_text(lonlat),
        "geometry_simple": geo.simplified_text(lonlat),
        "min_lon": minx,
        "min_lat": miny,
        "max_lon": maxx,
        "max_lat": maxy,
        "centroid_lon": round(centre.x, 7),
        "centroid_lat": round(centre.y, 7),
        "drawn_mu": drawn_mu,
        "area_warning": warning,
    }


def _stored(parcel: LandParcel) -> dict:
    return {
        name: (
            str(getattr(parcel, name))
            if name == "drawn_mu" and parcel.drawn_mu is not None
            else getattr(parcel, name)
        )
        for name in SHAPE_FIELDS
    }


def parcel_shapes_apply(
    *, actor, path: str | Path, file_name: str, crs: str | None = None, note: str = ""
) -> tuple[ImportBatch | None, ShapeCheck]:
    """Check the file and, when it has no problem, write every shape in one transaction as
    one ``parcels`` batch (warnings do not stop it). Returns (batch or None when nothing
    changed, the check)."""
    checked = check_shapes(path, crs=crs)
    if not checked.ok:
        raise ShapesRefused(checked)
    changed = checked.changed
    if not changed:
        return None, checked
    if actor is None and not note:
        note = f"命令行导入（{getpass.getuser()}）"
    with transaction.atomic():
        batch = ImportBatch(
            source=ImportBatch.Source.PARCELS,
            file_name=file_name[:255],
            file_sha256=file_sha256(path),
            created_by=actor if getattr(actor, "pk", None) else None,
            note=note[:255],
        )
        batch.full_clean()
        batch.save()
        undo = []
        parcels = []
        for item in changed:
            parcel = LandParcel.objects.select_for_update().get(pk=item.parcel.pk)
            undo.append({"id": parcel.pk, "old": _stored(parcel)})
            for name, value in shape_values(item.lonlat, item.drawn_mu, item.warning).items():
                setattr(parcel, name, value)
            parcel.full_clean(validate_unique=False)
            parcels.append(parcel)
        LandParcel.objects.bulk_update(parcels, SHAPE_FIELDS, batch_size=500)
        batch.undo = {"parcel_shapes": undo}
        batch.summary = {
            "rows": checked.rows,
            "changed": len(changed),
            "unchanged": len(checked.shapes) - len(changed),
            "warnings": len(checked.warnings),
            "crs": geo.crs_label(checked.crs),
        }
        batch.save(update_fields=["undo", "summary"])
        record_change(actor=actor, action="宗地图形导入", obj=batch, new=batch.summary, reason=note)
    return batch, checked


def parcel_shapes_rollback(*, actor, batch: ImportBatch, reason: str = "") -> ImportBatch:
    """Put back the shapes a ``parcels`` batch replaced; refused when a later batch changed them."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.source != ImportBatch.Source.PARCELS:
            raise ValidationError("该批次不是宗地图形导入")
        if batch.state == ImportBatch.State.ROLLED_BACK:
            raise ValidationError("该批次已经回滚过了")
        rows = batch.undo.get("parcel_shapes", [])
        later = ImportBatch.objects.filter(
            source=ImportBatch.Source.PARCELS, state=ImportBatch.State.APPLIED, pk__gt=batch.pk
        )
        ids = {r["id"] for r in rows}
        blockers = [
            f"批次 #{b.pk} 之后又改了同样的宗地，请先回滚它"
            for b in later
            if ids & {r["id"] for r in b.undo.get("parcel_shapes", [])}
        ]
        if blockers:
            raise ValidationError(blockers)
        parcels = {p.pk: p for p in LandParcel.objects.select_for_update().filter(pk__in=ids)}
        for row in rows:
            parcel = parcels.get(row["id"])
            if parcel is None:
                continue
            for name, value in row["old"].items():
                setattr(parcel, name, value)
        LandParcel.objects.bulk_update(list(parcels.values()), SHAPE_FIELDS, batch_size=500)
        batch.state = ImportBatch.State.ROLLED_BACK
        batch.save(update_fields=["state"])
        record_change(
            actor=actor,
            action="导入批次回滚",
            obj=batch,
            old={"state": ImportBatch.State.APPLIED},
            new={"state": ImportBatch.State.ROLLED_BACK},
            reason=reason,
        )
    return batch


def town_boundaries_load(*, actor, path: str | Path) -> list[TownBoundary]:
    """Replace the town boundaries from a GeoJSON file whose features name the town by
    ``code`` or ``name``. All or nothing; every problem named."""
    try:
        data = json.loads(Path(path).read_bytes().decode("utf-8-sig"))
        features = data["features"]
    except Exception as exc:
        raise ValidationError(f"无法读取镇街界线文件：{exc}") from exc
    towns = {t.code: t for t in Town.objects.all()} | {t.name: t for t in Town.objects.all()}
    problems: list[str] = []
    rows = []
    for index, feature in enumerate(features, start=1):
        props = feature.get("properties") or {}
        town = towns.get(str(props.get("code", ""))) or towns.get(str(props.get("name", "")))
        if town is None:
            problems.append(
                f"第{index}个要素：没有代码或名称为「{props.get('code') or props.get('name')}」的镇街"
            )
            continue
        try:
            geometry = shape(feature["geometry"])
        except Exception as exc:
            problems.append(f"第{index}个要素（{town}）：无法读取的几何图形：{exc}")
            continue
        reason = geo.geometry_problem(geometry)
        if reason or not geo.looks_lonlat(geometry):
            problems.append(f"第{index}个要素（{town}）：{reason or '坐标必须是经纬度'}")
            continue
        rows.append((town, geometry))
    if not features:
        problems.append("图层为空：没有任何要素")
    if problems:
        raise ValidationError(problems)
    saved = []
    with transaction.atomic():
        for town, geometry in rows:
            minx, miny, maxx, maxy = geometry.bounds
            old = TownBoundary.objects.filter(town=town).first()
            boundary = old or TownBoundary(town=town)
            boundary.geometry = geo.geojson_text(geometry, digits=6)
            boundary.min_lon, boundary.min_lat, boundary.max_lon, boundary.max_lat = minx, miny, maxx, maxy
            boundary.full_clean()
            boundary.save()
            saved.append(boundary)
        record_change(
            actor=actor,
            action="镇街界线更新",
            obj=saved[0],
            new={"towns": [str(b.town) for b in saved], "file": Path(path).name},
        )
    return saved
