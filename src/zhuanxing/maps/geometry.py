"""Parcel geometry without Django: reading the 自然资源 department's files (GeoJSON, a zipped
Shapefile, a spreadsheet with a WKT column), coordinate systems, areas in 亩, and the
GeoJSON text the registry stores.

Coordinates are stored in lon/lat (CGCS2000, EPSG:4490, taken as WGS84 for display). A
file in a projected CGCS2000 Gauss–Krüger zone is named with ``--crs EPSG:NNNN``; its areas
are computed in that plane (as the department computes them), lon/lat areas on the GRS80
ellipsoid (CGCS2000's).
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import shapefile  # pyshp
import shapely
from pyproj import CRS, Geod, Transformer
from shapely import wkt as shapely_wkt
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from zhuanxing.tabular import TableError, read_table, resolve_headers

SQUARE_METRES_PER_MU = 10000 / 15
LONLAT = CRS.from_epsg(4490)
GEOD = Geod(ellps="GRS80")
AREA_TOLERANCE = 0.05  # drawn vs declared: above 5 % is a warning
# lon/lat equivalents: CGCS2000 and WGS84 are the same to well within a parcel's accuracy
LONLAT_CODES = {4490, 4326, 4610, 4214}
COLUMNS = {
    "certificate_no": "不动产权证号",
    "uscc": "统一社会信用代码",
    "wkt": "WKT",
}
WKT_ALIASES = ("wkt", "geometry", "几何", "图形", "geom")


class GeometryFileError(Exception):
    """The file cannot be read at all (one or more sentences)."""

    def __init__(self, messages: list[str]):
        super().__init__("；".join(messages))
        self.messages = messages


@dataclass
class RawFeature:
    """One feature as read: where it is in the file, its key and its geometry (or why not)."""

    where: str  # 第3个要素 / 第5条记录 / 第4行
    certificate_no: str = ""
    uscc: str = ""
    geometry: BaseGeometry | None = None
    error: str = ""  # unreadable geometry
    field: str = "geometry"


@dataclass
class Layer:
    features: list[RawFeature] = field(default_factory=list)
    file_crs: CRS | None = None  # what the file itself declares, if anything


def parse_crs(text: str | None) -> CRS:
    """``EPSG:4549`` (or ``4549``) -> CRS; ValueError with a Chinese reason."""
    if not text:
        return LONLAT
    value = text.strip().upper()
    if value.isdigit():
        value = f"EPSG:{value}"
    try:
        crs = CRS.from_user_input(value)
    except Exception as exc:
        raise ValueError(f"无法识别的坐标系「{text}」，请写成 EPSG:4490 或 EPSG:4549 这样的代码") from exc
    if not (crs.is_geographic or crs.is_projected):
        raise ValueError(f"坐标系「{text}」既不是经纬度也不是投影坐标系")
    return crs


def is_lonlat(crs: CRS) -> bool:
    return crs.is_geographic


def crs_label(crs: CRS) -> str:
    code = crs.to_epsg()
    return f"EPSG:{code}（{crs.name}）" if code else crs.name


def same_crs(a: CRS, b: CRS) -> bool:
    if a.is_geographic and b.is_geographic:
        return (a.to_epsg() or 0) in LONLAT_CODES and (b.to_epsg() or 0) in LONLAT_CODES or a == b
    return a == b or (a.to_epsg() is not None and a.to_epsg() == b.to_epsg())


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_layer(path: str | Path) -> Layer:
    """Read a .geojson/.json, a .zip holding one Shapefile, or an xlsx/xls/csv with a WKT column."""
    path = Path(path)
    if not path.exists():
        raise GeometryFileError([f"文件不存在：{path.name}"])
    suffix = path.suffix.lower()
    if suffix in (".geojson", ".json"):
        return _read_geojson(path)
    if suffix == ".zip":
        return _read_shapefile_zip(path)
    if suffix in (".xlsx", ".xls", ".csv"):
        return _read_table(path)
    raise GeometryFileError(
        [f"不支持的文件类型「{path.suffix}」，请使用 GeoJSON、压缩的 Shapefile（.zip）或带 WKT 列的表格"]
    )


def _geometry_from_geojson(raw) -> BaseGeometry:
    if not isinstance(raw, dict) or "type" not in raw:
        raise ValueError("缺少 geometry 或不是 GeoJSON 几何对象")
    return shape(raw)


def _read_geojson(path: Path) -> Layer:
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GeometryFileError([f"无法读取 GeoJSON 文件「{path.name}」：{exc}"]) from exc
    if not isinstance(data, dict):
        raise GeometryFileError(["GeoJSON 文件的顶层必须是对象"])
    if data.get("type") == "Feature":
        items = [data]
    elif data.get("type") == "FeatureCollection" and isinstance(data.get("features"), list):
        items = data["features"]
    else:
        raise GeometryFileError(["GeoJSON 文件必须是 FeatureCollection 或 Feature"])
    layer = Layer()
    declared = (
        (data.get("crs") or {}).get("properties", {}).get("name")
        if isinstance(data.get("crs"), dict)
        else None
    )
    if declared:
        try:
            layer.file_crs = CRS.from_user_input(declared)
        except Exception:
            raise GeometryFileError([f"文件声明的坐标系「{declared}」无法识别"]) from None
    for index, item in enumerate(items, start=1):
        feature = RawFeature(where=f"第{index}个要素")
        props = (item.get("properties") if isinstance(item, dict) else None) or {}
        feature.certificate_no = _text(props.get("certificate_no") or props.get("不动产权证号"))
        feature.uscc = _text(props.get("uscc") or props.get("enterprise") or props.get("统一社会信用代码"))
        try:
            feature.geometry = _geometry_from_geojson(
                item.get("geometry") if isinstance(item, dict) else None
            )
        except Exception as exc:
            feature.error = f"无法读取的几何图形：{exc}"
        layer.features.append(feature)
    return layer


def _read_shapefile_zip(path: Path) -> Layer:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise GeometryFileError([f"「{path.name}」不是有效的 zip 文件"]) from exc
    with archive:
        names = {n.lower(): n for n in archive.namelist() if not n.endswith("/")}
        shps = [n for n in names if n.endswith(".shp")]
        if len(shps) != 1:
            raise GeometryFileError(
                [
                    "zip 中没有 Shapefile（.shp）"
                    if not shps
                    else f"zip 中有 {len(shps)} 个图层，请每个文件只放一个"
                ]
            )
        stem = shps[0][:-4]
        missing = [ext for ext in (".shx", ".dbf") if stem + ext not in names]
        if missing:
            raise GeometryFileError([f"Shapefile 缺少 {'、'.join(missing)} 文件"])
        parts = {ext: io.BytesIO(archive.read(names[stem + ext])) for ext in (".shp", ".shx", ".dbf")}
        layer = Layer()
        if stem + ".prj" in names:
            prj = archive.read(names[stem + ".prj"]).decode("utf-8", "replace")
            try:
                layer.file_crs = CRS.from_wkt(prj)
            except Exception:
                raise GeometryFileError(["Shapefile 的 .prj 坐标系无法识别"]) from None
        encoding = "gbk"
        if stem + ".cpg" in names:
            encoding = archive.read(names[stem + ".cpg"]).decode("ascii", "replace").strip() or "gbk"
    try:
        reader = shapefile.Reader(shp=parts[".shp"], shx=parts[".shx"], dbf=parts[".dbf"], encoding=encoding)
        fields = [f[0] for f in reader.fields[1:]]
        records = list(reader.iterShapeRecords())
    except Exception as exc:
        raise GeometryFileError([f"无法读取 Shapefile：{exc}"]) from exc

    def pick(values: dict, *names: str) -> str:
        lowered = {k.lower(): v for k, v in values.items()}
        for name in names:
            if name.lower() in lowered:
                return _text(lowered[name.lower()])
        return ""

    for index, item in enumerate(records, start=1):
        values = dict(zip(fields, item.record, strict=False))
        feature = RawFeature(where=f"第{index}条记录")
        # dBase field names are at most 10 characters: certificate_no is often cut short
        feature.certificate_no = pick(
            values, "certificate_no", "certificat", "cert_no", "不动产权证号", "zdh", "宗地号"
        )
        feature.uscc = pick(values, "uscc", "enterprise", "统一社会信用代码")
        try:
            feature.geometry = shape(item.shape.__geo_interface__)
        except Exception as exc:
            feature.error = f"无法读取的几何图形：{exc}"
        layer.features.append(feature)
    return layer


def _read_table(path: Path) -> Layer:
    try:
        frame = read_table(path)
    except TableError as exc:
        raise GeometryFileError(
            [str(p) for p in exc.problems] if hasattr(exc, "problems") else [str(exc)]
        ) from exc
    wkt_column = next((c for c in frame.columns if c.strip().lower() in WKT_ALIASES), None)
    if wkt_column is None:
        raise GeometryFileError(["缺少 WKT 列（表头写 WKT 或 几何）"])
    frame = frame.rename({wkt_column: "wkt"}) if wkt_column != "wkt" else frame
    try:
        frame = resolve_headers(frame, COLUMNS)
    except TableError as exc:
        raise GeometryFileError([str(p) for p in getattr(exc, "problems", [exc])]) from exc
    if "certificate_no" not in frame.columns and "uscc" not in frame.columns:
        raise GeometryFileError(["缺少「不动产权证号」（certificate_no）或「统一社会信用代码」（uscc）列"])
    layer = Layer()
    for index, row in enumerate(frame.iter_rows(named=True)):
        feature = RawFeature(where=f"第{index + 2}行", field="WKT")
        feature.certificate_no = _text(row.get("certificate_no"))
        feature.uscc = _text(row.get("uscc"))
        text = row.get("wkt")
        if not text:
            feature.error = "WKT 为空"
        else:
            try:
                feature.geometry = shapely_wkt.loads(str(text))
            except Exception:
                feature.error = f"无法读取的 WKT「{str(text)[:40]}」"
        layer.features.append(feature)
    return layer


def geometry_problem(geometry: BaseGeometry) -> str:
    """Why a geometry cannot be a parcel boundary, or ''."""
    if geometry.is_empty:
        return "几何图形为空"
    if geometry.geom_type not in ("Polygon", "MultiPolygon"):
        return f"几何类型为 {geometry.geom_type}，宗地界线必须是面（Polygon 或 MultiPolygon）"
    if not geometry.is_valid:
        reason = explain_validity(geometry)
        if "Self-intersection" in reason or "Ring Self-intersection" in reason:
            return f"界线自相交（{reason}）"
        return f"几何图形无效（{reason}）"
    return ""


def looks_lonlat(geometry: BaseGeometry) -> bool:
    minx, miny, maxx, maxy = geometry.bounds
    return -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90


def to_lonlat(geometry: BaseGeometry, crs: CRS) -> BaseGeometry:
    if crs.is_geographic:
        return geometry
    transformer = _transformer(crs)
    return shapely.transform(geometry, lambda xy: _apply(transformer, xy))


_TRANSFORMERS: dict[str, Transformer] = {}


def _transformer(crs: CRS) -> Transformer:
    key = crs.to_wkt()
    if key not in _TRANSFORMERS:
        _TRANSFORMERS[key] = Transformer.from_crs(crs, LONLAT, always_xy=True)
    return _TRANSFORMERS[key]


def _apply(transformer: Transformer, xy):
    import numpy as np

    lon, lat = transformer.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([lon, lat])


def area_mu(geometry: BaseGeometry, crs: CRS) -> float:
    """Area in 亩: planar in a projected CRS, on the GRS80 ellipsoid for lon/lat."""
    if crs.is_projected:
        square_metres = geometry.area
    else:
        square_metres = abs(GEOD.geometry_area_perimeter(geometry)[0])
    return square_metres / SQUARE_METRES_PER_MU


def area_difference(drawn: float, declared: float) -> float | None:
    """(drawn − declared) ÷ declared; None when nothing is declared."""
    if not declared:
        return None
    return (drawn - declared) / declared


def area_warning(drawn: float, declared: float) -> str:
    diff = area_difference(drawn, declared)
    if diff is None or abs(diff) <= AREA_TOLERANCE:
        return ""
    return f"图形面积 {drawn:,.2f} 亩与登记用地面积 {declared:,.2f} 亩相差 {diff * 100:+.1f}%（超过 5%）"


def rounded(geometry: BaseGeometry, digits: int = 7) -> dict:
    """GeoJSON mapping with coordinates rounded (7 digits of a degree is about 1 cm)."""
    return mapping(shapely.set_precision(geometry, 10**-digits, mode="pointwise"))


def geojson_text(geometry: BaseGeometry, digits: int = 7) -> str:
    return json.dumps(rounded(geometry, digits), separators=(",", ":"))


def simplified_text(geometry: BaseGeometry) -> str:
    """A copy for district zoom: about 5 m tolerance, never empty."""
    simple = geometry.simplify(0.00005, preserve_topology=True)
    if simple.is_empty:
        simple = geometry.envelope
    return geojson_text(simple, digits=5)
