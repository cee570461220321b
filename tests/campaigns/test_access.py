"""Who keeps which records: staff all, a town official its own town's, an enterprise user reads its own."""

import pytest
from django.urls import reverse

from tests.campaigns.conftest import project_cells
from zhuanxing.campaigns.models import AutomationProject, TrainingClass

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects(district, save):
    return {
        "own": save("automation", project_cells(district["bearings"], name="骆驼的项目")),
        "other": save("automation", project_cells(district["chemicals"], name="澥浦的项目")),
    }


def test_town_official_keeps_only_its_towns_records(district, projects, client_for):
    client = client_for("town")
    listed = client.get(reverse("campaigns:record_list", args=["automation"])).content.decode()
    assert "骆驼的项目" in listed and "澥浦的项目" not in listed
    own = reverse("campaigns:record_edit", args=["automation", projects["own"].pk])
    response = client.post(own, project_cells(district["bearings"], name="骆驼的项目", staff_after="30"))
    assert response.status_code == 302
    projects["own"].refresh_from_db()
    assert projects["own"].staff_after == 30
    other = reverse("campaigns:record_edit", args=["automation", projects["other"].pk])
    assert client.get(other).status_code == 404
    assert client.post(other, project_cells(district["chemicals"])).status_code == 404


def test_town_official_cannot_register_or_move_records_to_another_town(district, projects, client_for):
    client = client_for("town")
    response = client.post(
        reverse("campaigns:record_create", args=["automation"]),
        project_cells(district["chemicals"], name="越界的项目"),
    )
    assert response.status_code == 200
    assert "只能登记本镇街企业的记录" in response.content.decode()
    own = reverse("campaigns:record_edit", args=["automation", projects["own"].pk])
    response = client.post(own, project_cells(district["chemicals"], name="骆驼的项目"))
    assert "只能登记本镇街企业的记录" in response.content.decode()
    assert not AutomationProject.objects.filter(name="越界的项目").exists()
    assert projects["own"].enterprise == district["bearings"]
    api = client.post(
        "/api/campaigns/records/automation",
        {"values": project_cells(district["chemicals"], name="越界的项目")},
        content_type="application/json",
    )
    assert api.status_code == 403 and api.json()["detail"] == "只能登记本镇街企业的记录"
    patch = client.patch(
        f"/api/campaigns/records/automation/{projects['other'].pk}",
        {"values": {"staff_after": "1"}},
        content_type="application/json",
    )
    assert patch.status_code == 404


def test_enterprise_user_sees_its_own_records_and_changes_none(district, projects, client_for):
    client = client_for("enterprise")
    listed = client.get(reverse("campaigns:record_list", args=["automation"])).content.decode()
    assert "骆驼的项目" in listed and "澥浦的项目" not in listed and "编辑" not in listed
    items = client.get("/api/campaigns/records/automation").json()["items"]
    assert [item["values"]["name"] for item in items] == ["骆驼的项目"]
    assert (
        client.get(reverse("campaigns:record_edit", args=["automation", projects["own"].pk])).status_code
        == 403
    )
    assert client.get(reverse("campaigns:record_create", args=["automation"])).status_code == 403
    # district-wide lists (no enterprise of their own) are for officials
    assert client.get(reverse("campaigns:record_list", args=["training-classes"])).status_code == 403
    exported = client.get(reverse("campaigns:record_export", args=["automation"]))
    assert exported.status_code == 200 and exported["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )


def test_district_wide_lists_are_read_by_town_officials_and_kept_by_staff(district, save, client_for):
    save(
        "training-classes",
        {"base": "精益人才培育基地", "name": "制造业工程技术突破班", "year": "2024", "trainees": "40"},
    )
    client = client_for("town")
    assert (
        "制造业工程技术突破班"
        in client.get(reverse("campaigns:record_list", args=["training-classes"])).content.decode()
    )
    assert client.get(reverse("campaigns:record_create", args=["training-classes"])).status_code == 403
    record = TrainingClass.objects.get()
    assert (
        client.get(reverse("campaigns:record_edit", args=["training-classes", record.pk])).status_code == 403
    )
    assert client.get(reverse("campaigns:record_create", args=["targets"])).status_code == 403
    assert client_for("bureau").get(reverse("campaigns:record_create", args=["targets"])).status_code == 200


def test_staff_keep_everything_and_delete_with_a_reason(district, projects, client_for):
    client = client_for("bureau")
    other = projects["other"]
    response = client.post(reverse("campaigns:record_delete", args=["automation", other.pk]), {"reason": ""})
    assert response.status_code == 302 and AutomationProject.objects.filter(pk=other.pk).exists()
    client.post(reverse("campaigns:record_delete", args=["automation", other.pk]), {"reason": "重复登记"})
    assert not AutomationProject.objects.filter(pk=other.pk).exists()
    assert client_for("expert").get(reverse("campaigns:index")).status_code == 403
