"""Invitations from profile pages and search results (the origin recorded), 我能解决, decline reasons in
the statistics, and a demand written with an expert's own keywords recommending him."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from zhuanxing.accounts.models import AuditEntry
from zhuanxing.techmarket import indexing, selectors, services
from zhuanxing.techmarket.models import Expert, SolutionOffer

pytestmark = pytest.mark.django_db


def test_enterprise_invites_an_expert_from_his_profile_page(demand, market, client_for):
    textile = market["textile"]  # never recommended for a servo demand
    assert not demand.matches.filter(expert=textile).exists()
    client = client_for("enterprise")
    page = client.get(reverse("techmarket:profile_detail", args=["expert", textile.pk]))
    assert f'<option value="{demand.pk}">' in page.content.decode()
    response = client.post(
        reverse("techmarket:invite_direct", args=["expert", textile.pk]),
        {"demand": demand.pk, "origin": "档案页", "note": "请看看印染车间"},
        follow=True,
    )
    assert "已邀请" in response.content.decode()
    match = demand.matches.get(expert=textile)
    assert (match.stage, match.origin, match.note, match.rank) == ("邀请", "档案页", "请看看印染车间", None)
    assert match.invited_by.username == "enterprise" and match.invited_at
    assert AuditEntry.objects.filter(action="匹配阶段变更", object_id=str(match.pk)).exists()
    # Twice is refused, naming the stage; the invited expert now sees the demand in his invitations.
    again = client.post(
        reverse("techmarket:invite_direct", args=["expert", textile.pk]), {"demand": demand.pk}, follow=True
    )
    assert "不能重复邀请" in again.content.decode()
    assert demand.matches.filter(expert=textile).count() == 1


def test_invite_from_search_results_records_the_origin_and_reuses_a_recommended_row(
    demand, market, client_for
):
    client = client_for("bureau")
    page = client.get(reverse("techmarket:search"), {"q": "伺服电机", "demand": demand.pk})
    html = page.content.decode()
    robot = market["robot"]
    assert reverse("techmarket:invite_direct", args=["expert", robot.pk]) in html and "搜索结果" in html
    recommended = demand.matches.get(expert=robot)
    assert recommended.stage == "推荐"
    client.post(
        reverse("techmarket:invite_direct", args=["expert", robot.pk]),
        {"demand": demand.pk, "origin": "搜索结果", "next": page.request["PATH_INFO"]},
    )
    recommended.refresh_from_db()
    assert (recommended.stage, recommended.origin) == ("邀请", "搜索结果")
    assert demand.matches.filter(expert=robot).count() == 1


def test_only_the_demands_parties_may_invite_and_only_to_open_demands(demand, market, users, client_for):
    textile = market["textile"]
    url = reverse("techmarket:invite_direct", args=["expert", textile.pk])
    assert client_for("expert").post(url, {"demand": demand.pk}).status_code == 404
    assert client_for("town").post(url, {"demand": demand.pk}).status_code == 404
    services.demand_set_state(actor=users["bureau"], demand=demand, state="已解决")
    with pytest.raises(ValidationError, match="不在征集中"):
        services.invite_direct(actor=users["bureau"], demand=demand, target=textile, origin="档案页")
    assert not demand.matches.filter(expert=textile).exists()


def test_expert_says_i_can_solve_it_and_the_enterprise_invites_him_from_there(
    demand, market, users, client_for
):
    expert_client = client_for("expert")
    url = reverse("techmarket:demand_detail", args=[demand.pk])
    assert "我能解决" in expert_client.get(url).content.decode()
    expert_client.post(
        reverse("techmarket:demand_action", args=[demand.pk, "offer"]), {"note": "做过三条冲压线的伺服整定"}
    )
    offer = SolutionOffer.objects.get(demand=demand)
    assert offer.expert == market["robot"] and offer.note == "做过三条冲压线的伺服整定"
    # An empty note is refused; nothing changes.
    with pytest.raises(ValidationError, match="请简要说明"):
        services.offer_solution(actor=users["expert"], demand=demand, expert=market["robot"], note="  ")
    assert SolutionOffer.objects.get(demand=demand).note == "做过三条冲压线的伺服整定"
    enterprise_page = client_for("enterprise").get(url).content.decode()
    assert "做过三条冲压线的伺服整定" in enterprise_page and 'value="我能解决"' in enterprise_page
    # Somebody else's enterprise user does not see the offer (town official of another town neither).
    client_for("enterprise").post(
        reverse("techmarket:invite_direct", args=["expert", market["robot"].pk]),
        {"demand": demand.pk, "origin": "我能解决"},
    )
    assert demand.matches.get(expert=market["robot"]).origin == "我能解决"
    # Only experts with a profile may offer.
    assert (
        client_for("reviewer")
        .post(reverse("techmarket:demand_action", args=[demand.pk, "offer"]), {"note": "x"})
        .status_code
        == 403
    )


def test_statistics_show_decline_reasons_and_invitation_origins(demand, market, users):
    robot = demand.matches.get(expert=market["robot"])
    services.match_invite(actor=users["enterprise"], match=robot)
    services.match_answer(actor=users["expert"], match=robot, accept=False, reason="已有合作方")
    services.invite_direct(actor=users["bureau"], demand=demand, target=market["textile"], origin="档案页")
    services.invite_direct(actor=users["bureau"], demand=demand, target=market["plastics"], origin="搜索结果")
    figures = selectors.statistics_for(timezone.localdate().year)
    reasons = {row["reason"]: row["count"] for row in figures["decline_reasons"]}
    assert list(reasons) == ["不在我的领域", "预算不足", "时间不合适", "信息不足", "已有合作方", "其他"]
    assert reasons["已有合作方"] == 1 and sum(reasons.values()) == 1
    origins = {row["origin"]: row["count"] for row in figures["invitations_by_origin"]}
    assert origins == {"推荐": 1, "档案页": 1, "搜索结果": 1, "我能解决": 0}


def test_a_demand_in_an_experts_own_keywords_recommends_him(market, users):
    # Eight chemical-process experts of one institution; only one declares 加氢 and 精馏 as his keywords.
    for i in range(8):
        services.profile_save(
            actor=users["bureau"],
            profile=Expert(
                name=f"化工专家{i}",
                affiliation="宁波工程学院",
                title="教授",
                fields=["石油化工"],
                keywords="精细化工 催化剂 分离提纯",
                directions="精细化工连续流工艺、挥发性有机物治理",
                confirmed_on=dt.date.today(),
            ),
        )
    him = services.profile_save(
        actor=users["bureau"],
        profile=Expert(
            name="陈工",
            affiliation="宁波工程学院",
            title="高级工程师",
            fields=["石油化工"],
            keywords="加氢 精馏",
            directions="炼化装置工艺优化",
        ),
    )
    indexing.rebuild()
    demand = services.demand_create(
        actor=users["enterprise"],
        enterprise=users["enterprise"].enterprise,
        values={
            "title": "加氢、精馏",
            "problem": "加氢和精馏工段能耗偏高，想找专家指导。",
            "field": "资源与环境",
        },
    )
    top = list(demand.matches.order_by("rank")[:3])
    assert top[0].expert == him, [m.reason for m in top]
    assert "加氢" in top[0].reason and "精馏" in top[0].reason
    assert "需求属「资源与环境」，候选属「石油化工」" in top[0].reason


def test_api_invites_from_anywhere_and_takes_offers(demand, market, client_for):
    enterprise = client_for("enterprise")
    url = reverse("api:techmarket_invite_direct", args=[demand.pk])
    body = {"kind": "institution", "id": market["cnitech"].pk, "origin": "搜索结果"}
    response = enterprise.post(url, body, content_type="application/json")
    assert response.status_code == 201 and response.json()["stage"] == "邀请"
    assert demand.matches.get(institution=market["cnitech"]).origin == "搜索结果"
    bad = enterprise.post(url, {"kind": "person", "id": 1}, content_type="application/json")
    assert bad.status_code == 422 and "候选类型「person」无法识别" in bad.json()["detail"]
    offer = client_for("expert").post(
        reverse("api:techmarket_offer", args=[demand.pk]), {"note": "可以做"}, content_type="application/json"
    )
    assert offer.status_code == 201 and offer.json()["expert_id"] == market["robot"].pk
