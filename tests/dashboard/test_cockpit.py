"""The cockpit page, its API contract, the xlsx and the PDF."""

from __future__ import annotations

import io

import polars as pl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhuanxing.campaigns.models import TrainingClass
from zhuanxing.dashboard.figures import FIGURES

pytestmark = pytest.mark.django_db


def test_api_contract_and_null_for_a_year_without_data(client_for, district):
    TrainingClass.objects.create(base="精益人才培育基地", name="第一期", year=2014, trainees=40)
    response = client_for("bureau").get("/api/cockpit?year=2014")
    assert response.status_code == 200
    body = response.json()
    assert body["year"] == 2014 and [f["code"] for f in body["figures"]] == list(FIGURES)
    classes = next(f for f in body["figures"] if f["code"] == "talent.training_classes")
    assert (classes["value"], classes["previous"], classes["unit"]) == (1, None, "班")
    assert classes["link"] == "/campaigns/training-classes/?year=2014"
    assert classes["parts"] == [{"label": "学员人数", "value": 40}]
    for figure in body["figures"]:
        assert {"code", "label", "unit", "value", "previous", "link"} <= set(figure)
    empty = client_for("bureau").get("/api/cockpit?year=1995").json()
    assert all(f["value"] is None for f in empty["figures"])


def test_api_is_for_staff_and_a_bad_town_is_404(client_for, district):
    assert client_for("town").get("/api/cockpit?year=2014").status_code == 403
    missing = client_for("bureau").get("/api/cockpit?year=2014&town=99999")
    assert missing.status_code == 404 and missing.json()["detail"] == "没有这个镇街"
    town = district["luotuo"].pk
    assert client_for("bureau").get(f"/api/cockpit?year=2014&town={town}").status_code == 200


def test_page_shows_no_data_and_links_each_figure(client_for, district):
    page = client_for("bureau").get("/cockpit/?year=1995")
    html = page.content.decode()
    assert page.status_code == 200 and "1995 年暂无数据" in html
    assert html.count("暂无数据") > len(FIGURES)  # every value cell and the charts
    assert 'href="/campaigns/training-classes/?year=1995"' in html


def test_page_query_count_is_bounded(client_for, district):
    client = client_for("bureau")
    client.get("/cockpit/?year=2014")
    with CaptureQueriesContext(connection) as queries:
        client.get("/cockpit/?year=2014")
    assert len(queries) < 250  # about two queries per figure and year, not per record


def test_xlsx_and_pdf(client_for, district):
    TrainingClass.objects.create(base="精益人才培育基地", name="第一期", year=2014, trainees=40)
    response = client_for("bureau").get("/cockpit/cockpit.xlsx?year=2014")
    frame = pl.read_excel(io.BytesIO(response.content), infer_schema_length=0)
    rows = {row["指标代码"]: row for row in frame.to_dicts()}
    assert len(rows) == len(FIGURES)
    assert float(rows["talent.training_classes"]["2014年"]) == 1
    assert rows["park.enterprises"]["2014年"] == "暂无数据"
    pdf = client_for("bureau").get("/cockpit/cockpit.pdf?year=2014")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_opens_on_the_newest_year_of_departments_data(client_for, district, yearly_data):
    """A training class recorded for a later year (no departments' data yet) does not move the
    default: the bureau opens the cockpit on the year its figures are for."""
    TrainingClass.objects.create(base="精益人才培育基地", name="第九期", year=2030, trainees=10)
    assert client_for("bureau").get("/api/cockpit").json()["year"] == 2024  # the fixture's tax year
    assert "2024 年转型升级驾驶舱" in client_for("bureau").get("/cockpit/").content.decode()
