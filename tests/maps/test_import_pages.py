"""The shape import on the site: upload → check and preview (warnings, problems) → confirm."""

from __future__ import annotations

import pytest

from tests.maps.files import GK_ZONE, geojson_file, square_gk
from zhuanxing.registry.models import ImportBatch, LandParcel

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(client, path, crs=""):
    with open(path, "rb") as handle:
        return client.post("/map/import/", {"file": handle, "crs": crs})


def test_preview_shows_the_warning_then_confirm_writes_one_batch(tmp_path, certs, client_for):
    client = client_for("bureau")
    path = geojson_file(tmp_path / "big.geojson", [({"certificate_no": certs["bearings"]}, square_gk(220))])
    response = upload(client, path, GK_ZONE)
    assert response.status_code == 302
    preview = client.get(response["Location"])
    html = preview.content.decode()
    assert certs["bearings"] in html and "+21.0%" in html and "确认导入" in html
    assert LandParcel.objects.get(certificate_no=certs["bearings"]).geometry == ""
    done = client.post(response["Location"])
    assert done.status_code == 302
    assert ImportBatch.objects.filter(source=ImportBatch.Source.PARCELS).count() == 1
    assert "+21.0%" in LandParcel.objects.get(certificate_no=certs["bearings"]).area_warning


def test_problems_are_listed_and_there_is_no_confirm(tmp_path, certs, client_for):
    client = client_for("bureau")
    path = geojson_file(tmp_path / "x.geojson", [({"certificate_no": "X-9"}, square_gk(100))])
    response = upload(client, path, GK_ZONE)
    html = client.get(response["Location"]).content.decode()
    assert "登记中没有不动产权证号「X-9」" in html and "确认导入" not in html


def test_bad_crs_is_refused_by_the_form(tmp_path, certs, client_for):
    path = geojson_file(tmp_path / "x.geojson", [({"certificate_no": certs["bearings"]}, square_gk(100))])
    response = upload(client_for("bureau"), path, "EPSG:nonsense")
    assert response.status_code == 200 and "无法识别的坐标系" in response.content.decode()


def test_another_session_cannot_confirm(tmp_path, certs, client_for):
    path = geojson_file(tmp_path / "gk.geojson", [({"certificate_no": certs["bearings"]}, square_gk(200))])
    location = upload(client_for("bureau"), path, GK_ZONE)["Location"]
    assert client_for("admin").post(location).status_code == 404
    assert not ImportBatch.objects.filter(source=ImportBatch.Source.PARCELS).exists()


def test_batch_page_rolls_a_shape_batch_back(tmp_path, certs, client_for):
    client = client_for("bureau")
    path = geojson_file(tmp_path / "gk.geojson", [({"certificate_no": certs["bearings"]}, square_gk(200))])
    client.post(upload(client, path, GK_ZONE)["Location"])
    batch = ImportBatch.objects.get(source=ImportBatch.Source.PARCELS)
    assert "宗地图形" in client.get(f"/imports/batches/{batch.pk}/").content.decode()
    client.post(f"/imports/batches/{batch.pk}/rollback/", {"reason": "界线有误"})
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.ROLLED_BACK
    assert LandParcel.objects.get(certificate_no=certs["bearings"]).geometry == ""
