"""Check a parcel-shape file against the registry: every problem named by feature and field,
every area difference above 5 % as a warning. Nothing is written here."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from pyproj import CRS
from shapely.geometry.base import BaseGeometry

from zhuanxing.maps import geometry as geo
from zhuanxing.maps.models import TownBoundary
from zhuanxing.registry.models import LandParcel

# a parcel whose shape lies further than this outside the district (its towns' extent) is refused
BOUNDS_MARGIN_DEG = 0.05
# used when no town boundaries are loaded: Zhenhai and a generous belt around it
DEFAULT_BOUNDS = (121.3, 29.7, 122.0, 30.3)


@dataclass
class ShapeProblem:
    where: str
    field: str
    message: str
    certificate_no: str = ""

    def __str__(self) -> str:
        key = f"（不动产权证号 {self.certificate_no}）" if self.certificate_no else ""
        return f"{self.where}{key} {self.field}：{self.message}"


@dataclass
class CheckedShape:
    where: str
    parcel: LandParcel
    lonlat: BaseGeometry
    drawn_mu: Decimal
    warning: str

    @property
    def changed(self) -> bool:
        """A new boundary. The same boundary again (an export re-imported, perhaps now in
        lon/lat rather than the zone it was measured in) changes nothing, its area included."""
        return self.parcel.geometry != geo.geojson_text(self.lonlat)


@dataclass
class ShapeCheck:
    crs: CRS
    rows: int = 0
    problems: list[ShapeProblem] = field(default_factory=list)
    shapes: list[CheckedShape] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def warnings(self) -> list[CheckedShape]:
        return [s for s in self.shapes if s.warning]

    @property
    def changed(self) -> list[CheckedShape]:
        return [s for s in self.shapes if s.changed]

    @property
    def unchanged_count(self) -> int:
        return len(self.shapes) - len(self.changed)


def district_bounds() -> tuple[float, float, float, float]:
    boxes = list(TownBoundary.objects.values_list("min_lon", "min_lat", "max_lon", "max_lat"))
    if not boxes:
        return DEFAULT_BOUNDS
    return (
        min(b[0] for b in boxes) - BOUNDS_MARGIN_DEG,
        min(b[1] for b in boxes) - BOUNDS_MARGIN_DEG,
        max(b[2] for b in boxes) + BOUNDS_MARGIN_DEG,
        max(b[3] for b in boxes) + BOUNDS_MARGIN_DEG,
    )


def check_shapes(path: str | Path, *, crs: str | None = None) -> ShapeCheck:
    try:
        target = geo.parse_crs(crs)
    except ValueError as exc:
        result = ShapeCheck(crs=geo.LONLAT)
        result.problems.append(ShapeProblem("命令参数", "--crs", str(exc)))
        return result
    result = ShapeCheck(crs=target)
    try:
        layer = geo.read_layer(path)
    except geo.GeometryFileError as exc:
        result.problems.extend(ShapeProblem("文件", "—", m) for m in exc.messages)
        return result
    result.rows = len(layer.features)
    if not layer.features:
        result.problems.append(ShapeProblem("文件", "—", "图层为空：没有任何要素"))
        return result
    if layer.file_crs is not None and not geo.same_crs(layer.file_crs, target):
        hint = "" if crs else "；投影坐标请用 --crs 指定"
        result.problems.append(
            ShapeProblem(
                "文件",
                "坐标系",
                f"文件的坐标系为 {geo.crs_label(layer.file_crs)}，与导入指定的 {geo.crs_label(target)} 不符{hint}",
            )
        )
        return result

    certificates = {f.certificate_no for f in layer.features if f.certificate_no}
    codes = {f.uscc for f in layer.features if f.uscc and not f.certificate_no}
    parcels = {p.certificate_no: p for p in LandParcel.objects.filter(certificate_no__in=certificates)}
    by_owner: dict[str, list[LandParcel]] = {}
    for parcel in LandParcel.objects.filter(owner__uscc__in=codes).select_related("owner"):
        by_owner.setdefault(parcel.owner.uscc, []).append(parcel)
    bounds = district_bounds()
    seen: dict[int, str] = {}
    for feature in layer.features:
        before = len(result.problems)

        def problem(field_name: str, message: str, _f=feature) -> None:
            result.problems.append(ShapeProblem(_f.where, field_name, message, _f.certificate_no))

        parcel = None
        if feature.certificate_no:
            parcel = parcels.get(feature.certificate_no)
            if parcel is None:
                problem("certificate_no", f"登记中没有不动产权证号「{feature.certificate_no}」的宗地")
        elif feature.uscc:
            owned = by_owner.get(feature.uscc, [])
            if not owned:
                problem("uscc", f"统一社会信用代码「{feature.uscc}」名下没有登记的宗地")
            elif len(owned) > 1:
                problem(
                    "uscc",
                    f"统一社会信用代码「{feature.uscc}」名下有 {len(owned)} 宗地，请按不动产权证号提供",
                )
            else:
                parcel = owned[0]
        else:
            problem("certificate_no", "缺少不动产权证号（certificate_no）")
        if parcel is not None:
            if parcel.pk in seen:
                problem("certificate_no", f"宗地「{parcel.certificate_no}」重复，已在{seen[parcel.pk]}出现")
            else:
                seen[parcel.pk] = feature.where
        if feature.error:
            problem(feature.field, feature.error)
            continue
        shape_problem = geo.geometry_problem(feature.geometry)
        if shape_problem:
            problem(feature.field, shape_problem)
            continue
        lonlat_input = geo.looks_lonlat(feature.geometry)
        if target.is_geographic and not lonlat_input:
            problem("坐标系", "坐标不是经纬度，像是投影坐标：请用 --crs 指定投影坐标系（如 EPSG:4549）")
            continue
        if target.is_projected and lonlat_input:
            problem("坐标系", f"坐标是经纬度，与指定的投影坐标系 {geo.crs_label(target)} 不符")
            continue
        try:
            lonlat = geo.to_lonlat(feature.geometry, target)
        except Exception as exc:
            problem("坐标系", f"坐标无法转换：{exc}")
            continue
        minx, miny, maxx, maxy = lonlat.bounds
        if minx < bounds[0] or maxx > bounds[2] or miny < bounds[1] or maxy > bounds[3]:
            c = lonlat.centroid
            problem("geometry", f"宗地位于 {c.x:.4f}°E、{c.y:.4f}°N，远在本区范围之外")
            continue
        if len(result.problems) > before or parcel is None:
            continue
        drawn = geo.area_mu(feature.geometry, target)
        result.shapes.append(
            CheckedShape(
                where=feature.where,
                parcel=parcel,
                lonlat=lonlat,
                drawn_mu=Decimal(f"{drawn:.4f}"),
                warning=geo.area_warning(drawn, float(parcel.area_mu)),
            )
        )
    return result
