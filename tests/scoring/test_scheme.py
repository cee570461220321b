"""Scheme files: what loads, and every problem named by its key path."""

from __future__ import annotations

import pytest

from zhuanxing.scoring import SchemeError, load_scheme, parse_scheme, shipped_scheme_ids
from zhuanxing.scoring.scheme import DEFAULT_SCHEME

from .conftest import HEADER, QUOTA, TAX_PER_MU, make_scheme, one_group

VALID_GROUP = TAX_PER_MU + QUOTA


def problems(text: str) -> list[str]:
    with pytest.raises(SchemeError) as caught:
        parse_scheme(text)
    return caught.value.problems


def group_problems(group_body: str) -> list[str]:
    with pytest.raises(SchemeError) as caught:
        one_group(group_body)
    return caught.value.problems


def test_the_shipped_schemes_load_and_zhenhai_is_the_default():
    assert shipped_scheme_ids() == ["huangyan-2022", "linhai-2014", "zhenhai-2014"]
    assert DEFAULT_SCHEME == "zhenhai-2014"
    for scheme_id in shipped_scheme_ids():
        scheme = load_scheme(scheme_id)
        assert scheme.id == scheme_id
        assert "假设" in scheme.source  # each says which numbers are assumptions


def test_a_scheme_file_loads_by_path(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(HEADER + "groups:\n  - id: g\n" + "    " + QUOTA + "\n" + _indent(TAX_PER_MU), "utf-8")
    assert load_scheme(path).groups[0].indicators[0].id == "t"


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.strip().splitlines()) + "\n"


def test_an_unknown_scheme_names_the_shipped_ones():
    with pytest.raises(SchemeError, match="huangyan-2022、linhai-2014、zhenhai-2014"):
        load_scheme("no-such-scheme")


def test_defaults_classes_abcd_scoring_ratio_missing_zero_multiplier_one():
    scheme = one_group(VALID_GROUP)
    assert scheme.class_codes == ("A", "B", "C", "D")
    indicator = scheme.groups[0].indicators[0]
    assert (indicator.scoring, indicator.missing, indicator.multiplier, indicator.cap) == (
        "ratio",
        "zero",
        1.0,
        None,
    )
    assert scheme.groups[0].rank_within_min == 10
    assert scheme.source == ""


def test_the_example_in_the_contract_loads():
    scheme = make_scheme(
        """\
        classes:
          - {code: A, label: 优先发展类}
          - {code: B, label: 鼓励提升类}
          - {code: C, label: 整治提升类}
          - {code: D, label: 倒逼退出类}
        groups:
          - id: above
            label: 规上工业企业
            population: "scale = '规上'"
            rank_within: industry_division
            indicators:
              - id: tax_per_mu
                label: 亩均税收
                unit: 万元/亩
                numerator: "tax"
                denominator: "land_mu"
                multiplier: 1
                weight: 30
                benchmark: {fixed: 24.097}
                scoring: ratio
                cap: 1.5
                missing: zero
              - {id: sales, label: 亩均销售, numerator: sales, denominator: land_mu, weight: 10,
                 benchmark: {percentile: 75, by: town, min_group_size: 3}}
              - {id: energy, label: 单位能耗, numerator: energy_tce, denominator: value_added, weight: 10,
                 benchmark: {aggregate: {by: industry_division}}, scoring: inverse, cap: 2}
              - {id: staff, label: 劳动生产率, numerator: value_added, denominator: employees, weight: 10,
                 scoring: minmax, minmax: {low: 20, high: 100}, missing: renormalize}
            adjustments:
              - {label: 高新技术企业加分, when: "high_tech", points: 3}
              - {label: 出租厂房扣分, per: "GREATEST(tenants - 1, 0)", points: -2, max: 6}
            classify:
              quota: {A: 0.2, B: 0.8, C: 0.95}
            rules:
              - {label: 公用事业企业不评级, when: "industry_division IN ('44','45','46')", exempt: true}
              - {label: 新办企业不列D类, when: "age_years < 2", at_least: C}
              - {label: 发生重大安全事故不得评为A、B类, when: "major_accident", at_most: C}
              - {label: 环境违法企业列为D类, when: "env_violation", set: D}
        """
    )
    group = scheme.groups[0]
    sales, energy, staff = group.indicators[1:]
    assert (sales.benchmark.kind, sales.benchmark.value, sales.benchmark.by) == ("percentile", 75, "town")
    assert sales.benchmark.min_group_size == 3
    assert (energy.benchmark.kind, energy.benchmark.by, energy.benchmark.min_group_size) == (
        "aggregate",
        "industry_division",
        5,
    )
    assert (staff.benchmark, staff.low, staff.high) == (None, 20, 100)
    assert [r.action for r in group.rules] == ["exempt", "at_least", "at_most", "set"]
    assert group.classify.limits == (("A", 0.2), ("B", 0.8), ("C", 0.95))
    assert set(scheme.input_columns()) == {
        "uscc", "scale", "tax", "land_mu", "sales", "energy_tce", "value_added", "employees", "high_tech",
        "tenants", "industry", "founded", "major_accident", "env_violation", "town",
    }  # fmt: skip


