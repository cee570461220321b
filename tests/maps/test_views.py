"""The map page and its data: filters, the low-efficiency totals, exports, a town official's view."""

from __future__ import annotations

import io
import json

import polars as pl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def data(client, **params):
    response = client.get("/map/data/", {"year": 2024, **params})
    assert response.status_code == 200, response.content.decode()
    return response.json()


def towns_by_name(body):
    return {t["name"]: t for t in body["towns"]}


def test_staff_see_both_towns_and_the_low_efficiency_land(mapped, client_for):
    body = data(client_for("bureau"))
    assert body["mode"] == "shapes" and body["count"] == 2
    towns = towns_by_name(body)
    # 澥浦精细化工 is D: its whole 120.50 亩 is C/D land, low-efficiency and would be freed
    assert towns["澥浦镇"]["cd_area"] == 120.5 and towns["澥浦镇"]["cd_share"] == 1.0
    assert towns["澥浦镇"]["low_count"] == 1
    assert towns["骆驼街道"]["low_count"] == 0
    # 亩均税收 of 骆驼街道: 1,300 万元 over 52 evaluated 亩 = 25.00
    assert towns["骆驼街道"]["tax_per_mu"] == pytest.approx(25.0)
    # a threshold of 30 万元/亩 adds 恒达轴承 (25.00) to the low-efficiency land
    towns = towns_by_name(data(client_for("bureau"), threshold=30))
    assert towns["骆驼街道"]["low_count"] == 1 and towns["骆驼街道"]["low_area"] == 60.0


def test_class_and_cluster_filters(mapped, client_for):
    assert data(client_for("bureau"), **{"class": "D"})["count"] == 1
    assert data(client_for("bureau"), cluster="equipment")["count"] == 1  # 轴承 3451
    response = client_for("bureau").get("/map/data/", {"year": 2024, "cluster": "nope"})
    assert response.status_code == 404 and "产业集群" in response.json()["detail"]


def test_town_official_gets_its_town_only(mapped, client_for):
    body = data(client_for("town"))
    assert body["count"] == 1 and [t["name"] for t in body["towns"]] == ["骆驼街道"]
    assert body["owners"] == [[mapped["bearings"].uscc, mapped["bearings"].name]]
    assert client_for("town").get("/map/data/", {"year": 2024, "town": mapped["xiepu"].pk}).status_code == 403
    page = client_for("town").get("/map/")
    assert page.status_code == 200
    assert [t["name"] for t in page.context["boundaries"]] == ["骆驼街道"]


def test_page_shows_unknown_year_as_a_message(mapped, client_for):
    response = client_for("bureau").get("/map/", {"year": 1999})
    assert response.status_code == 200
    assert "没有 1999 年度的数据" in response.content.decode()
    assert client_for("bureau").get("/map/data/", {"year": 1999}).status_code == 404


def test_page_names_the_run(mapped, client_for):
    html = client_for("bureau").get("/map/", {"year": 2024}).content.decode()
    assert "演示方案" in html and "leaflet/leaflet.js" in html and "<script>" not in html


def test_cells_when_a_view_holds_too_many_parcels(mapped, client_for, monkeypatch):
    from zhuanxing.maps import selectors

    monkeypatch.setattr(selectors, "MAX_SHAPES", 1)
    body = data(client_for("bureau"))
    assert body["mode"] == "cells" and sum(c[2] for c in body["cells"]) == 2


def test_bbox_limits_the_view_but_not_the_town_totals(mapped, client_for):
    body = data(client_for("bureau"), bbox="121.5,29.95,121.6,30.0", zoom=15)
    assert body["count"] == 1 and body["parcels"][0][1] == mapped["bearings_parcel"].certificate_no
    assert sum(t["count"] for t in body["towns"]) == 2


def test_data_queries_do_not_grow_with_parcels(mapped, client_for):
    client = client_for("bureau")
    data(client)  # warm the index
    with CaptureQueriesContext(connection) as queries:
        data(client)
    assert len(queries) <= 14


def test_xlsx_export_has_centroids(mapped, client_for):
    response = client_for("bureau").get("/map/export.xlsx", {"year": 2024, "layer": "low"})
    assert response.status_code == 200
    frame = pl.read_excel(io.BytesIO(response.content))
    assert frame["不动产权证号"].to_list() == [mapped["chemicals_parcel"].certificate_no]
    assert frame["评价等级"].to_list() == ["D"]
    assert 121.63 < frame["中心经度"][0] < 121.65 and 30.04 < frame["中心纬度"][0] < 30.05


def test_geojson_export_round_trips_through_the_import(mapped, client_for, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    response = client_for("bureau").get("/map/export.geojson", {"year": 2024})
    body = json.loads(b"".join(response.streaming_content) if response.streaming else response.content)
    assert len(body["features"]) == 2
    path = tmp_path / "view.geojson"
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    out = StringIO()
    call_command("import", "parcels", str(path), "--apply", stdout=out, stderr=StringIO())
    assert "没有需要写入的变更" in out.getvalue()
