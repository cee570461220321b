"""Parcel-shape files for the tests, written on the fly: GeoJSON, zipped Shapefile, xlsx/csv with WKT."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import shapefile
import xlsxwriter
from pyproj import CRS, Transformer
from shapely.geometry import box, mapping

# 骆驼街道, well inside the district
LON, LAT = 121.60, 29.97
# CGCS2000 / 3-degree Gauss-Kruger CM 120E (Zhenhai lies 1.6° east of the meridian)
GK_ZONE = "EPSG:4549"


def square_lonlat(side_m: float, lon: float = LON, lat: float = LAT):
    """A square of ``side_m`` metres drawn in the GK zone and converted to lon/lat."""
    to_gk = Transformer.from_crs(CRS.from_epsg(4490), CRS.from_user_input(GK_ZONE), always_xy=True)
    x, y = to_gk.transform(lon, lat)
    back = Transformer.from_crs(CRS.from_user_input(GK_ZONE), CRS.from_epsg(4490), always_xy=True)
    corners = [(x, y), (x + side_m, y), (x + side_m, y + side_m), (x, y + side_m)]
    from shapely.geometry import Polygon

    return Polygon([back.transform(cx, cy) for cx, cy in corners])


def square_gk(side_m: float, lon: float = LON, lat: float = LAT):
    to_gk = Transformer.from_crs(CRS.from_epsg(4490), CRS.from_user_input(GK_ZONE), always_xy=True)
    x, y = to_gk.transform(lon, lat)
    return box(x, y, x + side_m, y + side_m)


def geojson_file(path: Path, features: list[tuple[dict, object]], crs: str | None = None) -> Path:
    data = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": props,
                "geometry": geometry if isinstance(geometry, dict) or geometry is None else mapping(geometry),
            }
            for props, geometry in features
        ],
    }
    if crs:
        data["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def shapefile_zip(path: Path, features: list[tuple[str, object]], prj: str | None = None) -> Path:
    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    with shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POLYGON, encoding="utf-8") as writer:
        writer.field("cert_no", "C", size=80)
        for certificate, geometry in features:
            rings = [list(geometry.exterior.coords)[::-1]]  # shapefile outer rings run clockwise
            writer.poly(rings)
            writer.record(certificate)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("parcels.shp", shp.getvalue())
        archive.writestr("parcels.shx", shx.getvalue())
        archive.writestr("parcels.dbf", dbf.getvalue())
        archive.writestr("parcels.cpg", "UTF-8")
        if prj:
            archive.writestr("parcels.prj", CRS.from_user_input(prj).to_wkt("WKT1_ESRI"))
    return path


def wkt_xlsx(path: Path, rows: list[tuple[str, str]]) -> Path:
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, ["不动产权证号", "WKT"])
    for index, row in enumerate(rows, start=1):
        sheet.write_row(index, 0, row)
    workbook.close()
    return path


def wkt_csv(path: Path, rows: list[tuple[str, str]]) -> Path:
    lines = ["certificate_no,wkt"] + [f'{c},"{w}"' for c, w in rows]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
