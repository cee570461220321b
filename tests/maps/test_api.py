"""``GET /api/map/parcels``: the contract's GeoJSON, a town official's view, unknown years and runs."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.maps.files import GK_ZONE, geojson_file, square_gk
from zhuanxing.maps.services import parcel_shapes_apply
from zhuanxing.registry.models import AnnualData

pytestmark = pytest.mark.django_db

PROPERTIES = {"certificate_no", "enterprise", "declared_mu", "drawn_mu", "class", "tax_per_mu"}


@pytest.fixture
def drawn(tmp_path, district, certs):
    path = geojson_file(
        tmp_path / "gk.geojson",
        [
            ({"certificate_no": certs["bearings"]}, square_gk(200)),
            ({"certificate_no": certs["chemicals"]}, square_gk(300, lon=121.58, lat=30.04)),
        ],
    )
    parcel_shapes_apply(actor=None, path=path, file_name=path.name, crs=GK_ZONE)
    # 恒达轴承: 60 亩 own − 8 let to 紧固件厂 = 52 亩 evaluated; 1,300 万元 tax → 25.00 万元/亩
    AnnualData.objects.create(enterprise=district["bearings"], year=2024, tax=Decimal("1300"))
    AnnualData.objects.create(enterprise=district["chemicals"], year=2024, tax=Decimal("241"))
    return district


def features(response):
    assert response.status_code == 200, response.content.decode()
    body = response.json()
    assert body["type"] == "FeatureCollection"
    return {f["properties"]["certificate_no"]: f for f in body["features"]}


def test_feature_collection_with_exactly_the_contract_properties(drawn, certs, client_for):
    found = features(client_for("bureau").get("/api/map/parcels", {"year": 2024}))
    assert set(found) == {certs["bearings"], certs["chemicals"]}
    bearings = found[certs["bearings"]]
    assert set(bearings["properties"]) == PROPERTIES
    assert bearings["properties"] == {
        "certificate_no": certs["bearings"],
        "enterprise": drawn["bearings"].uscc,
        "declared_mu": 60.0,
        "drawn_mu": 60.0,
        "class": None,
        "tax_per_mu": 25.0,
    }
    lon, lat = bearings["geometry"]["coordinates"][0][0]
    assert 121.5 < lon < 121.7 and 29.9 < lat < 30.0
    # 120.5 亩 and 241 万元 → 2.00 万元/亩; a 300 m square is 135 亩
    assert found[certs["chemicals"]]["properties"]["tax_per_mu"] == 2.0
    assert found[certs["chemicals"]]["properties"]["drawn_mu"] == 135.0


def test_class_from_the_latest_published_or_final_run(drawn, certs, client_for):
    from zhuanxing.evaluation.models import EvaluationResult, EvaluationRun

    def run(version, state, cls):
        r = EvaluationRun.objects.create(
            year=2024, version=version, scheme_id="s", scheme_name="s", scheme_text="", state=state
        )
        EvaluationResult.objects.create(run=r, enterprise=drawn["bearings"], group="g", computed_class=cls)
        return r

    run(1, EvaluationRun.State.FINAL, "B")
    draft = run(2, EvaluationRun.State.DRAFT, "A")
    found = features(client_for("bureau").get("/api/map/parcels", {"year": 2024}))
    assert found[certs["bearings"]]["properties"]["class"] == "B"  # a draft never shows
    assert found[certs["chemicals"]]["properties"]["class"] is None
    published = run(3, EvaluationRun.State.PUBLISHED, "D")
    found = features(client_for("bureau").get("/api/map/parcels", {"year": 2024}))
    assert found[certs["bearings"]]["properties"]["class"] == "D"
    response = client_for("bureau").get("/api/map/parcels", {"year": 2024, "run": draft.pk})
    assert response.status_code == 404 and "评价批次" in response.json()["detail"]
    assert features(client_for("bureau").get("/api/map/parcels", {"year": 2024, "run": published.pk}))


def test_town_official_sees_only_its_town(drawn, certs, client_for):
    found = features(client_for("town").get("/api/map/parcels", {"year": 2024}))
    assert set(found) == {certs["bearings"]}  # 骆驼街道's parcel only
    other = client_for("town").get("/api/map/parcels", {"year": 2024, "town": drawn["xiepu"].pk})
    assert other.status_code == 403 and other.json()["detail"]
    staff = features(client_for("bureau").get("/api/map/parcels", {"year": 2024, "town": drawn["xiepu"].pk}))
    assert set(staff) == {certs["chemicals"]}


def test_unknown_year_is_a_clear_message(drawn, client_for):
    response = client_for("bureau").get("/api/map/parcels", {"year": 1999})
    assert response.status_code == 404
    assert (
        response.json()["detail"].startswith("没有 1999 年度的数据") and "2024" in response.json()["detail"]
    )


def test_enterprise_users_do_not_see_the_map(drawn, client_for):
    assert client_for("enterprise").get("/api/map/parcels", {"year": 2024}).status_code == 403


def test_export_round_trips_through_the_import(drawn, certs, client_for, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    from zhuanxing.registry.models import LandParcel

    before = dict(LandParcel.objects.values_list("certificate_no", "geometry"))
    exported = tmp_path / "export.geojson"
    exported.write_bytes(client_for("bureau").get("/api/map/parcels", {"year": 2024}).content)
    out = StringIO()
    call_command("import", "parcels", str(exported), "--apply", stdout=out, stderr=StringIO())
    assert "新增或改变 0" in out.getvalue() and "没有需要写入的变更" in out.getvalue()
    assert dict(LandParcel.objects.values_list("certificate_no", "geometry")) == before
