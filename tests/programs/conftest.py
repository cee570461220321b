"""A small policy whose awards are easy to compute by hand, the district's 2023 figures (the data
year of a 2024 policy), and helpers that take an application through the workflow the way the
pages do (through the services, each step by the role that takes it)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from zhuanxing.programs import services
from zhuanxing.programs.models import Application
from zhuanxing.registry import services as registry_services
from zhuanxing.registry.models import ImportBatch

TEST_POLICY = """\
id: test-policy-2024
name: 测试政策
doc_number: 测政发〔2024〕1号
department: 区经信局
year: 2024
budget: 100
facts:
  scale: {label: 规模, type: text}
  high_tech: {label: 高新技术企业, type: boolean}
  rd: {label: 研发经费, type: number, unit: 万元}
  sales: {label: 销售收入, type: number, unit: 万元}
clauses:
  - id: tech
    label: 技术改造项目补助
    eligible: "scale = '规上'"
    fields:
      - {id: equipment_investment, label: 设备投资额, unit: 万元, required: true}
    award:
      type: percentage
      base: equipment_investment
      rate: 0.06
      min_base: 200
      cap: 200
      uplifts: [{when: high_tech, rate: 0.08, cap: 300, label: 高新技术企业}]
    veto:
      - {label: 研发投入未达标, when: "scale = '规上' AND rd < 100 AND rd < 0.02 * sales"}
    per_enterprise_per_year: 2
  - id: workshop
    label: 数字化车间
    fields:
      - {id: project_investment, label: 项目投资额, unit: 万元, required: true}
    award: {type: bands, base: project_investment, bands: [{upto: 500, rate: 0.03}, {rate: 0.05}], cap: 500}
  - id: high-tech-bonus
    label: 高新技术企业奖励
    automatic: true
    eligible: high_tech
    veto:
      - {label: 研发投入未达标, when: "rd < 100 AND rd < 0.02 * sales"}
    award: {type: fixed, amount: 10}
  - id: centre
    label: 工程（技术）中心认定奖励
    automatic: true
    fields:
      - {id: new_level, label: 认定级别, required: true}
      - {id: previous_level, label: 原有级别}
    award:
      type: level_difference
      level: new_level
      previous: previous_level
      amounts: {区级: 5, 市级: 10, 省级: 50, 国家级: 200}
exclusive: [[tech, workshop]]
"""
BANK = {
    "bank_account_name": "宁波恒达轴承有限公司",
    "bank_name": "宁波银行镇海支行",
    "bank_account": "51010122000123",
}


@pytest.fixture
def figures(district):
    """2023 figures: 恒达轴承 (规上, 高新技术企业) R&D 500 of sales 10000; 澥浦精细化工 (规上)
    R&D 50 of sales 10000, so the R&D veto holds; 骆驼紧固件 (规下) R&D 30 of sales 800."""
    batch = ImportBatch.objects.create(source=ImportBatch.Source.STATS, year=2023)
    rows = {
        "bearings": {"rd": Decimal(500), "sales": Decimal(10000)},
        "chemicals": {"rd": Decimal(50), "sales": Decimal(10000)},
        "fasteners": {"rd": Decimal(30), "sales": Decimal(800)},
    }
    for key, values in rows.items():
        registry_services.annual_values_set(batch=batch, enterprise=district[key], year=2023, values=values)
    return rows


@pytest.fixture
def policy(users, figures):
    return services.policy_create(actor=users["bureau"], text=TEST_POLICY, published=True)


def draft(user, policy, enterprise, clause="tech", **fields):
    fields = fields or {"equipment_investment": "1000"}
    return services.application_create(
        actor=user, policy=policy, clause_id=clause, enterprise=enterprise, fields=fields, **BANK
    )


def submitted(users, policy, enterprise=None, clause="tech", user=None, **fields):
    """An application submitted by the enterprise user (or ``user``, e.g. staff applying on paper)."""
    user = user or users["enterprise"]
    enterprise = enterprise or user.enterprise
    application = draft(user, policy, enterprise, clause, **fields)
    return services.application_submit(actor=user, application=application)


def on_notice(users, application, town_user=None):
    """Through 镇街初审 and 部门审核 to the public notice."""
    application = services.application_decide(
        actor=town_user or users["town"], application=application, decision="pass"
    )
    return services.application_decide(actor=users["bureau"], application=application, decision="pass")


def after_notice(application: Application) -> dt.datetime:
    """A moment when the application's notice is over (the services take ``now``)."""
    day = application.notice_until + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def approved(users, application):
    return services.application_approve(
        actor=users["bureau"], application=application, now=after_notice(application)
    )
