"""The pure parts: working days, the settlement of 核定 across applications, plain-Chinese clauses."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.programs.conftest import TEST_POLICY
from zhuanxing.awards import compute_awards, load_policy
from zhuanxing.programs.describe import describe_policy
from zhuanxing.programs.settlement import Claim, settle
from zhuanxing.workdays import add_working_days, next_working_day, notice_period

MONDAY = dt.date(2024, 3, 4)
DAY = dt.date(2024, 3, 1)


def test_working_days_skip_the_weekend():
    friday = MONDAY + dt.timedelta(days=4)
    assert add_working_days(MONDAY, 4) == friday
    assert add_working_days(friday, 1) == MONDAY + dt.timedelta(days=7)
    assert next_working_day(friday + dt.timedelta(days=1)) == MONDAY + dt.timedelta(days=7)
    assert next_working_day(friday) == friday


@pytest.mark.parametrize(
    ("published", "first", "last"),
    [
        (MONDAY, MONDAY, MONDAY + dt.timedelta(days=4)),  # Monday to Friday
        (
            MONDAY + dt.timedelta(days=3),
            MONDAY + dt.timedelta(days=3),
            MONDAY + dt.timedelta(days=9),
        ),  # Thu → Wed
        (
            MONDAY - dt.timedelta(days=2),
            MONDAY - dt.timedelta(days=2),
            MONDAY + dt.timedelta(days=4),
        ),  # Saturday
    ],
)
def test_a_five_day_notice_counts_working_days(published, first, last):
    assert notice_period(published, 5) == (first, last)


def claim(claim_id, clause, amount, uscc="E1", project=None, submitted=DAY):
    return Claim(claim_id, uscc, clause, 2024, submitted, Decimal(amount), project)


@pytest.fixture(scope="module")
def rules():
    return load_policy(TEST_POLICY)


def test_a_newcomer_beating_an_approved_one_of_its_project_gets_the_difference(rules):
    # 从高不重复: the workshop award 80 beats the approved tech award 50 for project P → 80 − 50
    decided = settle(
        rules, [claim("A", "tech", "50", project="P")], [claim("B", "workshop", "80", project="P")]
    )
    assert decided["B"].amount == Decimal("30.00")
    assert decided["B"].reasons == ("就高补差（扣除已核定的 50.00 万元）",)
    # a smaller newcomer gets nothing, with the engine's reason
    decided = settle(
        rules, [claim("A", "tech", "50", project="P")], [claim("B", "workshop", "40", project="P")]
    )
    assert (decided["B"].amount, decided["B"].reasons) == (Decimal("0.00"), ("从高不重复",))
    # another project, or another enterprise, does not compete
    decided = settle(
        rules, [claim("A", "tech", "50", project="P")], [claim("B", "workshop", "40", project="Q")]
    )
    assert decided["B"].amount == Decimal("40.00")


def test_annual_limit_against_approved_ones(rules):
    # tech: at most 2 a year per enterprise; 100 and 50 approved, 80 arrives: the top two are 100 + 80
    standing = [claim("A", "tech", "100"), claim("B", "tech", "50")]
    decided = settle(rules, standing, [claim("C", "tech", "80")])
    assert decided["C"].amount == Decimal("30.00")
    assert sum([Decimal(100), Decimal(50), decided["C"].amount]) == Decimal(180)


def test_one_batch_settles_like_the_engine(rules):
    """Approved together with nothing approved before, the amounts are the engine's own steps
    2–4 over the batch: here 从高不重复 for project P, then 100 of budget over 120 + 60 + 30."""
    facts = [
        {"uscc": u, "scale": "规上", "high_tech": "是", "rd": "500", "sales": "1000"} for u in ("E1", "E2")
    ]
    apps = [  # at 8% (high tech) and 5% (the workshop band above 500): 100, 120, 60 and 30
        ("A", "E1", "tech", "P", {"equipment_investment": "1250"}),
        ("B", "E1", "workshop", "P", {"project_investment": "2400"}),
        ("C", "E2", "tech", None, {"equipment_investment": "750"}),
        ("D", "E2", "tech", None, {"equipment_investment": "375"}),
    ]
    rows = [
        {"id": i, "uscc": u, "clause": c, "year": 2024, "submitted": DAY, "project": p} | values
        for i, u, c, p, values in apps
    ]
    engine = {r.id: r for r in compute_awards(rules, facts, rows)}
    claims = [claim(i, c, engine[i].computed, uscc=u, project=p) for i, u, c, p, _v in apps]
    decided = settle(rules, [], claims, remaining=rules.budget)
    assert {k: (str(v.amount), v.reasons) for k, v in decided.items()} == {
        r.id: (str(r.awarded), r.reasons) for r in engine.values()
    }
    assert {k: str(v.amount) for k, v in decided.items()} == {
        "A": "0.00",
        "B": "57.14",
        "C": "28.57",
        "D": "14.28",
    }


def test_budget_left_serves_one_by_one(rules):
    first = settle(rules, [], [claim("A", "tech", "60")], remaining=Decimal(100))
    second = settle(
        rules, [claim("A", "tech", "60")], [claim("B", "tech", "60", uscc="E2")], remaining=Decimal(40)
    )
    assert first["A"].amount == Decimal("60.00")
    assert (second["B"].amount, second["B"].reasons) == (Decimal("40.00"), ("预算不足按比例核减",))
    assert settle(rules, [], [claim("C", "tech", "60")], remaining=Decimal(0))["C"].amount == Decimal("0.00")


def test_clauses_in_plain_chinese(rules):
    tech, workshop, bonus, centre = describe_policy(rules)
    assert tech.eligible == "规模为“规上”"
    assert tech.award == (
        "按设备投资额的 6% 计算。",
        "最高 200 万元。",
        "设备投资额低于 200 万元的不予奖励。",
        "高新技术企业：按 8%，最高 300 万元。",
    )
    assert tech.vetoes == ("研发投入未达标",)
    assert tech.limits == (
        "每家企业每年最多 2 个项目。",
        "同一项目在「技术改造项目补助」、「数字化车间」之间从高不重复。",
    )
    assert tech.fields == ("设备投资额（万元）（必填）",)
    assert workshop.award == (
        "按项目投资额（万元）所在档次的比例计算：0–500 3%，500 以上 5%。",
        "最高 500 万元。",
    )
    assert bonus.automatic and bonus.award == ("定额奖励 10 万元。",)
    assert centre.award[0] == "按认定级别给予奖励：区级 5 万元、市级 10 万元、省级 50 万元、国家级 200 万元。"
