"""Evaluation fixtures, shared with the browser tests (see tests/conftest.py pytest_plugins)."""

from decimal import Decimal

import pytest

# A small scheme whose classes are easy to compute by hand: score = min(tax per 亩 / 10, 2) × 100.
TEST_SCHEME = """
id: test-scheme
name: 测试方案
year: 2000
source: 测试用，全部数字为假设
classes:
  - {code: A, label: 优先发展类}
  - {code: B, label: 鼓励提升类}
  - {code: C, label: 帮扶转型类}
  - {code: D, label: 倒逼退出类}
groups:
  - id: above
    label: 规上工业企业
    population: "scale = '规上'"
    indicators:
      - {id: tax_per_mu, label: 亩均税收, unit: 万元/亩, numerator: tax, denominator: land_mu, weight: 100,
         benchmark: {fixed: 10}, cap: 2}
    classify:
      thresholds: {A: 150, B: 100, C: 50}
    rules:
      - {label: 发生重大安全事故不得评为A、B类, when: "major_accident", at_most: C}
policies:
  - {class: D, measure: 差别化电价, rate: 0.1, unit: 元/千瓦时, base: electricity, department: 区发改局}
  - {class: A, measure: 城镇土地使用税减免, share: 1.0, department: 区税务局}
"""


@pytest.fixture
def yearly_data(district):
    """2024 figures: 恒达轴承 52 亩 (after its lease), tax 520 → 10 万元/亩 → 100 points → B;
    澥浦精细化工 120.5 亩, tax 241 → 2 万元/亩 → 20 points → D."""
    # imported here, not at the top: this module is a pytest plugin of the whole suite, and the
    # engine tests run without Django (``-p no:django``)
    from zhuanxing.registry import services as registry_services
    from zhuanxing.registry.models import ImportBatch

    batch = ImportBatch.objects.create(source=ImportBatch.Source.TAX, year=2024, file_name="税务.xlsx")
    figures = {
        "bearings": {"tax": Decimal("520"), "electricity": Decimal("300")},
        "chemicals": {"tax": Decimal("241"), "electricity": Decimal("1200")},
        "fasteners": {"tax": Decimal("30"), "electricity": Decimal("20")},
    }
    for key, values in figures.items():
        registry_services.annual_values_set(batch=batch, enterprise=district[key], year=2024, values=values)
    return figures
