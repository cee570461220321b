"""The enterprise pages, as each role sees them."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import uscc_for
from zhuanxing.registry import services
from zhuanxing.registry.models import Enterprise, ImportBatch


@pytest.mark.django_db
def test_staff_list_searches_by_name_and_code(district, client_for):
    client = client_for("bureau")
    page = client.get(reverse("registry:enterprise_list"), {"q": "轴承"}).content.decode()
    assert "宁波恒达轴承有限公司" in page and "精细化工" not in page
    page = client.get(reverse("registry:enterprise_list"), {"q": uscc_for(2).lower()}).content.decode()
    assert "宁波澥浦精细化工有限公司" in page and "轴承" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"town": "xiepu"}, {"宁波澥浦精细化工有限公司", "宁波庄市制衣有限公司"}),
        ({"cluster": "equipment"}, {"宁波恒达轴承有限公司", "宁波骆驼紧固件厂"}),
        ({"industry": "26"}, {"宁波澥浦精细化工有限公司"}),
        ({"scale": "规下", "town": "luotuo"}, {"宁波骆驼紧固件厂"}),
        ({"tag": "高新技术企业"}, {"宁波恒达轴承有限公司"}),
    ],
)
def test_filters(district, client_for, params, expected):
    response = client_for("bureau").get(reverse("registry:enterprise_list"), params)
    shown = {e.name for e in response.context["page"]}
    assert shown == expected


@pytest.mark.django_db
def test_the_list_sorts_by_a_chosen_column_and_ignores_an_unknown_one(district, client_for):
    def names(sort: str) -> list[str]:
        response = client_for("bureau").get(reverse("registry:enterprise_list"), {"sort": sort})
        return [e.name for e in response.context["page"]]

    assert names("industry") == [
        "宁波庄市制衣有限公司",
        "宁波澥浦精细化工有限公司",
        "宁波恒达轴承有限公司",
        "宁波骆驼紧固件厂",
    ]
    assert names("-founded")[:2] == ["宁波恒达轴承有限公司", "宁波澥浦精细化工有限公司"]  # 2003, 1998
    first_town = {"宁波恒达轴承有限公司", "宁波骆驼紧固件厂"}
    assert set(names("town")[:2]) == first_town  # 骆驼街道 (order 1) first
    assert names("name; drop table") == names("name") == names("")


@pytest.mark.django_db
def test_town_official_and_enterprise_user_see_only_theirs(district, client_for):
    town_page = client_for("town").get(reverse("registry:enterprise_list"))
    assert {e.name for e in town_page.context["page"]} == {"宁波恒达轴承有限公司", "宁波骆驼紧固件厂"}
    own_page = client_for("enterprise").get(reverse("registry:enterprise_list"))
    assert {e.name for e in own_page.context["page"]} == {"宁波恒达轴承有限公司"}
    other = reverse("registry:enterprise_detail", args=[district["chemicals"].uscc])
    assert client_for("enterprise").get(other).status_code == 404
    assert client_for("town").get(other).status_code == 404


@pytest.mark.django_db
def test_list_page_query_count_does_not_grow_with_rows(district, client_for):
    client = client_for("bureau")
    url = reverse("registry:enterprise_list")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(100, 160):
        services.enterprise_create(
            actor=None,
            uscc=uscc_for(number),
            name=f"批量企业{number}",
            town="luotuo",
            industry="3451",
            tags=["专精特新"],
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["page"]) == 50
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(many.captured_queries) <= 12


@pytest.mark.django_db
def test_htmx_request_gets_only_the_table(district, client_for):
    response = client_for("bureau").get(
        reverse("registry:enterprise_list"), {"q": "化工"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "<table" in body and "<html" not in body and "宁波澥浦精细化工有限公司" in body


@pytest.mark.django_db
def test_detail_shows_yearly_figures_with_their_source(district, client_for):
    batch = ImportBatch.objects.create(source=ImportBatch.Source.TAX, year=2024, file_name="2024税务.xlsx")
    services.annual_values_set(
        batch=batch, enterprise=district["bearings"], year=2024, values={"tax": Decimal("1234.5")}
    )
    response = client_for("enterprise").get(
        reverse("registry:enterprise_detail", args=[district["bearings"].uscc])
    )
    body = response.content.decode()
    assert "1,234.50" in body and "税务 · 2024税务.xlsx" in body  # 万元 with separators, 2 decimals
    assert "浙(2010)镇海区不动产权第0000001号" in body and "宁波骆驼紧固件厂" in body  # land and its lease


@pytest.mark.django_db
def test_staff_create_form_refuses_a_bad_code_in_chinese(district, client_for):
    response = client_for("bureau").post(
        reverse("registry:enterprise_create"),
        {
            "uscc": "91330211MA2000077A",
            "name": "新企业",
            "town": district["luotuo"].pk,
            "industry": "3451",
            "scale": "规上",
            "status": "在营",
        },
    )
    assert response.status_code == 200
    assert "校验位错误" in response.content.decode()
    assert not Enterprise.objects.filter(name="新企业").exists()


@pytest.mark.django_db
def test_staff_create_form_saves_and_redirects(district, client_for):
    response = client_for("bureau").post(
        reverse("registry:enterprise_create"),
        {
            "uscc": uscc_for(77),
            "name": "新企业",
            "town": district["luotuo"].pk,
            "industry": "3451",
            "scale": "规上",
            "status": "在营",
            "tags": "专精特新，高新技术企业",
        },
    )
    assert response.status_code == 302
    assert set(Enterprise.objects.get(name="新企业").tags.values_list("name", flat=True)) == {
        "专精特新",
        "高新技术企业",
    }


@pytest.mark.django_db
def test_detail_formats_figures_by_unit_and_names_changed_fields(district, client_for):
    first = ImportBatch.objects.create(source=ImportBatch.Source.TAX, year=2024, file_name="一.xlsx")
    services.annual_values_set(
        batch=first, enterprise=district["bearings"], year=2024, values={"tax": Decimal("1234.5")}
    )
    second = ImportBatch.objects.create(source=ImportBatch.Source.TAX, year=2024, file_name="二.xlsx")
    services.annual_values_set(
        batch=second,
        enterprise=district["bearings"],
        year=2024,
        values={"tax": Decimal("16881.85"), "employees": 659000},
    )
    body = (
        client_for("bureau")
        .get(reverse("registry:enterprise_detail", args=[district["bearings"].uscc]))
        .content.decode()
    )
    assert "16,881.85" in body and "659,000" in body and "659,000.00" not in body  # people are counted
    history = body[body.index("数据变更历史") :]
    assert "<td>实缴税金</td>" in history and "<td>tax</td>" not in history
    assert "1,234.50" in history
    assert "规上" in body  # the scale by its label
