"""Parcel shapes through ``zhuanxing import parcels``: every format, every refusal, the area check."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from shapely.geometry import Polygon

from tests.maps.files import (
    GK_ZONE,
    geojson_file,
    shapefile_zip,
    square_gk,
    square_lonlat,
    wkt_csv,
    wkt_xlsx,
)
from zhuanxing.registry.models import ImportBatch, LandParcel

pytestmark = pytest.mark.django_db


def run(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("import", "parcels", *[str(a) for a in args], stdout=out, stderr=err)
    except CommandError as exc:
        return 1, out.getvalue(), err.getvalue() + str(exc)
    return 0, out.getvalue(), err.getvalue()


def parcel(cert):
    return LandParcel.objects.get(certificate_no=cert)


def test_projected_square_of_known_size_is_60_mu(tmp_path, certs):
    # 200 m × 200 m = 40,000 m²; 1 亩 = 10000/15 m², so 40,000 × 15 / 10,000 = 60 亩 exactly,
    # which is what the registry declares for 恒达轴承's parcel: no warning
    path = geojson_file(tmp_path / "gk.geojson", [({"certificate_no": certs["bearings"]}, square_gk(200))])
    code, out, err = run(path, "--crs", GK_ZONE, "--apply")
    assert code == 0, err
    stored = parcel(certs["bearings"])
    assert stored.drawn_mu == Decimal("60.0000")
    assert stored.area_warning == ""
    assert "警告：" not in out
    # stored in lon/lat around 121.60°E 29.97°N
    assert 121.59 < stored.centroid_lon < 121.61 and 29.96 < stored.centroid_lat < 29.98
    assert json.loads(stored.geometry)["type"] == "Polygon"
    batch = ImportBatch.objects.get(source=ImportBatch.Source.PARCELS)
    assert batch.summary["changed"] == 1


def test_lonlat_square_area_on_the_ellipsoid(tmp_path, certs):
    path = geojson_file(
        tmp_path / "ll.geojson", [({"certificate_no": certs["bearings"]}, square_lonlat(200))]
    )
    code, out, err = run(path, "--apply")
    assert code == 0, err
    # the GK plane stretches by about 0.03 % this far from its meridian
    assert abs(parcel(certs["bearings"]).drawn_mu - Decimal(60)) < Decimal("0.1")


def test_area_mismatch_is_a_warning_with_the_certificate_and_exit_zero(tmp_path, certs):
    # 220 m square = 72.6 亩 against 60 declared: +21.0 %
    path = geojson_file(tmp_path / "big.geojson", [({"certificate_no": certs["bearings"]}, square_gk(220))])
    code, out, err = run(path, "--crs", GK_ZONE, "--apply")
    assert code == 0, err
    assert certs["bearings"] in out and "+21.0%" in out and "警告" in out
    assert "+21.0%" in parcel(certs["bearings"]).area_warning


def test_warning_is_shown_in_the_preview_without_writing(tmp_path, certs):
    path = geojson_file(tmp_path / "big.geojson", [({"certificate_no": certs["bearings"]}, square_gk(220))])
    code, out, _ = run(path, "--crs", GK_ZONE)
    assert code == 0 and "+21.0%" in out and "仅预览" in out
    assert parcel(certs["bearings"]).geometry == ""


def bowtie():
    a = square_lonlat(200)
    (x0, y0), (x1, _), (_, y1) = a.exterior.coords[0], a.exterior.coords[1], a.exterior.coords[2]
    return Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1)])


@pytest.mark.parametrize(
    "case, expected",
    [
        ("unknown", "登记中没有不动产权证号「浙(2099)镇海区不动产权第9999999号」"),
        ("self_intersection", "自相交"),
        ("unreadable", "无法读取的几何图形"),
        ("far_away", "远在本区范围之外"),
        ("duplicate", "重复"),
        ("projected_without_crs", "请用 --crs 指定"),
        ("missing_key", "缺少不动产权证号"),
        ("point", "必须是面"),
    ],
)
def test_bad_rows_are_named_and_nothing_is_written(tmp_path, certs, case, expected):
    good = ({"certificate_no": certs["chemicals"]}, square_lonlat(290))
    bad = {
        "unknown": ({"certificate_no": "浙(2099)镇海区不动产权第9999999号"}, square_lonlat(200)),
        "self_intersection": ({"certificate_no": certs["bearings"]}, bowtie()),
        "unreadable": ({"certificate_no": certs["bearings"]}, {"type": "Polygon", "coordinates": [[1, 2]]}),
        "far_away": ({"certificate_no": certs["bearings"]}, square_lonlat(200, lon=116.4, lat=39.9)),
        "duplicate": ({"certificate_no": certs["chemicals"]}, square_lonlat(200)),
        "projected_without_crs": ({"certificate_no": certs["bearings"]}, square_gk(200)),
        "missing_key": ({}, square_lonlat(200)),
        "point": ({"certificate_no": certs["bearings"]}, {"type": "Point", "coordinates": [121.6, 29.97]}),
    }[case]
    path = geojson_file(tmp_path / "bad.geojson", [good, bad])
    code, out, err = run(path, "--apply")
    assert code != 0
    assert "第2个要素" in err and expected in err
    assert not LandParcel.objects.exclude(geometry="").exists()
    assert not ImportBatch.objects.filter(source=ImportBatch.Source.PARCELS).exists()


def test_empty_layer_is_refused(tmp_path, certs):
    code, _, err = run(geojson_file(tmp_path / "empty.geojson", []), "--apply")
    assert code != 0 and "图层为空" in err


def test_declared_crs_must_match(tmp_path, certs):
    path = geojson_file(
        tmp_path / "gk.geojson", [({"certificate_no": certs["bearings"]}, square_gk(200))], crs="EPSG:4549"
    )
    code, _, err = run(path)
    assert code != 0 and "EPSG:4549" in err and "不符" in err
    assert run(path, "--crs", "EPSG:4549")[0] == 0


def test_every_problem_of_the_file_is_listed(tmp_path, certs):
    path = geojson_file(
        tmp_path / "bad.geojson",
        [
            ({"certificate_no": "X-1"}, square_lonlat(100)),
            ({"certificate_no": certs["bearings"]}, bowtie()),
            ({"certificate_no": certs["chemicals"]}, square_lonlat(100, lon=100, lat=20)),
        ],
    )
    code, _, err = run(path)
    assert code != 0
    assert "第1个要素" in err and "第2个要素" in err and "第3个要素" in err and "3 个问题" in err


def test_zipped_shapefile(tmp_path, certs):
    path = shapefile_zip(
        tmp_path / "parcels.zip",
        [(certs["bearings"], square_gk(200)), (certs["chemicals"], square_gk(300, lat=30.03, lon=121.58))],
        prj=GK_ZONE,
    )
    code, out, err = run(path, "--crs", GK_ZONE, "--apply")
    assert code == 0, err
    assert parcel(certs["bearings"]).drawn_mu == Decimal("60.0000")
    # 300 m square = 135 亩 against 120.5: +12.0 %
    assert "+12.0%" in parcel(certs["chemicals"]).area_warning


def test_shapefile_whose_prj_disagrees_is_refused(tmp_path, certs):
    path = shapefile_zip(tmp_path / "parcels.zip", [(certs["bearings"], square_gk(200))], prj=GK_ZONE)
    code, _, err = run(path, "--apply")
    assert code != 0 and "坐标系" in err
    assert parcel(certs["bearings"]).geometry == ""


def test_shapefile_with_a_bad_shape_names_the_record(tmp_path, certs):
    path = shapefile_zip(
        tmp_path / "parcels.zip", [(certs["bearings"], square_lonlat(200)), ("nope", square_lonlat(90))]
    )
    code, _, err = run(path)
    assert code != 0 and "第2条记录" in err and "nope" in err


def test_zip_without_a_shapefile(tmp_path, certs):
    import zipfile

    path = tmp_path / "empty.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "nothing")
    code, _, err = run(path)
    assert code != 0 and "没有 Shapefile" in err


def test_spreadsheet_with_a_wkt_column(tmp_path, certs):
    path = wkt_xlsx(tmp_path / "parcels.xlsx", [(certs["bearings"], square_gk(200).wkt)])
    code, _, err = run(path, "--crs", GK_ZONE, "--apply")
    assert code == 0, err
    assert parcel(certs["bearings"]).drawn_mu == Decimal("60.0000")


def test_spreadsheet_rows_named_as_excel_shows_them(tmp_path, certs):
    path = wkt_csv(
        tmp_path / "parcels.csv",
        [(certs["bearings"], square_lonlat(200).wkt), (certs["chemicals"], "POLYGON((1 2, 3")],
    )
    code, _, err = run(path)
    assert code != 0 and "第3行" in err and "WKT" in err


def test_keyed_by_credit_code_when_the_holder_has_one_parcel(tmp_path, certs, district):
    path = geojson_file(tmp_path / "by-code.geojson", [({"uscc": district["bearings"].uscc}, square_gk(200))])
    code, _, err = run(path, "--crs", GK_ZONE, "--apply")
    assert code == 0, err
    assert parcel(certs["bearings"]).drawn_mu == Decimal("60.0000")
    unknown = geojson_file(tmp_path / "x.geojson", [({"uscc": district["garments"].uscc}, square_gk(200))])
    code, _, err = run(unknown, "--crs", GK_ZONE)
    assert code != 0 and "名下没有登记的宗地" in err


def test_same_file_twice_records_one_batch(tmp_path, certs):
    path = geojson_file(tmp_path / "gk.geojson", [({"certificate_no": certs["bearings"]}, square_gk(200))])
    assert run(path, "--crs", GK_ZONE, "--apply")[0] == 0
    code, out, _ = run(path, "--crs", GK_ZONE, "--apply")
    assert code == 0 and "没有需要写入的变更" in out
    assert ImportBatch.objects.filter(source=ImportBatch.Source.PARCELS).count() == 1


def test_rollback_puts_back_the_old_shape(tmp_path, certs):
    from zhuanxing.maps.services import parcel_shapes_rollback

    path = geojson_file(tmp_path / "gk.geojson", [({"certificate_no": certs["bearings"]}, square_gk(200))])
    run(path, "--crs", GK_ZONE, "--apply")
    parcel_shapes_rollback(actor=None, batch=ImportBatch.objects.get(source="parcels"))
    assert parcel(certs["bearings"]).geometry == "" and parcel(certs["bearings"]).drawn_mu is None
