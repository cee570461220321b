"""免申即享: proposals from data and from campaigns' level promotions, staff confirmation, the
enterprise's one-step bank confirmation, payment on the same records."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from tests.programs.conftest import TEST_POLICY
from zhuanxing.campaigns import services as campaign_services
from zhuanxing.campaigns.models import LevelPromotion, RecognitionKind
from zhuanxing.programs import services
from zhuanxing.programs.models import Application, Policy

pytestmark = pytest.mark.django_db
State = Application.State


def test_proposals_from_data_once_per_year(users, policy, district):
    found = services.automatic_propose(actor=users["bureau"])
    # only 恒达轴承 is a 高新技术企业 (its R&D 500 passes the veto); the level-difference clause needs a promotion
    assert [(a.enterprise, a.clause_id, a.computed, a.state) for a in found.proposed] == [
        (district["bearings"], "high-tech-bonus", Decimal("10.00"), State.PROPOSED)
    ]
    proposal = found.proposed[0]
    assert proposal.channel == Application.Channel.AUTOMATIC and proposal.explanation == [
        "定额 10 万元",
        "计算额 10.00 万元",
    ]
    assert proposal.facts["high_tech"] is True
    assert services.automatic_propose(actor=users["bureau"]).proposed == []  # not proposed twice


def test_a_vetoed_enterprise_is_not_proposed(users, policy, district):
    district["chemicals"].tags.add(*district["bearings"].tags.all())  # high-tech, but R&D 50 of 10000
    found = services.automatic_propose(actor=users["bureau"])
    assert {a.enterprise for a in found.proposed} == {district["bearings"]}


def test_staff_confirm_the_enterprise_confirms_its_account_payment_follows(users, policy, client_for):
    proposal = services.automatic_propose(actor=users["bureau"]).proposed[0]
    with pytest.raises(PermissionDenied):
        services.application_approve(actor=users["town"], application=proposal)
    confirmed = services.application_approve(actor=users["bureau"], application=proposal)
    assert (confirmed.state, confirmed.approved) == (State.CONFIRMING, Decimal("10.00"))
    with pytest.raises(PermissionDenied):
        services.payment_record(actor=users["bureau"], application=confirmed, stage=1)
    firm = client_for("enterprise")
    detail = firm.get(f"/programs/applications/{proposal.pk}/").content.decode()
    assert "无需申报" in detail and "确认收款账户" in detail
    page = firm.post(
        f"/programs/applications/{proposal.pk}/confirm_bank/",
        {"bank_account_name": "宁波恒达轴承有限公司", "bank_name": "宁波银行", "bank_account": "6222"},
    )
    assert page.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == State.APPROVED and proposal.bank_confirmed_at is not None
    services.payment_record(actor=users["bureau"], application=proposal, stage=1)
    services.payment_record(
        actor=users["bureau"], application=Application.objects.get(pk=proposal.pk), stage=2
    )
    proposal.refresh_from_db()
    assert (proposal.state, proposal.paid) == (State.PAID, Decimal("10.00"))


def test_staff_may_decline_a_proposal_with_a_reason(users, policy):
    proposal = services.automatic_propose(actor=users["bureau"]).proposed[0]
    services.application_decide(
        actor=users["bureau"], application=proposal, decision="reject", reason="企业已迁出"
    )
    assert Application.objects.get(pk=proposal.pk).state == State.REJECTED
    assert services.automatic_propose(actor=users["bureau"]).proposed == []  # a declined one stays declined


@pytest.fixture
def linked_kind(policy):
    kind = RecognitionKind.objects.get(code="engineering-centre")
    kind.policy_id, kind.clause_id = policy.code, "centre"
    kind.save()
    return kind


def register(users, enterprise, level, year=2024):
    return campaign_services.recognition_register(
        actor=users["bureau"], kind="工程（技术）中心", level=level, year=year, enterprise=enterprise
    )


def test_a_level_promotion_becomes_a_level_difference_proposal(users, linked_kind, district):
    register(users, district["chemicals"], "区级", year=2022)
    _recognition, promotion = register(users, district["chemicals"], "省级")
    assert promotion.previous_level.name == "区级"
    proposal = services.promotion_propose(actor=users["bureau"], promotion=promotion)
    assert (proposal.enterprise, proposal.clause_id, proposal.computed) == (
        district["chemicals"],
        "centre",
        Decimal("45.00"),
    )
    assert proposal.fields == {"new_level": "省级", "previous_level": "区级"}
    assert proposal.explanation == ["省级 50 万元", "减去原有级别 区级 5 万元", "计算额 45.00 万元"]
    promotion.refresh_from_db()
    assert (promotion.state, promotion.award_ref) == (LevelPromotion.State.AWARDED, proposal.number)
    with pytest.raises(ValidationError, match="已处理"):
        services.promotion_propose(actor=users["bureau"], promotion=promotion)


def test_the_scan_turns_pending_promotions_into_proposals(users, linked_kind, district):
    _recognition, promotion = register(users, district["garments"], "市级")
    found = services.automatic_propose(actor=users["bureau"])
    assert {(a.enterprise, a.clause_id, a.computed) for a in found.proposed} == {
        (district["bearings"], "high-tech-bonus", Decimal("10.00")),
        (district["garments"], "centre", Decimal("10.00")),
    }
    declined = Application.objects.get(source_ref=f"promotion:{promotion.pk}")
    services.application_decide(
        actor=users["bureau"], application=declined, decision="reject", reason="重复认定"
    )
    promotion.refresh_from_db()
    assert promotion.state == LevelPromotion.State.DISMISSED


def test_a_promotion_whose_policy_is_not_loaded_waits(users, figures, district):
    kind = RecognitionKind.objects.get(code="engineering-centre")
    kind.policy_id, kind.clause_id = "not-loaded-2024", "centre"
    kind.save()
    _recognition, promotion = register(users, district["garments"], "市级")
    found = services.automatic_propose(actor=users["bureau"])
    assert found.proposed == [] and "关联政策「not-loaded-2024」尚未载入或未发布" in found.problems[0]
    promotion.refresh_from_db()
    assert promotion.state == LevelPromotion.State.PROPOSED
    # loaded later, the next scan proposes it
    services.policy_create(
        actor=users["bureau"], text=TEST_POLICY.replace("test-policy-2024", "not-loaded-2024"), published=True
    )
    found = services.automatic_propose(actor=users["bureau"])
    assert any(a.clause_id == "centre" for a in found.proposed)


def test_a_promotion_of_another_year_is_reported(users, linked_kind, district):
    _recognition, promotion = register(users, district["garments"], "市级", year=2025)
    with pytest.raises(ValidationError, match="认定年度 2025 不是政策年度 2024"):
        services.promotion_propose(actor=users["bureau"], promotion=promotion)


def test_the_scheduled_command(users, policy):
    out = io.StringIO()
    call_command("programs-propose", stdout=out, stderr=io.StringIO())
    assert "新增免申即享建议 1 条" in out.getvalue()
    assert Application.objects.get().created_by is None  # the platform proposed it


def test_the_page_and_its_scan_button(users, policy, client_for):
    assert client_for("bureau").post("/programs/automatic/scan/").status_code == 302
    page = client_for("bureau").get("/programs/automatic/").content.decode()
    assert "高新技术企业奖励" in page and "免申即享待确认" in page
    assert Policy.objects.get().name in page