def test_an_unknown_column_in_an_expression_is_named_with_its_key_path():
    found = group_problems(
        """
        indicators:
          - {id: a, label: A, numerator: tax, denominator: land_mu, weight: 50, benchmark: {fixed: 1}}
          - {id: b, label: B, numerator: tax, denominator: land_mu, weight: 50, benchmark: {fixed: 1}}
          - {id: c, label: C, numerator: taxes, denominator: land_mu, weight: 50, benchmark: {fixed: 1}}
        classify: {quota: {A: 0.2}}
        """
    )
    assert found == ["groups[0].indicators[2].numerator：未知的列「taxes」"]


@pytest.mark.parametrize(
    ("group_body", "expected"),
    [
        (VALID_GROUP + '\npopulation: "scale = "', "groups[0].population：无法解析的表达式"),
        (VALID_GROUP + "\npopulation: tax + 1", "groups[0].population：条件「tax + 1」应得出是/否"),
        (
            VALID_GROUP + "\npopulation: SUM(tax) > 0",
            "groups[0].population：表达式「SUM(tax) > 0」不能使用汇总函数",
        ),
        (
            VALID_GROUP + "\npopulation: scale + 1 > 0",
            "groups[0].population：表达式「scale + 1 > 0」无法计算",
        ),
        (VALID_GROUP + "\nrank_within: district", "groups[0].rank_within：未知的列「district」"),
        (VALID_GROUP + "\nrank_within_min: 0", "groups[0].rank_within_min：应为不小于 1 的整数"),
        (VALID_GROUP + "\nweight: 3", "groups[0].weight：未知的键"),
        (TAX_PER_MU, "groups[0].classify：缺少此项"),
        (TAX_PER_MU + "classify: {quota: {A: 0.2}, thresholds: {A: 80}}", "groups[0].classify：应恰有"),
        (TAX_PER_MU + "classify: {quota: {E: 0.2}}", "groups[0].classify.quota.E：未知的等级「E」"),
        (TAX_PER_MU + "classify: {quota: {A: 0.5, B: 0.3}}", "groups[0].classify.quota.B：累计比例应不小于"),
        (TAX_PER_MU + "classify: {quota: {A: 20}}", "groups[0].classify.quota.A：累计比例应在 0 到 1 之间"),
        (
            TAX_PER_MU + "classify: {thresholds: {A: 60, B: 80}}",
            "groups[0].classify.thresholds.B：分数线应不高于",
        ),
        (QUOTA, "groups[0].indicators：缺少此项"),
    ],
)
def test_group_problems(group_body, expected):
    found = group_problems(group_body)
    assert any(p.startswith(expected) for p in found), found


INDICATOR = "{id: t, label: 亩均税收, numerator: tax, denominator: land_mu, weight: 100"


