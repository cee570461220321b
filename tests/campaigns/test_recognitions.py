"""Recognitions: kinds and levels as data, bad input refused whole, and the 免申即享 promotion hook."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from zhuanxing.accounts.models import AuditEntry
from zhuanxing.campaigns import selectors, services
from zhuanxing.campaigns.models import LevelPromotion, Recognition, RecognitionAssessment, RecognitionKind

pytestmark = pytest.mark.django_db


def register(users, enterprise, level, year, kind="工程（技术）中心", **extra):
    return services.recognition_register(
        actor=users["bureau"], enterprise=enterprise, kind=kind, level=level, year=year, **extra
    )


@pytest.fixture
def linked_kind():
    """工程（技术）中心 linked to a level-difference clause of a policy."""
    kind = RecognitionKind.objects.get(code="engineering-centre")
    kind.policy_id, kind.clause_id = "zhenhai-manufacturing-2025", "rd-centre-upgrade"
    kind.save()
    return kind


def test_shipped_kinds_and_levels():
    levels = {kind.name: [lv.name for lv in kind.levels.all()] for kind in RecognitionKind.objects.all()}
    assert levels["企业研究院"] == ["省级重点", "省级", "市级"]
    assert levels["工程（技术）中心"] == ["国家级", "省级", "市级", "区级"]
    assert levels["博士后工作站"] == ["国家级", "省级", "市级"]
    assert levels["教授（专家）工作室"] == ["区级"]
    assert levels["企业技术创新团队"] == ["市级"]
    assert levels["机器换人服务中心"] == ["省级", "市级"]
    assert {"重点实验室", "工业设计中心"} <= set(levels)


def test_staff_extend_kinds_with_levels(district, users):
    kind = RecognitionKind.objects.create(code="smart-factory", name="智能工厂", order=20)
    kind.levels.create(name="市级", tier="市级", rank=20)
    recognition, promotion = register(users, district["bearings"], "市级", 2025, kind="智能工厂")
    assert recognition.kind == kind and promotion is None


def test_registration_is_audited(district, users):
    recognition, _promotion = register(
        users, district["bearings"], "区级", 2024, document_no="镇经信〔2024〕8号"
    )
    entry = AuditEntry.objects.get(object_type="campaigns.recognition")
    assert entry.action == "认定新增" and entry.actor == users["bureau"]
    assert (
        entry.new["document_no"] == "镇经信〔2024〕8号" and entry.new["enterprise"] == district["bearings"].pk
    )
    assert str(recognition) == "宁波恒达轴承有限公司 区级工程（技术）中心（2024）"


def test_the_trail_stores_the_action_in_chinese_whatever_language_the_user_reads(district, users):
    from django.utils import translation

    with translation.override("en"):
        register(users, district["bearings"], "区级", 2024)
    assert AuditEntry.objects.get(object_type="campaigns.recognition").action == "认定新增"


def test_duplicate_recognition_is_refused_and_nothing_written(district, users):
    register(users, district["bearings"], "区级", 2024)
    with pytest.raises(ValidationError) as error:
        register(users, district["bearings"], "区级", 2024)
    message = " ".join(error.value.messages)
    assert "已有相同的认定" in message
    assert (
        "企业「宁波恒达轴承有限公司」" in message
        and "级别「区级」" in message
        and "认定年度「2024」" in message
    )
    assert Recognition.objects.count() == 1
    assert AuditEntry.objects.count() == 1
    # the same level in another year, or another level in the same year, is a new recognition
    register(users, district["bearings"], "区级", 2025)
    register(users, district["bearings"], "市级", 2024)


def test_level_not_defined_for_the_kind(district, users):
    with pytest.raises(ValidationError) as error:
        register(users, district["bearings"], "区级", 2024, kind="企业研究院")
    assert error.value.message_dict["level"] == [
        "「企业研究院」没有「区级」这一级别（已定义：省级重点、省级、市级）"
    ]
    # a level object of another kind is caught by the model itself
    other = RecognitionKind.objects.get(code="postdoc-station").levels.get(name="国家级")
    with pytest.raises(ValidationError) as error:
        register(users, district["bearings"], other, 2024, kind="企业研究院")
    assert "「企业研究院」没有「国家级」这一级别" in error.value.message_dict["level"][0]
    assert not Recognition.objects.exists() and not AuditEntry.objects.exists()


def test_holder_is_an_enterprise_or_an_institution(district, users):
    centre, _ = services.recognition_register(
        actor=users["bureau"],
        institution="镇海机器换人公共服务中心",
        kind="机器换人服务中心",
        level="市级",
        year=2024,
    )
    assert centre.holder == "镇海机器换人公共服务中心"
    with pytest.raises(ValidationError) as error:
        services.recognition_register(actor=users["bureau"], kind="机器换人服务中心", level="市级", year=2024)
    assert error.value.message_dict["enterprise"] == ["请填写持有认定的企业或机构"]
    with pytest.raises(ValidationError) as error:
        register(users, district["bearings"], "区级", 2024, institution="某研究所")
    assert "只能是企业或机构之一" in error.value.message_dict["institution"][0]


def test_a_higher_level_proposes_the_level_difference_award(district, users, linked_kind):
    first, promotion = register(users, district["bearings"], "区级", 2022)
    # nothing held before: the whole amount of the first level (previous level empty)
    assert promotion.previous_level is None and promotion.new_level.name == "区级"
    second, promotion = register(users, district["bearings"], "市级", 2024)
    assert promotion.recognition == second
    assert (promotion.enterprise, promotion.kind, promotion.year) == (district["bearings"], linked_kind, 2024)
    assert (promotion.previous_level.name, promotion.new_level.name) == ("区级", "市级")
    assert (promotion.policy_id, promotion.clause_id) == ("zhenhai-manufacturing-2025", "rd-centre-upgrade")
    assert promotion.state == LevelPromotion.State.PROPOSED
    assert AuditEntry.objects.filter(action="级别晋升待转免申即享", object_id=str(promotion.pk)).exists()
    # registering a lower or equal level later proposes nothing
    assert register(users, district["bearings"], "区级", 2025)[1] is None
    assert register(users, district["bearings"], "市级", 2025)[1] is None
    assert list(selectors.pending_promotions()) == [promotion, first.promotion]


def test_no_promotion_without_a_linked_clause_or_for_an_institution(district, users, linked_kind):
    assert register(users, district["bearings"], "省级", 2024, kind="企业研究院")[1] is None
    assert (
        services.recognition_register(
            actor=users["bureau"], institution="某研究院", kind=linked_kind, level="市级", year=2024
        )[1]
        is None
    )


def test_a_revoked_recognition_was_never_earned(district, users, linked_kind):
    register(
        users,
        district["bearings"],
        "市级",
        2021,
        status=Recognition.Status.REVOKED,
        status_date=dt.date(2022, 3, 1),
    )
    promotion = register(users, district["bearings"], "区级", 2023)[1]
    assert promotion is not None and promotion.previous_level is None


def test_programs_app_resolves_a_promotion(district, users, linked_kind, client_for):
    _recognition, promotion = register(users, district["bearings"], "市级", 2024)
    listed = client_for("bureau").get("/api/campaigns/promotions").json()
    assert [(p["enterprise_uscc"], p["new_level"], p["clause_id"]) for p in listed] == [
        (district["bearings"].uscc, "市级", "rd-centre-upgrade")
    ]
    with pytest.raises(ValidationError):
        services.promotion_resolve(actor=users["bureau"], promotion=promotion, state="已转奖励")
    services.promotion_resolve(
        actor=users["bureau"],
        promotion=promotion,
        state=LevelPromotion.State.AWARDED,
        award_ref="AW-2024-0012",
    )
    assert not selectors.pending_promotions().exists()
    assert client_for("bureau").get("/api/campaigns/promotions").json() == []


def test_recognition_held_until_revoked(district, users):
    register(users, district["bearings"], "区级", 2020, status="撤销", status_date=dt.date(2024, 6, 30))
    assert selectors.recognitions_held(2023).count() == 1
    assert selectors.recognitions_held(2024).count() == 0
    with pytest.raises(ValidationError) as error:
        register(users, district["chemicals"], "区级", 2020, status_date=dt.date(2024, 6, 30))
    assert "状态为有效时不应填写撤销/到期日期" in error.value.message_dict["status_date"][0]


def test_reassessment_refers_to_its_recognition_by_its_cells(district, users, save):
    recognition, _ = register(users, district["bearings"], "市级", 2021)
    cells = {
        "uscc": district["bearings"].uscc,
        "kind": "工程（技术）中心",
        "level": "市级",
        "recognition_year": "2021",
        "year": "2024",
        "result": "良好",
    }
    assessment = save("recognition-assessments", cells)
    assert assessment.recognition == recognition and assessment.result == "良好"
    with pytest.raises(ValidationError) as error:
        save("recognition-assessments", cells | {"recognition_year": "2019"})
    assert "没有找到该认定：宁波恒达轴承有限公司 2019年 市级工程（技术）中心" in error.value.messages[0]
    with pytest.raises(ValidationError) as error:
        save("recognition-assessments", cells)
    assert "已有相同的认定复评" in error.value.messages[0]
    assert RecognitionAssessment.objects.count() == 1
