"""Map fixtures, shared with the browser tests (see tests/conftest.py pytest_plugins)."""

import pytest


@pytest.fixture
def mapped(district, tmp_path):
    """The district's two towns with boundaries (from the shipped file), both parcels drawn,
    yearly tax, and a published 2024 run: 恒达轴承 B, 澥浦精细化工 D."""
    import json
    from decimal import Decimal

    from tests.maps.files import GK_ZONE, geojson_file, square_gk
    from zhuanxing.evaluation.models import EvaluationResult, EvaluationRun
    from zhuanxing.maps.demo import TOWNS_FILE
    from zhuanxing.maps.services import parcel_shapes_apply, town_boundaries_load
    from zhuanxing.registry.models import AnnualData, LandParcel

    shipped = json.loads(TOWNS_FILE.read_text(encoding="utf-8"))
    shipped["features"] = [f for f in shipped["features"] if f["properties"]["code"] in ("luotuo", "xiepu")]
    towns = tmp_path / "towns.geojson"
    towns.write_text(json.dumps(shipped, ensure_ascii=False), encoding="utf-8")
    town_boundaries_load(actor=None, path=towns)
    bearings, chemicals = LandParcel.objects.order_by("certificate_no")
    shapes = geojson_file(
        tmp_path / "parcels.geojson",
        [
            ({"certificate_no": bearings.certificate_no}, square_gk(200, lon=121.55, lat=29.98)),
            ({"certificate_no": chemicals.certificate_no}, square_gk(284, lon=121.64, lat=30.045)),
        ],
    )
    parcel_shapes_apply(actor=None, path=shapes, file_name=shapes.name, crs=GK_ZONE)
    AnnualData.objects.create(
        enterprise=district["bearings"], year=2024, tax=Decimal("1300"), value_added=Decimal("5200")
    )
    AnnualData.objects.create(enterprise=district["chemicals"], year=2024, tax=Decimal("241"))
    run = EvaluationRun.objects.create(
        year=2024, scheme_id="s", scheme_name="演示方案", scheme_text="", state=EvaluationRun.State.PUBLISHED
    )
    EvaluationResult.objects.create(run=run, enterprise=district["bearings"], group="g", computed_class="B")
    EvaluationResult.objects.create(run=run, enterprise=district["chemicals"], group="g", computed_class="D")
    return district | {"run": run, "bearings_parcel": bearings, "chemicals_parcel": chemicals}
