"""Each kind of campaign record, entered as a form or the API enters it; bad input refused whole."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.campaigns.conftest import project_cells
from zhuanxing.accounts.models import AuditEntry
from zhuanxing.campaigns import services
from zhuanxing.campaigns.models import (
    AutomationProject,
    CapacityElimination,
    EcommercePark,
    SpaceRenovation,
    Target,
    TradingPlatform,
)
from zhuanxing.campaigns.records import SPECS

pytestmark = pytest.mark.django_db


def test_automation_project(district, save):
    project = save("automation", project_cells(district["bearings"], award_application_ref="JQHR-2025-031"))
    assert project.enterprise == district["bearings"] and project.jobs_reduced == 8
    assert project.investment == Decimal(500) and project.status == "实施中"
    assert project.award_application_ref == "JQHR-2025-031"
    entry = AuditEntry.objects.get(object_type="campaigns.automationproject")
    assert entry.action == "机器换人项目新增" and entry.new["staff_before"] == 40


def test_enterprise_by_name_or_code_and_both_must_agree(district, save):
    project = save(
        "automation", project_cells(district["bearings"], uscc="", enterprise_name="宁波恒达轴承有限公司")
    )
    assert project.enterprise == district["bearings"]
    with pytest.raises(ValidationError) as error:
        save(
            "automation",
            project_cells(district["bearings"], enterprise_name="宁波骆驼紧固件厂", name="另一个"),
        )
    assert error.value.message_dict["enterprise_name"] == [
        "「企业名称」「宁波骆驼紧固件厂」：与信用代码对应的企业「宁波恒达轴承有限公司」不一致"
    ]


def test_staff_after_more_than_before_is_not_a_reduction(district, save):
    with pytest.raises(ValidationError) as error:
        save("automation", project_cells(district["bearings"], staff_before="30", staff_after="36"))
    assert error.value.message_dict["staff_after"] == [
        "改造后用工（36人）多于改造前（30人），不能作为机器换人减员上报"
    ]
    assert not AutomationProject.objects.exists() and not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("kind", "cells", "column", "message"),
    [
        ("automation", {"investment": "-20"}, "investment", "投资额（万元）不能为负数：-20"),
        ("automation", {"investment": "五百"}, "investment", "「投资额（万元）」「五百」：应为数字"),
        ("automation", {"robots": "2.5"}, "robots", "「机器人（台）」「2.5」：应为整数"),
        ("automation", {"year": "25"}, "year", "年度应在1990–2100之间：25"),
        ("automation", {"uscc": "91330211MA2999999X"}, "uscc", "企业库中没有该统一社会信用代码"),
        ("automation", {"status": "完工"}, "status", "应为以下之一：计划、实施中、已完成、已取消"),
        ("automation", {"name": ""}, "name", "「项目名称」必须填写"),
    ],
)
def test_bad_cells_are_named_with_their_value(district, save, kind, cells, column, message):
    with pytest.raises(ValidationError) as error:
        save(kind, project_cells(district["bearings"], **cells))
    assert any(message in text for text in error.value.message_dict[column])
    assert not AutomationProject.objects.exists()


def test_capacity_elimination_refuses_negative_energy_and_land(district, save):
    cells = {
        "uscc": district["chemicals"].uscc,
        "name": "印染落后产能淘汰",
        "year": "2025",
        "capacity": "印染 1200万米",
        "energy_saved_tce": "2000",
        "land_freed_mu": "12.5",
    }
    project = save("capacity", cells)
    assert project.plan_level == "市级" and project.land_freed_mu == Decimal("12.5")
    with pytest.raises(ValidationError) as error:
        save("capacity", cells | {"name": "另一项", "energy_saved_tce": "-5", "land_freed_mu": "-1"})
    assert error.value.message_dict == {
        "energy_saved_tce": ["年节能量（吨标准煤）不能为负数：-5"],
        "land_freed_mu": ["腾出土地（亩）不能为负数：-1"],
    }
    assert CapacityElimination.objects.count() == 1


def test_exit_action_and_commerce_conversion(district, save):
    action = save(
        "exit-actions",
        {"uscc": district["chemicals"].uscc, "action": "关停", "year": "2024", "date": "2024年6月30日"},
    )
    assert str(action) == "宁波澥浦精细化工有限公司 关停（2024）" and action.date.month == 6
    conversion = save(
        "commerce",
        {
            "name": "骆驼汇通物流产业园",
            "town": "骆驼街道",
            "uscc": district["fasteners"].uscc,
            "new_use": "现代物流",
            "floor_area_m2": "12,000",
            "year": "2024",
        },
    )
    assert conversion.floor_area_m2 == Decimal(12000) and conversion.former_use == "工业厂房"


def test_space_renovation_with_plot_ratio_and_no_negative_area(district, save):
    cells = {
        "uscc": district["bearings"].uscc,
        "name": "老厂区改造",
        "year": "2025",
        "project_area_m2": "8000",
        "land_mu": "15",
        "floor_area_before_m2": "6000",
        "floor_area_after_m2": "15000",
    }
    project = save("space", cells)
    assert project.kind == SpaceRenovation.Kind.RENOVATION
    # 15 亩 = 10,000 ㎡: 容积率 0.6 before, 1.5 after
    assert (project.plot_ratio_before, project.plot_ratio_after) == (Decimal("0.60"), Decimal("1.50"))
    with pytest.raises(ValidationError) as error:
        save("space", cells | {"name": "另一项", "project_area_m2": "-8000"})
    assert error.value.message_dict["project_area_m2"] == ["改造（新建）面积（㎡）不能为负数：-8000"]


def test_ecommerce_parks_belt_and_platforms(district, save):
    park = save("parks", {"name": "世创电商园", "town": "luotuo", "opened": "2015-04-01"})
    tenants = save(
        "park-tenants", {"park": "世创电商园", "year": "2025", "tenant_type": "外贸", "count": "23"}
    )
    assert tenants.park == park and tenants.count == 23
    with pytest.raises(ValidationError) as error:
        save("park-tenants", {"park": "不存在的园区", "year": "2025", "tenant_type": "外贸", "count": "1"})
    assert error.value.messages == ["「不存在的园区」：未知的电商园区（已登记：世创电商园）"]
    member = save("belt", {"uscc": district["bearings"].uscc, "year": "2025", "online_sales": "35.5"})
    assert member.belt == "阿里巴巴·镇海装备制造产业带"
    platform = save("platforms", {"name": "宁波甬汇有色金属交易中心", "goods": "有色金属"})
    save("platform-turnover", {"platform": platform.name, "year": "2025", "turnover": "86000"})
    assert EcommercePark.objects.count() == 1 and TradingPlatform.objects.get().turnovers.count() == 1


def test_targets_by_figure_label_or_code(district, save):
    target = save(
        "targets", {"figure": "旧厂区改造面积（㎡）", "year": "2025", "setter": "市定", "value": "70000"}
    )
    assert target.figure == "renovated_area_m2" and target.town is None
    save("targets", {"figure": "renovated_area_m2", "year": "2025", "setter": "区定", "value": "72000"})
    save(
        "targets",
        {
            "figure": "renovated_area_m2",
            "year": "2025",
            "setter": "市定",
            "value": "9000",
            "town": "骆驼街道",
        },
    )
    with pytest.raises(ValidationError) as error:
        save("targets", {"figure": "renovated_area_m2", "year": "2025", "setter": "市定", "value": "1"})
    assert (
        "已有相同的目标任务：指标「旧厂区改造面积（㎡）」、年度「2025」、下达单位「市定」"
        in error.value.messages[0]
    )
    with pytest.raises(ValidationError) as error:
        save("targets", {"figure": "renovated_area_m2", "year": "2026", "setter": "市定", "value": "0"})
    assert error.value.message_dict["value"] == ["目标值应大于0"]
    assert Target.objects.count() == 3


def test_update_changes_given_fields_and_is_audited(district, save):
    project = save("automation", project_cells(district["bearings"]))
    save("automation", {"staff_after": "30", "status": "已完成"}, record=project, partial=True)
    project.refresh_from_db()
    assert (project.staff_after, project.status, project.investment) == (30, "已完成", Decimal(500))
    entry = AuditEntry.objects.get(action="机器换人项目修改")
    assert entry.old == {"staff_after": 32, "status": "实施中"} and entry.new == {
        "staff_after": 30,
        "status": "已完成",
    }


def test_delete_needs_a_reason_and_is_audited(district, users, save):
    project = save("automation", project_cells(district["bearings"]))
    with pytest.raises(ValidationError):
        services.record_delete(actor=users["bureau"], spec=SPECS["automation"], record=project, reason=" ")
    services.record_delete(actor=users["bureau"], spec=SPECS["automation"], record=project, reason="重复登记")
    assert not AutomationProject.objects.exists()
    assert AuditEntry.objects.get(action="机器换人项目删除").old["name"] == "焊接机器人工作站"


def test_api_create_and_patch_with_chinese_errors(district, client_for):
    client = client_for("bureau")
    response = client.post(
        "/api/campaigns/records/automation",
        {"values": project_cells(district["bearings"]) | {"investment": 500, "staff_before": 40}},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    record = response.json()
    assert (
        record["values"]["investment"] == "500"
        and record["values"]["enterprise_name"] == "宁波恒达轴承有限公司"
    )
    response = client.patch(
        f"/api/campaigns/records/automation/{record['id']}",
        {"values": {"staff_after": 50}, "reason": "更正"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"]["staff_after"] == [
        "改造后用工（50人）多于改造前（40人），不能作为机器换人减员上报"
    ]
    assert "不能作为机器换人减员上报" in response.json()["detail"]
    assert client.get("/api/campaigns/records/no-such-list").status_code == 404


def test_a_duplicate_name_gets_one_message_naming_it(district, save):
    save("parks", {"name": "世创电商园", "town": "luotuo"})
    with pytest.raises(ValidationError) as error:
        save("parks", {"name": "世创电商园", "town": "xiepu"})
    assert error.value.messages == ["已有相同的电商园区：园区名称「世创电商园」"]
