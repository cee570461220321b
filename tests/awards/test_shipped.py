"""The shipped Zhenhai policies compute what their documents say (numbers in the YAML comments)."""

from __future__ import annotations

import pytest

from zhuanxing.awards import compute_awards, load_policy, shipped_policies

from .conftest import E1, E2, E3, app


@pytest.fixture(scope="module")
def policy_2023():
    return load_policy(shipped_policies()["zhenhai-manufacturing-2023"])


@pytest.fixture(scope="module")
def policy_2024():
    return load_policy(shipped_policies()["zhenhai-manufacturing-2024"])


def firm(uscc, *, scale="规上", rd="500", sales="10000", **flags):
    row = {"uscc": uscc, "scale": scale, "rd": rd, "sales": sales, "digital_core": "否"}
    return row | {"high_tech_manufacturing": "否", "clean_production_audit": "否"} | flags


def awarded(policy, facts, applications):
    # the 2023 file declares fewer facts; extra columns are ignored
    return {r.id: (str(r.computed), r.reasons_text) for r in compute_awards(policy, facts, applications)}


def test_2023_digital_workshop_12_percent_raised_to_14_4_for_digital_core(policy_2023):
    facts = [firm(E1), firm(E2, digital_core="是")]
    result = awarded(
        policy_2023,
        facts,
        [
            app("A", "district-digital-workshop", project_investment="1000"),  # 12%: 120
            app("B", "district-digital-workshop", uscc=E2, project_investment="1000"),  # 14.4%: 144
            app(
                "C", "district-digital-workshop", uscc=E2, project_investment="5000"
            ),  # 720, cap 500 unchanged
            app("D", "city-smart-factory", project_investment="6000"),  # 15%: 900, cap 800
        ],
    )
    assert result == {"A": ("120.00", ""), "B": ("144.00", ""), "C": ("500.00", ""), "D": ("800.00", "")}


def test_2023_future_factory_pays_the_level_difference(policy_2023):
    result = awarded(
        policy_2023,
        [firm(E1)],
        [
            app(
                "A", "future-factory", new_level="省级未来工厂试点", previous_level="市级未来工厂"
            ),  # 50 − 10
            app(
                "B", "future-factory", new_level="省级未来工厂", previous_level="省级未来工厂试点"
            ),  # 100 − 50
            app("C", "future-factory", new_level="市级未来工厂"),
        ],
    )
    assert result == {"A": ("40.00", ""), "B": ("50.00", ""), "C": ("10.00", "")}


def test_2023_tech_renovation_from_200(policy_2023):
    result = awarded(
        policy_2023,
        [firm(E1)],
        [
            app("A", "tech-renovation", equipment_investment="199"),
            app("B", "tech-renovation", equipment_investment="200"),
        ],
    )
    assert result == {"A": ("0.00", "未达到起点"), "B": ("12.00", "")}


def test_2024_tech_renovation_rates_caps_and_two_projects_a_year(policy_2024):
    facts = [firm(E1), firm(E2, high_tech_manufacturing="是"), firm(E3, digital_core="是")]
    results = compute_awards(
        policy_2024,
        facts,
        [
            app("A", "tech-renovation", equipment_investment="5000"),  # 6%: 300 -> cap 200
            app("B", "tech-renovation", uscc=E2, equipment_investment="5000"),  # 8%: 400 -> cap 300
            app("C", "tech-renovation", uscc=E3, equipment_investment="1000"),  # 8%: 80
            app("D", "tech-renovation", equipment_investment="1000"),  # 60
            app("E", "tech-renovation", equipment_investment="2000"),  # 120; the third of E1: D is cut
        ],
    )
    assert [(r.id, str(r.computed), str(r.awarded), r.reasons_text) for r in results] == [
        ("A", "200.00", "200.00", ""),
        ("B", "300.00", "300.00", ""),
        ("C", "80.00", "80.00", ""),
        ("D", "60.00", "0.00", "超过年度限额"),
        ("E", "120.00", "120.00", ""),
    ]


def test_2024_green_renovation_8_percent_cap_20_from_50_one_a_year(policy_2024):
    facts = [firm(E1, clean_production_audit="是"), firm(E2)]
    results = compute_awards(
        policy_2024,
        facts,
        [
            app("A", "green-renovation", equipment_investment="49.99"),
            app("B", "green-renovation", equipment_investment="100"),  # 8
            app("C", "green-renovation", equipment_investment="1000"),  # 80 -> cap 20; the only one kept
            app("D", "green-renovation", uscc=E2, equipment_investment="100"),  # no clean production audit
        ],
    )
    assert [(str(r.computed), str(r.awarded), r.reasons_text) for r in results] == [
        ("0.00", "0.00", "未达到起点"),
        ("8.00", "0.00", "超过年度限额"),
        ("20.00", "20.00", ""),
        ("0.00", "0.00", "绿色化改造奖励不符合申报条件"),
    ]


@pytest.mark.parametrize(
    ("scale", "rd", "sales", "vetoed"),
    [
        ("规上", "99", "10000", True),  # below 100 and below 2% (200)
        ("规上", "99", "4950", False),  # exactly 2% of sales
        ("规上", "99", "4950.5", True),  # just below 2%
        ("规上", "100", "100000", False),  # 100 is not below 100
        ("规下", "0", "10000", False),  # only 规上 are vetoed
    ],
)
def test_rd_veto(policy_2024, scale, rd, sales, vetoed):
    facts = [firm(E1, scale=scale, rd=rd, sales=sales)]
    [result] = compute_awards(policy_2024, facts, [app("A", "tech-renovation", equipment_investment="1000")])
    assert (result.reasons_text.startswith("研发投入未达标"), str(result.computed)) == (
        (True, "0.00") if vetoed else (False, "60.00")
    )