@pytest.mark.parametrize(
    ("indicator", "expected"),
    [
        (INDICATOR + "}", "groups[0].indicators[0].benchmark：ratio 计分必须设置基准值"),
        (INDICATOR + ", benchmark: {fixed: 0}}", "groups[0].indicators[0].benchmark.fixed：应大于 0"),
        (INDICATOR + ", benchmark: {percentile: 120}}", "groups[0].indicators[0].benchmark.percentile：应在 0 到 100"),
        (INDICATOR + ", benchmark: {mode: {}}}", "groups[0].indicators[0].benchmark.mode：未知的键"),
        (INDICATOR + ", benchmark: {mean: {}, median: {}}}", "groups[0].indicators[0].benchmark：应恰有一种基准值"),
        (INDICATOR + ", benchmark: {mean: {by: county}}}", "groups[0].indicators[0].benchmark.by：未知的列「county」"),
        (
            INDICATOR + ", benchmark: {mean: {by: town}, by: town}}",
            "groups[0].indicators[0].benchmark.mean.by：与同级的同名设置重复",
        ),
        (INDICATOR + ", benchmark: {fixed: 1}, scoring: inverse}", "groups[0].indicators[0].cap：inverse 计分必须"),
        (INDICATOR + ", benchmark: {fixed: 1}, scoring: best}", "groups[0].indicators[0].scoring：应为"),
        (INDICATOR + ", benchmark: {fixed: 1}, missing: skip}", "groups[0].indicators[0].missing：应为"),
        (INDICATOR + ", benchmark: {fixed: 1}, cap: 0}", "groups[0].indicators[0].cap：应大于 0"),
        (INDICATOR + ", benchmark: {fixed: 1}, multiplier: -1}", "groups[0].indicators[0].multiplier：应大于 0"),
        (
            INDICATOR + ", benchmark: {fixed: 1}, minmax: {low: 0, high: 100}}",
            "groups[0].indicators[0].minmax：只有 scoring: minmax",
        ),
        (INDICATOR + ", scoring: minmax, minmax: {low: 90, high: 10}}", "groups[0].indicators[0].minmax：low"),
        ("{id: t, label: x, numerator: tax, benchmark: {fixed: 1}}", "groups[0].indicators[0].weight：缺少此项"),
        ("{id: t, label: x, numerator: tax, weight: 十, benchmark: {fixed: 1}}", "groups[0].indicators[0].weight：应为数字"),
        ("{id: 2t, label: x, numerator: tax, weight: 1, benchmark: {fixed: 1}}", "groups[0].indicators[0].id：应以字母开头"),
        ("{id: t, numerator: tax, weight: 1, benchmark: {fixed: 1}}", "groups[0].indicators[0].label：缺少此项"),
        ("{id: t, label: x, numerator: name, weight: 1, benchmark: {fixed: 1}}", "groups[0].indicators[0].numerator：表达式「name」应得出数字"),
    ],
)  # fmt: skip
def test_indicator_problems(indicator, expected):
    found = group_problems(f"indicators:\n  - {indicator}\n{QUOTA}")
    assert any(p.startswith(expected) for p in found), found


