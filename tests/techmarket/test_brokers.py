"""技术经纪人: registration, assignment and claims, commissions computed in Decimal at registration with
the caps per contract and per broker-year, approved within the year's budget and paid, all audited."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhuanxing.accounts.models import AuditEntry
from zhuanxing.techmarket import selectors, services
from zhuanxing.techmarket.models import Broker, Commission, CommissionRule, Contract

pytestmark = pytest.mark.django_db
D = Decimal


def test_commission_arithmetic_by_hand():
    # 1.5% of 86.40 = 1.296 → 1.30 (half up); no cap reached.
    assert services.compute_commission(
        base=D("86.40"), share=D("0.015"), cap_per_contract=D("5"), broker_left=D("10")
    )[:2] == (D("1.30"), D("1.30"))
    # 1.5% of 500 = 7.50, cut to the per-contract cap 5.
    computed, amount, text = services.compute_commission(
        base=D("500"), share=D("0.015"), cap_per_contract=D("5"), broker_left=D("10")
    )
    assert (computed, amount) == (D("7.50"), D("5")) and "单笔上限 5" in text
    # Only 2.25 left of the broker's year: 2.25.
    computed, amount, text = services.compute_commission(
        base=D("200"), share=D("0.015"), cap_per_contract=D("5"), broker_left=D("2.25")
    )
    assert (computed, amount) == (D("3.00"), D("2.25")) and "本人年度上限剩余 2.25" in text


@pytest.fixture
def broker(users):
    return services.broker_save(
        actor=users["bureau"],
        broker=Broker(
            name="赵经纪",
            user=users["expert"],
            certificate_no="JJR-2024-017",
            certified_on=dt.date(2024, 9, 1),
            affiliation="镇海区科技创业服务中心",
            fields=["装备制造"],
        ),
    )


@pytest.fixture
def rule(users):
    return services.commission_rule_save(
        actor=users["bureau"],
        rule=CommissionRule(
            year=2025, share=D("0.015"), cap_per_contract=D("3"), cap_per_broker_year=D("5"), budget=D("6")
        ),
    )


def register(users, broker, title: str, tech: str, number: str) -> Contract:
    contract = services.contract_record(
        actor=users["bureau"],
        contract=Contract(
            kind="技术开发",
            title=title,
            field="装备制造",
            amount=D(tech),
            tech_amount=D(tech),
            seller_name="宁波大学",
            seller_region="宁波市",
            buyer_name="恒达轴承",
            buyer_region="宁波市镇海区",
            signed_on=dt.date(2025, 4, 1),
            broker=broker,
        ),
    )
    return services.contract_register(
        actor=users["bureau"],
        contract=contract,
        registration_no=number,
        office="镇海区技术合同认定登记点",
        registered_on=dt.date(2025, 4, 8),
    )


def test_commissions_are_computed_at_registration_with_both_caps(users, broker, rule):
    first = register(users, broker, "一", "86.40", "R1").commission
    assert (first.computed, first.amount, first.state) == (D("1.30"), D("1.30"), "待核定")
    second = register(users, broker, "二", "400", "R2").commission  # 6.00 → cap 3
    assert (second.computed, second.amount) == (D("6.00"), D("3"))
    third = register(users, broker, "三", "100", "R3").commission  # 1.50, only 5 − 4.30 = 0.70 left
    assert (third.computed, third.amount) == (D("1.50"), D("0.70"))
    assert AuditEntry.objects.filter(action="经纪人佣金计算").count() == 3
    # A contract without a broker gets none.
    register(users, None, "四", "100", "R4")
    assert not Commission.objects.filter(contract__title="四").exists()


def test_approval_keeps_the_budget_and_refuses_beyond_it(users, broker, rule):
    other = services.broker_save(
        actor=users["bureau"],
        broker=Broker(name="钱经纪", certificate_no="JJR-2024-018", certified_on=dt.date(2024, 9, 1)),
    )
    a = register(users, broker, "一", "200", "R1").commission  # 3.00
    b = register(users, other, "二", "200", "R2").commission  # 3.00
    c = register(users, other, "三", "40", "R3").commission  # 0.60
    services.commission_approve(actor=users["bureau"], commission=a)
    services.commission_approve(actor=users["bureau"], commission=b)  # 6.00 of 6 used
    with pytest.raises(
        ValidationError, match="2025年度佣金规则：核定本笔 0.60 万元后合计 6.60 万元，超过年度预算 6"
    ):
        services.commission_approve(actor=users["bureau"], commission=c)
    c.refresh_from_db()
    assert (
        c.state == "待核定"
        and not AuditEntry.objects.filter(action="经纪人佣金核定", object_id=str(c.pk)).exists()
    )
    services.commission_pay(actor=users["bureau"], commission=a)
    a.refresh_from_db()
    assert a.state == "已拨付" and a.paid_at
    with pytest.raises(ValidationError, match="不能变为"):
        services.commission_pay(actor=users["bureau"], commission=a)
    with pytest.raises(ValidationError, match="低于已核定和已拨付的 6.00 万元"):
        rule.budget = D("5")
        services.commission_rule_save(actor=users["bureau"], rule=rule)
    services.commission_reject(actor=users["bureau"], commission=c, reason="合同与经纪人无关")
    figures = selectors.broker_statistics(2025)
    by_name = {row["broker"].name: row for row in figures}
    assert by_name["赵经纪"]["contracts"] == 1 and by_name["赵经纪"]["paid"] == D("3.00")
    assert by_name["钱经纪"]["approved"] == D("3.00") and by_name["钱经纪"]["tech_amount"] == D("240")


def test_rule_caps_must_nest(users):
    with pytest.raises(ValidationError, match="每人每年上限不能高于年度预算"):
        services.commission_rule_save(
            actor=users["bureau"],
            rule=CommissionRule(
                year=2026,
                share=D("0.015"),
                cap_per_contract=D("3"),
                cap_per_broker_year=D("50"),
                budget=D("6"),
            ),
        )
    assert not CommissionRule.objects.exists()


def test_assign_claim_and_the_brokers_pipeline(demand, broker, users, client_for):
    expert = client_for("expert")  # the broker's login
    expert.post(reverse("techmarket:demand_action", args=[demand.pk, "claim"]))
    demand.refresh_from_db()
    assert demand.broker == broker
    assert AuditEntry.objects.filter(action="经纪人认领需求", object_id=str(demand.pk)).exists()
    other = services.broker_save(
        actor=users["bureau"],
        broker=Broker(name="钱经纪", certificate_no="JJR-2024-018", certified_on=dt.date(2024, 9, 1)),
    )
    with pytest.raises(ValidationError, match="已由经纪人「赵经纪」负责"):
        services.demand_set_broker(actor=users["bureau"], demand=demand, broker=other, claim=True)
    client_for("bureau").post(
        reverse("techmarket:demand_action", args=[demand.pk, "broker"]), {"broker": other.pk}
    )
    demand.refresh_from_db()
    assert demand.broker == other
    page = client_for("bureau").get(reverse("techmarket:broker_detail", args=[other.pk])).content.decode()
    assert demand.title in page
    assert (
        client_for("enterprise").get(reverse("techmarket:broker_detail", args=[other.pk])).status_code == 403
    )
