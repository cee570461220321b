"""The JSON API: the same access rules and services as the pages."""

import json
from decimal import Decimal

import pytest

from tests.programs.conftest import BANK, submitted
from zhuanxing.programs.models import Application

pytestmark = pytest.mark.django_db


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_policies_in_plain_chinese(users, policy, client_for):
    listed = client_for("enterprise").get("/api/programs/policies").json()
    assert [p["code"] for p in listed] == ["test-policy-2024"]
    detail = client_for("enterprise").get(f"/api/programs/policies/{policy.pk}").json()
    tech = detail["clauses"][0]
    assert tech["eligible"] == "规模为“规上”" and tech["award"][0] == "按设备投资额的 6% 计算。"
    assert tech["fields"] == [
        {
            "id": "equipment_investment",
            "label": "设备投资额",
            "type": "number",
            "unit": "万元",
            "required": True,
        }
    ]
    assert client_for(None).get("/api/programs/policies").status_code == 401


def test_calculator(users, policy, client_for, district):
    url = f"/api/programs/policies/{policy.pk}/calculate"
    result = post(
        client_for("enterprise"), url, {"clause": "tech", "fields": {"equipment_investment": "5000"}}
    ).json()
    assert result["computed"] == "300.00"
    assert result["explanation"][-2:] == ["封顶 300 万元", "计算额 300.00 万元"]
    assert result["facts"]["high_tech"] is True
    missing = post(client_for("bureau"), url, {"clause": "tech", "fields": {}})
    assert missing.status_code == 422 and missing.json()["errors"] == {"uscc": ["请填写企业统一社会信用代码"]}
    bad = post(client_for("enterprise"), url, {"clause": "tech", "fields": {"equipment_investment": "x"}})
    assert bad.status_code == 422 and bad.json()["errors"] == {"equipment_investment": ["应为数字：「x」"]}
    assert post(client_for("reviewer"), url, {"clause": "tech"}).status_code == 403


def test_create_submit_list_and_detail(users, policy, client_for, district):
    firm = client_for("enterprise")
    body = {"policy_id": policy.pk, "clause": "tech", "fields": {"equipment_investment": "1000"}, **BANK}
    created = post(firm, "/api/programs/applications", body)
    assert created.status_code == 201
    data = created.json()
    assert (data["state"], data["computed"], data["uscc"]) == ("draft", "80.00", district["bearings"].uscc)
    submitted_ = post(firm, f"/api/programs/applications/{data['id']}/submit", {}).json()
    assert submitted_["state_label"] == "已提交（待镇街初审）"
    listed = firm.get("/api/programs/applications?state=submitted").json()
    assert listed["count"] == 1 and listed["items"][0]["number"] == data["number"]
    assert firm.get(f"/api/programs/applications/{data['id']}").json()["fields"] == {
        "equipment_investment": "1000"
    }
    # another town's official does not find it; a second submit is refused
    other = submitted(users, policy, enterprise=district["chemicals"], user=users["bureau"])
    assert client_for("town").get(f"/api/programs/applications/{other.pk}").status_code == 404
    again = post(firm, f"/api/programs/applications/{data['id']}/submit", {})
    assert again.status_code == 403 and "不能执行此操作" in again.json()["detail"]


def test_staff_apply_on_paper_for_a_named_enterprise(users, policy, client_for, district):
    body = {"policy_id": policy.pk, "clause": "tech", "fields": {"equipment_investment": "1000"}}
    staff = client_for("bureau")
    assert post(staff, "/api/programs/applications", body).status_code == 422
    created = post(staff, "/api/programs/applications", body | {"uscc": district["chemicals"].uscc}).json()
    assert (
        created["enterprise"] == "宁波澥浦精细化工有限公司"
        and created["computed_reasons"] == "研发投入未达标"
    )
    assert Application.objects.get().created_by == users["bureau"]
    assert post(client_for("town"), "/api/programs/applications", body).status_code == 403
    assert Decimal(created["computed"]) == 0
