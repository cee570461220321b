"""对接活动, 外脑 consulting, and the year's statistics."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from zhuanxing.techmarket import selectors, services
from zhuanxing.techmarket.models import Contract, Event

pytestmark = pytest.mark.django_db


def contract(**extra):
    values = dict(
        kind="技术开发",
        title="送料机械手改造",
        field="装备制造",
        amount=Decimal("120"),
        tech_amount=Decimal("100"),
        seller_name="宁波大学",
        seller_region="宁波市",
        buyer_name="宁波恒达轴承有限公司",
        buyer_region="宁波市镇海区",
        signed_on=timezone.localdate(),
    )
    return Contract(**(values | extra))


def test_an_event_pre_matches_registrations_and_counts_its_outcomes(demand, market, users, district):
    event = services.event_save(
        actor=users["bureau"],
        event=Event(name="宁波大学专场", partner=market["nbu"], held_on=timezone.localdate()),
    )
    services.event_register(actor=users["enterprise"], event=event, enterprise=district["bearings"])
    services.event_register(actor=users["expert"], event=event, expert=market["robot"])
    services.event_register(actor=users["bureau"], event=event, expert=market["textile"])
    pairs = services.event_prematch(actor=users["bureau"], event=event)
    assert [(p.demand, p.expert) for p in pairs] == [(demand, market["robot"])]
    services.event_pair_outcome(actor=users["bureau"], pair=pairs[0], outcome="合作意向")
    services.contract_record(actor=users["bureau"], contract=contract(amount=Decimal("680")), event=event)
    [outcome] = selectors.event_outcomes(timezone.localdate().year)
    assert (outcome["registered"], outcome["paired"], outcome["intents"], outcome["signed"]) == (3, 1, 1, 1)
    assert outcome["amount"] == Decimal("680")


def test_consulting_from_request_to_rating_and_a_problem_becomes_a_demand(
    market, users, district, client_for
):
    firm = client_for("enterprise")
    response = firm.post(
        reverse("techmarket:consultation_list"),
        {"areas": ["技术", "自动化改造"], "description": "冲压线人工多"},
    )
    consultation = district["bearings"].consultation_set.get()
    assert response.status_code == 302 and consultation.state == "已申请"
    staff = users["bureau"]
    services.consultation_assign(
        actor=staff, consultation=consultation, experts=[market["robot"], market["plastics"]]
    )
    services.consultation_visit(
        actor=staff, consultation=consultation, visited_on=dt.date.today(), notes="走访冲压车间"
    )
    services.consultation_report(
        actor=staff,
        consultation=consultation,
        report="建议机器换人",
        problems=["冲压送料机械手伺服电机定位不准", ""],
    )
    url = reverse("techmarket:consultation_action", args=[consultation.pk, "demand"])
    response = client_for("bureau").post(url, {"problem": 0, "field": "装备制造"})
    demand = consultation.demands.get()
    assert response["Location"] == reverse("techmarket:demand_detail", args=[demand.pk])
    assert demand.enterprise == district["bearings"] and demand.matches.exists()
    assert (
        client_for("expert")
        .get(reverse("techmarket:consultation_detail", args=[consultation.pk]))
        .status_code
        == 200
    )
    firm.post(
        reverse("techmarket:consultation_action", args=[consultation.pk, "rate"]),
        {"rating": 5, "comment": "很好"},
    )
    consultation.refresh_from_db()
    assert (consultation.state, consultation.rating) == ("已评价", 5)


def test_statistics_count_the_year(demand, market, users, client_for):
    match = services.match_invite(actor=users["enterprise"], match=demand.matches.get(expert=market["robot"]))
    match = services.match_answer(actor=users["expert"], match=match, accept=True)
    services.contract_record(actor=users["bureau"], contract=contract(), match=match)
    services.contract_record(
        actor=users["bureau"],
        contract=contract(kind="技术咨询", seller_region="宁波市镇海区", buyer_region="西安市"),
    )
    figures = selectors.statistics_for(timezone.localdate().year)
    assert figures["demands_posted"] == 1 and figures["demands_matched"] == 1
    assert figures["contracts"] == 2 and figures["amount"] == Decimal("240")
    assert {f["flow"]: f["count"] for f in figures["flows"]} == {"吸纳": 1, "输出": 1}
    funnel = {row["stage"]: row["count"] for row in figures["funnel"]}
    assert funnel["邀请"] == funnel["答复"] == funnel["接受"] == funnel["签约"] == 1
    assert funnel["推荐"] == demand.matches.count()
    assert figures["median_answer_hours"] is not None
    assert selectors.statistics_for(timezone.localdate().year, field="纺织服装")["contracts"] == 0
    page = client_for("bureau").get(reverse("techmarket:statistics")).content.decode()
    assert 'id="contract-amount">240.00<' in page  # 万元 with two decimals
    assert "100.0%" in page  # 邀请 → 答复, a share with one decimal
    response = client_for("bureau").get(reverse("techmarket:statistics"), {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    api = client_for("town").get(reverse("api:techmarket_statistics")).json()
    assert api["contracts"] == 2


def test_reminders_list_stages_that_waited_too_long(demand, market, users):
    match = demand.matches.get(expert=market["robot"])
    services.match_invite(actor=users["bureau"], match=match, at=timezone.now() - dt.timedelta(days=8))
    [reminder] = selectors.reminders()
    assert reminder["match"] == match and reminder["days"] == 8