def test_the_same_indicator_twice_in_a_group_is_an_error():
    found = group_problems(
        """
        indicators:
          - {id: t, label: A, numerator: tax, weight: 50, benchmark: {fixed: 1}}
          - {id: t, label: B, numerator: tax, weight: 50, benchmark: {fixed: 1}}
        classify: {quota: {A: 0.2}}
        """
    )
    assert found == ["groups[0].indicators[1].id：指标「t」在本组重复"]


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("adjustments: [{label: 加分, points: 3}]", "groups[0].adjustments[0]：应设置 when"),
        ("adjustments: [{label: 加分, when: high_tech}]", "groups[0].adjustments[0].points：缺少此项"),
        (
            "adjustments: [{label: 加分, when: high_tech, points: 3, max: -1}]",
            "groups[0].adjustments[0].max：应大于 0",
        ),
        ("adjustments: [{when: high_tech, points: 3}]", "groups[0].adjustments[0].label：缺少此项"),
        ("rules: [{label: 规则, when: major_accident}]", "groups[0].rules[0]：应恰有一种处理"),
        (
            "rules: [{label: 规则, when: major_accident, at_most: C, set: D}]",
            "groups[0].rules[0]：应恰有一种处理",
        ),
        ("rules: [{label: 规则, when: major_accident, set: E}]", "groups[0].rules[0].set：未知的等级「E」"),
        (
            "rules: [{label: 规则, when: major_accident, exempt: false}]",
            "groups[0].rules[0].exempt：只能为 true",
        ),
        ("rules: [{label: 规则, set: D}]", "groups[0].rules[0].when：缺少此项"),
        (
            "rules: [{label: 规则, when: tenants, set: D}]",
            "groups[0].rules[0].when：条件「tenants」应得出是/否",
        ),
    ],
)
def test_adjustment_and_rule_problems(item, expected):
    found = group_problems(VALID_GROUP + "\n" + item)
    assert any(p.startswith(expected) for p in found), found


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("id: Zhenhai_2014\nname: x\nyear: 2014\n", "id：只能由小写字母、数字和连字符组成"),
        ("name: x\nyear: 2014\n", "id：缺少此项"),
        ("id: x\nyear: 2014\n", "name：缺少此项"),
        ("id: x\nname: x\n", "year：缺少此项"),
        ("id: x\nname: x\nyear: 二〇一四\n", "year：应为四位数年份"),
        ("id: x\nname: x\nyear: 2014\nauthor: me\n", "author：未知的键"),
        ("id: x\nname: x\nyear: 2014\nclasses: [{code: A}, {code: A}]\n", "classes[1].code：等级「A」重复"),
        (
            "id: x\nname: x\nyear: 2014\npolicies: [{class: E, measure: 电价}]\n",
            "policies[0].class：未知的等级「E」",
        ),
    ],
)
def test_top_level_problems(header, expected):
    body = "groups:\n  - id: g\n" + _indent(VALID_GROUP)
    found = problems(header + body)
    assert any(p.startswith(expected) for p in found), found


def test_every_problem_is_reported_at_once():
    found = problems(
        "id: Bad\nname: x\nyear: 2014\ngroups:\n  - id: g\n"
        + _indent(
            "indicators:\n  - {id: t, label: x, numerator: taxx, weight: -1, benchmark: {fixed: 1}}\n" + QUOTA
        )
    )
    assert [p.split("：")[0] for p in found] == [
        "id",
        "groups[0].indicators[0].numerator",
        "groups[0].indicators[0].weight",
    ]


def test_yaml_errors_give_the_line():
    found = problems(HEADER + "groups:\n  - id: g\n   label: [oops\n")
    assert len(found) == 1 and found[0].startswith("YAML 格式错误：第")


def test_a_key_given_twice_is_an_error_not_silently_the_last():
    found = problems(HEADER + "year: 2023\ngroups: []\n")
    assert found[0].startswith("YAML 格式错误：第4行") and "重复的键「year」" in found[0]


def test_benchmark_options_may_sit_beside_the_kind_or_inside_it():
    beside = one_group(
        "indicators:\n  - {id: t, label: x, numerator: tax, weight: 1, benchmark: {median: {}, by: town}}\n"
        + QUOTA
    )
    inside = one_group(
        "indicators:\n  - {id: t, label: x, numerator: tax, weight: 1, benchmark: {median: {by: town}}}\n"
        + QUOTA
    )
    assert beside.groups[0].indicators[0].benchmark == inside.groups[0].indicators[0].benchmark


def test_per_class_policies_are_kept_for_the_platform():
    policies = (
        "policies: [{class: D, measure: 差别化电价, rate: 0.1, unit: 元/千瓦时, base: electricity},"
        " {class: A, measure: 城镇土地使用税减免, share: 1.0}]\n"
    )
    scheme = parse_scheme(HEADER + policies + "groups:\n  - id: g\n" + _indent(VALID_GROUP))
    assert [(p["class"], p["measure"]) for p in scheme.policies] == [
        ("D", "差别化电价"),
        ("A", "城镇土地使用税减免"),
    ]
