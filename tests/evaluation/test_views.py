"""The evaluation pages as staff, town officials and enterprises use them."""

import io
import zipfile

import pytest
from django.urls import reverse

from tests.evaluation.fixtures import TEST_SCHEME
from zhuanxing.evaluation import services
from zhuanxing.evaluation.models import EvaluationRun, Objection

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(yearly_data, users):
    run = services.run_create(actor=users["bureau"], year=2024, scheme_text=TEST_SCHEME)
    return services.run_publish(actor=users["bureau"], run=run, days=7)


def test_staff_create_a_run_from_an_uploaded_scheme(yearly_data, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for("bureau").post(
        reverse("evaluation:run_create"),
        {
            "year": 2024,
            "scheme_id": "zhenhai-2014",
            "note": "",
            "scheme_file": SimpleUploadedFile("方案.yaml", TEST_SCHEME.encode()),
        },
    )
    run = EvaluationRun.objects.get()
    assert response.status_code == 302 and run.scheme_id == "test-scheme"


def test_a_bad_scheme_upload_shows_the_key_path(yearly_data, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = TEST_SCHEME.replace("thresholds:", "threshold:")
    response = client_for("bureau").post(
        reverse("evaluation:run_create"),
        {
            "year": 2024,
            "scheme_id": "zhenhai-2014",
            "scheme_file": SimpleUploadedFile("x.yaml", bad.encode()),
        },
    )
    assert response.status_code == 200
    assert "groups[0].classify" in response.content.decode()
    assert not EvaluationRun.objects.exists()


def test_results_filter_by_class_and_town(published, client_for):
    client = client_for("bureau")
    url = reverse("evaluation:run_detail", args=[published.pk])
    assert [r.enterprise.name for r in client.get(url, {"klass": "D"}).context["page"]] == [
        "宁波澥浦精细化工有限公司"
    ]
    assert [r.enterprise.name for r in client.get(url, {"town": "luotuo"}).context["page"]] == [
        "宁波恒达轴承有限公司"
    ]
    assert "3451 滚动轴承制造" in client.get(url).content.decode()  # the industry by its GB/T 4754 name


def test_town_official_sees_only_its_towns_results(published, client_for):
    response = client_for("town").get(reverse("evaluation:run_detail", args=[published.pk]))
    assert [r.enterprise.name for r in response.context["page"]] == ["宁波恒达轴承有限公司"]


def test_drafts_are_hidden_from_town_officials_and_enterprises(yearly_data, users, client_for):
    draft = services.run_create(actor=users["bureau"], year=2024, scheme_text=TEST_SCHEME)
    assert client_for("town").get(reverse("evaluation:run_detail", args=[draft.pk])).status_code == 404
    own = draft.results.get(enterprise=users["enterprise"].enterprise)
    assert client_for("enterprise").get(reverse("evaluation:report_card", args=[own.pk])).status_code == 404


def test_results_export_is_a_spreadsheet_with_chinese_headers(published, client_for):
    import polars as pl

    response = client_for("bureau").get(
        reverse("evaluation:run_detail", args=[published.pk]), {"format": "xlsx"}
    )
    frame = pl.read_excel(io.BytesIO(response.content))
    assert frame.columns[:5] == ["统一社会信用代码", "企业名称", "镇街", "行业代码", "评价组"]
    assert "亩均税收得分" in frame.columns and frame.height == 2


def test_list_query_count_does_not_grow_with_results(published, users, district, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("bureau")
    url = reverse("evaluation:run_detail", args=[published.pk])
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert len(queries.captured_queries) <= 15


def test_enterprise_objects_from_its_report_card(published, users, client_for):
    client = client_for("enterprise")
    own = published.results.get(enterprise=users["enterprise"].enterprise)
    page = client.get(reverse("evaluation:report_card", args=[own.pk])).content.decode()
    assert "亩均税收与基准持平" in page and "对评价数据提出异议" in page
    response = client.post(
        reverse("evaluation:objection_create", args=[own.pk]),
        {"field": "tax", "claimed_value": "800", "reason": "含一笔退税"},
        follow=True,
    )
    assert "异议已提交" in response.content.decode()
    assert Objection.objects.get().submitted_by == users["enterprise"]


def test_an_enterprise_cannot_object_to_another(published, users, district, client_for):
    other = published.results.get(enterprise=district["chemicals"])
    response = client_for("enterprise").post(
        reverse("evaluation:objection_create", args=[other.pk]), {"field": "tax", "reason": "x"}
    )
    assert response.status_code == 404
    assert not Objection.objects.exists()


def test_report_card_pdf_embeds_the_chinese_font(published, users, client_for):
    own = published.results.get(enterprise=users["enterprise"].enterprise)
    response = client_for("enterprise").get(reverse("evaluation:report_card_pdf", args=[own.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and b"WenQuanYiMicroHei" in response.content
    assert b"/FontFile2" in response.content  # the TrueType program is embedded, not referenced


def test_all_report_cards_as_one_zip(published, client_for):
    response = client_for("bureau").get(reverse("evaluation:report_cards_zip", args=[published.pk]))
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert len(names) == 2 and all(name.startswith("2024-") and name.endswith(".pdf") for name in names)


def test_policy_list_per_department(published, client_for):
    import polars as pl

    response = client_for("bureau").get(
        reverse("evaluation:policy_export", args=[published.pk]), {"department": "区发改局"}
    )
    frame = pl.read_excel(io.BytesIO(response.content))
    assert frame.get_column("企业名称").to_list() == ["宁波澥浦精细化工有限公司"]
    assert frame.get_column("金额（万元）").to_list() == [120.0]


def test_analysis_page_shows_charts_and_low_classes(published, client_for):
    import json

    body = client_for("bureau").get(reverse("evaluation:analysis")).content.decode()
    assert body.count('class="plotly-graph-div"') >= 3
    assert json.dumps("各镇街分类企业数")[1:-1] in body  # the chart title, as plotly writes it
    assert "宁波澥浦精细化工有限公司" in body
    assert 'data-plotly-src="/static/plotly/plotly.min.js"' in body and "cdn" not in body.lower()


def test_the_objection_form_closes_when_the_notice_ends(published, users, client_for):
    """The button asks the same rule the service enforces: 公示中 and not past its end date."""
    own = published.results.get(enterprise=users["enterprise"].enterprise)
    client = client_for("enterprise")
    url = reverse("evaluation:report_card", args=[own.pk])
    assert client.get(url).context["can_object"] is True
    EvaluationRun.objects.filter(pk=published.pk).update(
        publish_until=published.publish_until.replace(year=2020)
    )
    assert client.get(url).context["can_object"] is False


def test_a_new_run_opens_on_the_newest_year_with_data_and_the_districts_own_scheme(
    yearly_data, client_for, settings
):
    settings.ZHUANXING_DISTRICT_NAME = "镇海区"
    page = client_for("bureau").get(reverse("evaluation:run_create")).content.decode()
    assert '<option value="2024" selected>2024年度</option>' in page  # the fixture's data year
    assert 'value="zhenhai-2014" selected>' in page

    settings.ZHUANXING_DISTRICT_NAME = "黄岩区"
    page = client_for("bureau").get(reverse("evaluation:run_create")).content.decode()
    assert 'value="huangyan-2022" selected>' in page and 'value="zhenhai-2014" selected' not in page


def test_the_objection_list_names_the_field_by_its_label(published, users, client_for):
    own = published.results.get(enterprise=users["enterprise"].enterprise)
    for field in ("social_insurance", "land_mu"):
        services.objection_submit(
            actor=users["enterprise"],
            result=own,
            field=field,
            claimed_value="10",
            reason="数据有误",
            today=published.publish_until,
        )
    body = client_for("bureau").get(reverse("evaluation:objection_list")).content.decode()
    assert "<td>社保费</td>" in body and "<td>用地面积</td>" in body
    assert "social_insurance" not in body and "<td>land_mu</td>" not in body
    card = client_for("enterprise").get(reverse("evaluation:report_card", args=[own.pk])).content.decode()
    assert "<td>社保费</td>" in card and "<td>social_insurance</td>" not in card  # its own objections


def test_the_low_class_list_shows_the_worst_first(published, client_for):
    """腾笼换鸟 targets: D before C (after any re-grading), then the lowest total."""
    results = published.results
    bearings = results.get(enterprise__name="宁波恒达轴承有限公司")
    chemicals = results.get(enterprise__name="宁波澥浦精细化工有限公司")
    results.filter(pk=bearings.pk).update(computed_class="C", total=55, rank=1)
    results.filter(pk=chemicals.pk).update(computed_class="C", total=20, rank=2)

    def listed() -> list[str]:
        body = client_for("bureau").get(reverse("evaluation:analysis")).content.decode()
        table = body[body.index('id="low-class"') :]
        return sorted(["宁波恒达轴承有限公司", "宁波澥浦精细化工有限公司"], key=table.index)

    assert listed() == ["宁波澥浦精细化工有限公司", "宁波恒达轴承有限公司"]  # lower total first
    results.filter(pk=bearings.pk).update(regraded_class="D")
    assert listed() == ["宁波恒达轴承有限公司", "宁波澥浦精细化工有限公司"]  # D, though re-graded


def test_the_analysis_of_a_year_without_results_says_so_instead_of_drawing_empty_axes(published, client_for):
    published.results.all().delete()
    body = client_for("bureau").get(reverse("evaluation:analysis")).content.decode()
    assert body.count("暂无数据") >= 2  # the town and the industry chart
    assert "各镇街分类企业数" in body and 'class="plotly-graph-div"' not in body
