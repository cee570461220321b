"""Talent plans, training classes and school–enterprise agreements; people's names for staff only."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhuanxing.campaigns import selectors
from zhuanxing.campaigns.models import TalentAssessment, TalentEntry, TrainingClass

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainee(district, save):
    return save(
        "talent",
        {
            "plan": "121人才培养工程",
            "name": "张伟",
            "uscc": district["bearings"].uscc,
            "year": "2023",
            "agreement_start": "2023-07-01",
            "agreement_end": "2028-06-30",
        },
    )


def test_talent_entry_and_yearly_assessment(trainee, save):
    assert trainee.kind == TalentEntry.Kind.INDIVIDUAL and trainee.status == "在册"
    assessment = save(
        "talent-assessments",
        {"plan": "121", "talent_name": "张伟", "entry_year": "2023", "year": "2024", "result": "优秀"},
    )
    assert assessment.entry == trainee
    with pytest.raises(ValidationError) as error:
        save(
            "talent-assessments", {"plan": "121", "talent_name": "李娜", "entry_year": "2023", "year": "2024"}
        )
    assert "没有找到该人才入选记录：121人才培养工程 李娜（2023年）" in error.value.messages[0]
    assert TalentAssessment.objects.count() == 1


def test_agreement_dates_and_team_entries(district, save):
    with pytest.raises(ValidationError) as error:
        save(
            "talent",
            {
                "plan": "3315计划",
                "name": "王强",
                "year": "2024",
                "agreement_start": "2024-09-01",
                "agreement_end": "2024-01-01",
            },
        )
    assert error.value.message_dict["agreement_end"] == ["协议结束 2024-01-01 早于协议开始 2024-09-01"]
    team = save(
        "talent",
        {
            "plan": "3315计划",
            "kind": "团队",
            "name": "恒达轴承精密磨削创新团队",
            "grade": "B类",
            "year": "2024",
        },
    )
    assert team.kind == "团队" and team.grade == "B类"
    with pytest.raises(ValidationError) as error:
        save("talent", {"plan": "人才飞地计划", "name": "王强", "year": "2024"})
    assert "未知的人才计划" in error.value.messages[0] and "3315计划" in error.value.messages[0]


def test_training_class_and_school_agreement(district, save):
    cells = {
        "base": "装备制造产业精益人才培育基地",
        "name": "精益制造技术及商业应用班",
        "partner": "天津大学",
        "year": "2024",
        "start": "2024-03-01",
        "end": "2024-04-15",
        "trainees": "45",
        "completed": "43",
    }
    assert save("training-classes", cells).completed == 43
    with pytest.raises(ValidationError) as error:
        save("training-classes", cells | {"name": "第二期", "completed": "50"})
    assert error.value.message_dict["completed"] == ["结业人数（50）多于学员人数（45）"]
    agreement = save(
        "school-agreements",
        {
            "uscc": district["bearings"].uscc,
            "school": "宁波职业技术学院",
            "programme": "数控技术",
            "students": "30",
            "year": "2023",
            "end": "2026-06-30",
        },
    )
    assert agreement.students == 30
    assert TrainingClass.objects.count() == 1


def test_talent_counts(trainee, save, district):
    save("talent", {"plan": "3315计划", "kind": "团队", "name": "某创新团队", "year": "2024"})
    save("talent", {"plan": "3315计划", "name": "赵敏", "year": "2025", "status": "退出"})
    summary = selectors.talent_summary(2024)
    plans = {p["code"]: p for p in summary["plans"]}
    assert (plans["121"]["individuals"], plans["121"]["selected_in_year"]) == (1, 0)
    assert (plans["3315"]["teams"], plans["3315"]["selected_in_year"]) == (1, 1)
    assert selectors.talent_summary(2025)["plans"][0]["total"] == 1  # the withdrawn one is not counted


def test_people_are_visible_to_staff_only(trainee, client_for):
    talent = reverse("campaigns:record_list", args=["talent"])
    assert "张伟" in client_for("bureau").get(talent).content.decode()
    for role in ("town", "enterprise"):
        client = client_for(role)
        assert client.get(talent).status_code == 403
        assert client.get("/api/campaigns/records/talent").status_code == 403
        assert client.get(reverse("campaigns:record_edit", args=["talent", trainee.pk])).status_code == 403
        assert "人才入选" not in client.get(reverse("campaigns:index")).content.decode()
