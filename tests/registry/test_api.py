"""The registry JSON API: same rules as the pages, errors in Chinese."""

import json

import pytest

from tests.conftest import uscc_for
from zhuanxing.accounts.models import AuditEntry
from zhuanxing.registry.models import Enterprise


@pytest.mark.django_db
def test_anonymous_gets_401(district, client_for):
    response = client_for(None).get("/api/registry/enterprises")
    assert response.status_code == 401
    assert response.json()["detail"] == "请先登录"


@pytest.mark.django_db
def test_list_is_filtered_and_paginated(district, client_for):
    data = (
        client_for("bureau").get("/api/registry/enterprises", {"cluster": "equipment", "page_size": 1}).json()
    )
    assert data["count"] == 2 and data["pages"] == 2 and len(data["items"]) == 1
    assert data["items"][0]["industry"] in {"3451", "3482"}


@pytest.mark.django_db
def test_enterprise_user_sees_only_its_own(district, client_for):
    client = client_for("enterprise")
    data = client.get("/api/registry/enterprises").json()
    assert [item["uscc"] for item in data["items"]] == [district["bearings"].uscc]
    assert client.get(f"/api/registry/enterprises/{district['chemicals'].uscc}").status_code == 404
    detail = client.get(f"/api/registry/enterprises/{district['bearings'].uscc}").json()
    assert detail["name"] == "宁波恒达轴承有限公司" and detail["tags"] == ["高新技术企业"]


@pytest.mark.django_db
def test_experts_may_not_read_the_registry(district, client_for):
    assert client_for("expert").get("/api/registry/enterprises").status_code == 403


@pytest.mark.django_db
def test_staff_create_and_bad_input(district, client_for):
    client = client_for("bureau")
    good = {
        "uscc": uscc_for(90),
        "name": "宁波新创机械有限公司",
        "town": "骆驼街道",
        "industry": "3421",
        "scale": "规上",
    }
    response = client.post("/api/registry/enterprises", json.dumps(good), content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["industry_name"]
    bad = good | {
        "uscc": uscc_for(91)[:17] + "0" if uscc_for(91)[17] != "0" else uscc_for(91)[:17] + "1",
        "town": "月球街道",
    }
    response = client.post("/api/registry/enterprises", json.dumps(bad), content_type="application/json")
    assert response.status_code == 422
    assert "未知的镇街「月球街道」" in response.json()["detail"]
    assert Enterprise.objects.filter(name="宁波新创机械有限公司").count() == 1


@pytest.mark.django_db
def test_non_staff_cannot_create(district, client_for):
    body = json.dumps({"uscc": uscc_for(92), "name": "x", "town": "luotuo", "industry": "3421"})
    assert (
        client_for("town")
        .post("/api/registry/enterprises", body, content_type="application/json")
        .status_code
        == 403
    )


@pytest.mark.django_db
def test_patch_is_audited(district, client_for):
    response = client_for("bureau").patch(
        f"/api/registry/enterprises/{district['garments'].uscc}",
        json.dumps({"status": "停产", "reason": "企业报停"}),
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "停产"
    entry = AuditEntry.objects.get(action="企业修改")
    assert (entry.old, entry.new, entry.reason) == ({"status": "在营"}, {"status": "停产"}, "企业报停")


@pytest.mark.django_db
def test_openapi_docs_are_served(client_for):
    assert client_for(None).get("/api/docs").status_code == 200
    assert "/api/registry/enterprises" in client_for(None).get("/api/openapi.json").json()["paths"]
