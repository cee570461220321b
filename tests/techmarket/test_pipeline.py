"""Recommendations on posting, invitations, answers and the stages with their timestamps."""

import pytest
from django.core.exceptions import ValidationError

from zhuanxing.accounts.models import AuditEntry
from zhuanxing.techmarket import services
from zhuanxing.techmarket.models import Contract, Match

pytestmark = pytest.mark.django_db


def test_a_new_demand_gets_explained_recommendations_at_once(demand, market):
    matches = list(demand.matches.order_by("rank"))
    assert matches, "no recommendations"
    assert matches[0].candidate in {f"expert:{market['robot'].pk}", f"achievement:{market['gripper'].pk}"}
    assert "伺服电机" in matches[0].reason or "机械手" in matches[0].reason
    assert matches[0].explanation["matched_terms"]
    assert all(m.stage == Match.Stage.RECOMMENDED and m.recommended_at for m in matches)
    assert f"expert:{market['textile'].pk}" not in {m.candidate for m in matches}


def test_the_pipeline_stamps_every_stage_and_audits_it(demand, market, users):
    match = demand.matches.get(expert=market["robot"])
    match = services.match_invite(actor=users["enterprise"], match=match)
    assert match.stage == "邀请" and match.invited_at and match.invited_by == users["enterprise"]
    match = services.match_answer(actor=users["expert"], match=match, accept=True)
    assert match.stage == "接受" and match.answered_at >= match.invited_at
    match = services.match_negotiate(actor=users["enterprise"], match=match)
    assert match.negotiating_at >= match.answered_at
    contract = Contract(
        kind="技术开发",
        title="送料机械手改造",
        field="装备制造",
        amount=120,
        tech_amount=100,
        seller_name="宁波大学",
        seller_region="宁波市",
        buyer_name="宁波恒达轴承有限公司",
        buyer_region="宁波市镇海区",
        signed_on="2025-03-01",
    )
    services.contract_record(actor=users["bureau"], contract=contract, match=match)
    match.refresh_from_db()
    assert match.stage == "签约" and match.closed_at and contract.flow == "吸纳"
    stages = AuditEntry.objects.filter(action="匹配阶段变更", object_id=str(match.pk)).values_list(
        "new", flat=True
    )
    assert [s["stage"] for s in stages.order_by("id")] == ["邀请", "接受", "洽谈", "签约"]


def test_decline_needs_a_reason_from_the_list(demand, market, users):
    match = services.match_invite(actor=users["bureau"], match=demand.matches.get(expert=market["robot"]))
    with pytest.raises(ValidationError, match="婉拒原因"):
        services.match_answer(actor=users["expert"], match=match, accept=False, reason="不想做")
    match = services.match_answer(actor=users["expert"], match=match, accept=False, reason="时间不合适")
    assert match.stage == "婉拒" and match.decline_reason == "时间不合适"
    with pytest.raises(ValidationError, match="不能变为"):
        services.match_negotiate(actor=users["enterprise"], match=match)


def test_stages_cannot_be_skipped(demand, market, users):
    match = demand.matches.get(expert=market["robot"])
    with pytest.raises(ValidationError, match="不能变为「接受」"):
        services.match_answer(actor=users["expert"], match=match, accept=True)


def test_refreshing_keeps_invited_candidates(demand, market, users):
    invited = services.match_invite(
        actor=users["enterprise"], match=demand.matches.get(expert=market["robot"])
    )
    services.demand_refresh(actor=users["enterprise"], demand=demand)
    assert Match.objects.get(pk=invited.pk).stage == "邀请"
    assert demand.matches.filter(candidate=invited.candidate).count() == 1


def test_the_index_is_updated_after_commit(market, users, django_capture_on_commit_callbacks):
    from zhuanxing.techmarket import indexing
    from zhuanxing.techmarket.models import Expert

    with django_capture_on_commit_callbacks(execute=True):
        expert = services.profile_save(
            actor=users["bureau"],
            profile=Expert(
                name="赵强",
                title="高工",
                fields=["石油化工"],
                keywords="精细化工 催化剂",
                directions="加氢催化",
            ),
        )
    assert f"expert:{expert.pk}" in indexing.current_index()
    expert.active = False
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_save(actor=users["bureau"], profile=expert)
    assert f"expert:{expert.pk}" not in indexing.current_index()


def test_expired_demands_leave_the_listing_until_renewed(demand, users):
    import datetime as dt

    assert services.demands_expire(today=demand.valid_until + dt.timedelta(days=1)) == 1
    demand.refresh_from_db()
    assert demand.state == "已过期"
    renewed = services.demand_set_state(actor=users["enterprise"], demand=demand, state="征集中")
    assert renewed.state == "征集中" and renewed.valid_until > dt.date.today()
