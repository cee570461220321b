"""Registry rows as the engine's FACTS: the catalogue, the data year, tags, evaluation classes, recognitions."""

from decimal import Decimal

import pytest

from tests.programs.conftest import TEST_POLICY
from zhuanxing.awards import load_policy
from zhuanxing.campaigns import services as campaign_services
from zhuanxing.programs import adapters
from zhuanxing.registry.models import Enterprise

pytestmark = pytest.mark.django_db

CATALOGUE_POLICY = """\
id: facts
name: 事实
facts:
  scale: {label: 规模, type: text}
  town: {label: 镇街, type: text}
  industry_division: {label: 行业大类, type: text}
  high_tech: {label: 高新技术企业, type: boolean}
  specialised: {label: 专精特新, type: boolean}
  rd: {label: 研发经费, type: number}
  employees: {label: 职工, type: number}
  land_mu: {label: 用地, type: number}
  evaluation_class: {label: 等级, type: text}
  level_engineering_centre: {label: 工程中心级别, type: text}
clauses:
  - {id: c, award: {type: fixed, amount: 1}}
"""


def test_the_catalogue_covers_the_shipped_policies():
    from zhuanxing.awards import shipped_policies

    for path in shipped_policies().values():
        assert adapters.catalogue_problems(load_policy(path)) == []
    assert adapters.catalogue_problems(load_policy(TEST_POLICY)) == []


def test_facts_come_from_the_data_year_and_the_registry(district, users, figures):
    rules = load_policy(CATALOGUE_POLICY)
    campaign_services.recognition_register(
        actor=users["bureau"],
        kind="工程（技术）中心",
        level="区级",
        year=2022,
        enterprise=district["bearings"],
    )
    campaign_services.recognition_register(
        actor=users["bureau"],
        kind="工程（技术）中心",
        level="市级",
        year=2024,
        enterprise=district["bearings"],
    )
    campaign_services.recognition_register(  # after the policy year: not held yet
        actor=users["bureau"],
        kind="工程（技术）中心",
        level="省级",
        year=2025,
        enterprise=district["bearings"],
    )
    rows = adapters.facts_rows(
        rules, Enterprise.objects.filter(pk__in=[district["bearings"].pk, district["garments"].pk]), year=2024
    )
    by_uscc = {row["uscc"]: row for row in rows}
    bearings, garments = by_uscc[district["bearings"].uscc], by_uscc[district["garments"].uscc]
    assert bearings == {
        "uscc": district["bearings"].uscc,
        "scale": "规上",
        "town": "骆驼街道",
        "industry_division": "34",
        "high_tech": True,
        "specialised": False,
        "rd": Decimal("500.0000"),
        "employees": None,
        "land_mu": Decimal("52.0000"),  # 60 亩 own, 8 let to 骆驼紧固件
        "evaluation_class": None,  # no evaluation of 2023
        "level_engineering_centre": "市级",
    }
    assert garments["high_tech"] is False and garments["rd"] is None and garments["land_mu"] == Decimal(0)
    assert adapters.facts_rows(rules, Enterprise.objects.none(), year=2024) == []


def test_the_evaluation_class_of_the_data_year(district, users):
    from tests.evaluation.fixtures import TEST_SCHEME
    from zhuanxing.evaluation import services as evaluation_services
    from zhuanxing.registry import services as registry_services
    from zhuanxing.registry.models import ImportBatch

    batch = ImportBatch.objects.create(source=ImportBatch.Source.TAX, year=2023)
    registry_services.annual_values_set(
        batch=batch, enterprise=district["bearings"], year=2023, values={"tax": Decimal(520)}
    )
    run = evaluation_services.run_create(actor=users["bureau"], year=2023, scheme_text=TEST_SCHEME)
    rules = load_policy(CATALOGUE_POLICY)
    assert (
        adapters.facts_of(rules, district["bearings"], year=2024)["evaluation_class"] is None
    )  # a draft run
    evaluation_services.run_publish(actor=users["bureau"], run=run, days=7)
    assert adapters.facts_of(rules, district["bearings"], year=2024)["evaluation_class"] == "B"
