"""核定 across a policy's applications: exclusive groups, annual limits and the budget decide
the approved amounts (see zhuanxing.programs.settlement)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.programs.conftest import after_notice, approved, on_notice
from zhuanxing.programs import selectors, services
from zhuanxing.programs.models import Application

pytestmark = pytest.mark.django_db


@pytest.fixture
def big_budget(users, policy):
    return services.policy_update(actor=users["bureau"], policy=policy, budget=Decimal(1000))


def apply(users, policy, clause="tech", project="", **fields):
    application = services.application_create(
        actor=users["enterprise"],
        policy=policy,
        clause_id=clause,
        enterprise=users["enterprise"].enterprise,
        fields=fields,
        project_code=project,
        bank_account_name="恒达",
        bank_name="银行",
        bank_account="1",
    )
    application = services.application_submit(actor=users["enterprise"], application=application)
    return on_notice(users, application)


def test_one_project_in_an_exclusive_group_is_paid_once_at_the_highest(users, big_budget):
    tech = apply(users, big_budget, project="P1", equipment_investment="500")  # 8% → 40
    workshop = apply(users, big_budget, clause="workshop", project="P1", project_investment="1200")  # 5% → 60
    assert approved(users, tech).approved == Decimal("40.00")
    later = approved(users, workshop)
    assert (later.computed, later.approved) == (Decimal("60.00"), Decimal("20.00"))
    assert later.approved_reasons == "就高补差（扣除已核定的 40.00 万元）"
    # the lower one after the higher gets nothing and is left for 不予支持
    third = apply(users, big_budget, project="P1", equipment_investment="300")
    with pytest.raises(ValidationError, match="从高不重复"):
        approved(users, third)
    assert Application.objects.get(pk=third.pk).state == Application.State.NOTICE


def test_annual_limit_counts_the_approved_ones(users, big_budget):
    first, second, third = (apply(users, big_budget, equipment_investment=v) for v in ("1000", "500", "750"))
    approved(users, first)  # 80
    approved(users, second)  # 40
    last = approved(users, third)  # 60: the two largest are 80 + 60 → 20 more
    assert last.approved == Decimal("20.00") and "就高补差" in last.approved_reasons


def test_batch_approval_shares_the_remaining_budget_pro_rata(users, policy, client_for):
    # budget 100: 80 approved first, then 40 + 60 together for the 20 left → 8 and 12
    approved(users, apply(users, policy, equipment_investment="1000"))
    second = apply(users, policy, clause="workshop", project_investment="1333.4")  # 5% → 66.67
    third = apply(users, policy, clause="workshop", project_investment="800")  # 5% → 40
    result = services.applications_approve(
        actor=users["bureau"], policy=policy, applications=[second, third], now=after_notice(third)
    )
    amounts = {a.pk: a.approved for a in result.approved}
    assert amounts == {
        second.pk: Decimal("12.50"),
        third.pk: Decimal("7.49"),
    }  # 20 × 66.67/106.67, 20 × 40/106.67
    assert sum(amounts.values()) + Decimal(80) <= Decimal(100)
    assert selectors.committed(policy) == Decimal("99.99")


def test_nothing_left_nothing_approved(users, policy):
    approved(users, apply(users, policy, equipment_investment="1250"))  # 100: the whole budget
    late = apply(users, policy, clause="workshop", project_investment="800")
    with pytest.raises(ValidationError) as error:
        approved(users, late)
    assert "未能核定：" in error.value.messages and any("预算" in m for m in error.value.messages)


def test_the_budget_cannot_drop_below_what_is_approved(users, policy):
    approved(users, apply(users, policy, equipment_investment="1000"))
    with pytest.raises(ValidationError, match="不能低于已核定的 80.00 万元"):
        services.policy_update(actor=users["bureau"], policy=policy, budget=Decimal(50))


def test_batch_approval_from_the_policy_page(users, big_budget, client_for):
    ready = [apply(users, big_budget, equipment_investment=v) for v in ("1000", "500")]
    # the notice ended (time passes in the test by moving its end back)
    Application.objects.filter(pk__in=[a.pk for a in ready]).update(notice_until=dt.date(2024, 1, 5))
    page = client_for("bureau").post(f"/programs/policies/{big_budget.pk}/approve/")
    assert page.status_code == 302
    assert sorted(Application.objects.values_list("approved", flat=True)) == [
        Decimal("40.00"),
        Decimal("80.00"),
    ]
    assert client_for("town").post(f"/programs/policies/{big_budget.pk}/approve/").status_code == 403
