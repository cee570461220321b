"""一企一档: the sections, the reader's role, and a bounded number of queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhuanxing.campaigns.models import AutomationProject, ExitAction, Recognition, RecognitionLevel
from zhuanxing.registry.models import AnnualData

pytestmark = pytest.mark.django_db
SECTIONS = {
    "registry",
    "land",
    "years",
    "evaluations",
    "class_transitions",
    "recognitions",
    "applications",
    "demands",
    "invitations",
    "contracts",
    "campaigns",
    "warnings",
}


def _records(district, years=3):
    bearings = district["bearings"]
    for year in range(2020, 2020 + years):
        AnnualData.objects.create(enterprise=bearings, year=year, tax=Decimal(100 + year - 2020))
        AutomationProject.objects.create(
            enterprise=bearings,
            name=f"改造{year}",
            year=year,
            investment=Decimal(10),
            staff_before=9,
            staff_after=6,
        )
        ExitAction.objects.create(enterprise=bearings, action=ExitAction.Action.UPGRADE, year=year)
    level = RecognitionLevel.objects.get(kind__code="engineering-centre", name="市级")
    Recognition.objects.create(enterprise=bearings, kind=level.kind, level=level, year=2021)


def test_dossier_sections_by_api_with_the_industry_name(client_for, district):
    _records(district)
    body = client_for("enterprise").get(f"/api/enterprises/{district['bearings'].pk}/dossier").json()
    assert set(body) == SECTIONS
    assert body["registry"]["industry_code"] == "3451" and body["registry"]["industry_name"] == "滚动轴承制造"
    assert body["land"]["total_mu"] == 60.0
    assert [row["year"] for row in body["years"]] == [2022, 2021, 2020]
    assert (
        body["recognitions"][0]["kind"] == "工程（技术）中心" and body["recognitions"][0]["level"] == "市级"
    )
    assert (
        len(body["campaigns"]["automation"]) == 3 and body["campaigns"]["automation"][0]["jobs_reduced"] == 3
    )


def test_an_enterprise_user_cannot_read_another_dossier(client_for, district):
    other = district["chemicals"].pk
    assert client_for("enterprise").get(f"/api/enterprises/{other}/dossier").status_code == 404
    assert client_for("enterprise").get(f"/dossier/{other}/").status_code == 404
    # the town official (骆驼街道) reads its town's, not 澥浦镇's
    assert client_for("town").get(f"/dossier/{district['bearings'].pk}/").status_code == 200
    assert client_for("town").get(f"/api/enterprises/{other}/dossier").status_code == 404


def test_page_shows_the_sections_and_is_linked_from_the_enterprise_page(client_for, district):
    _records(district)
    client = client_for("bureau")
    page = client.get(f"/enterprises/{district['bearings'].uscc}/").content.decode()
    assert f'href="/dossier/{district["bearings"].pk}/"' in page
    html = client.get(f"/dossier/{district['bearings'].pk}/").content.decode()
    assert "滚动轴承制造" in html and "改造2021" in html and "暂无预警" in html


def test_query_count_does_not_grow_with_the_records(client_for, district):
    client = client_for("bureau")
    url = f"/dossier/{district['bearings'].pk}/"
    _records(district, years=1)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    AnnualData.objects.all().delete()
    AutomationProject.objects.all().delete()
    ExitAction.objects.all().delete()
    Recognition.objects.all().delete()
    _records(district, years=5)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few) and len(few) < 40
