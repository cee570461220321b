"""Loading policy files: exact numbers, every kind of mistake reported with its key path."""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from zhuanxing.awards import PolicyError, load_policy, shipped_policies

from .conftest import HEADER, app, make_policy, run

GOOD = """\
budget: 3000
clauses:
  - id: tech
    label: 技术改造
    automatic: true
    fields: [{id: equipment, label: 设备投资额, unit: 万元}]
    award: {type: percentage, base: equipment, rate: 0.06, cap: 200}
"""


def test_numbers_are_decimals_read_from_their_text():
    policy = make_policy(GOOD)
    award = policy.clause("tech").award
    assert isinstance(award.rate, Decimal) and award.rate == Decimal("0.06")
    assert policy.budget == Decimal("3000")
    assert policy.clause("tech").automatic is True


def test_a_mapping_with_floats_is_taken_by_their_shortest_text():
    data = yaml.safe_load(HEADER + GOOD)  # plain PyYAML: rate is the float 0.06
    assert isinstance(data["clauses"][0]["award"]["rate"], float)
    assert load_policy(data).clause("tech").award.rate == Decimal("0.06")


def test_no_binary_floating_point_in_sums():
    # 0.1 + 0.2 is 0.30000000000000004 in floats, which would exceed a budget of 0.3
    policy = make_policy(
        """\
        budget: 0.3
        clauses:
          - {id: a, award: {type: fixed, amount: 0.1}}
          - {id: b, award: {type: fixed, amount: 0.2}}
        """
    )
    assert run(policy, [app("A", "a"), app("B", "b")]) == {
        "A": ("0.10", "0.10", ""),
        "B": ("0.20", "0.20", ""),
    }


def test_load_from_a_path_and_labels_default_to_ids(tmp_path: Path):
    path = tmp_path / "p.yaml"
    path.write_text("id: p\nclauses: [{id: team, award: {type: fixed, amount: 20}}]\n", encoding="utf-8")
    policy = load_policy(path)
    assert policy.name == "p" and policy.clause("team").label == "team" and policy.year is None


def test_shipped_policies_load():
    shipped = shipped_policies()
    assert {"zhenhai-manufacturing-2023", "zhenhai-manufacturing-2024"} <= set(shipped)
    for path in shipped.values():
        assert load_policy(path).clauses


def problems_of(body: str, header: str = HEADER) -> list[str]:
    with pytest.raises(PolicyError) as caught:
        load_policy(header + textwrap.dedent(body))
    return [str(p) for p in caught.value.problems]


def clause(award: str, extra: str = "", fields: str = "[{id: x, label: 金额}]") -> str:
    return f"clauses:\n  - id: c\n    label: 条款\n    fields: {fields}\n    award: {award}\n{extra}"


@pytest.mark.parametrize(
    ("body", "path", "words"),
    [
        (clause("{type: percent, base: x, rate: 0.1}"), "clauses[0].award.type", "未知的奖励类型"),
        (clause("{type: percentage, base: y, rate: 0.1}"), "clauses[0].award.base", "不是本条款声明的字段"),
        (
            clause("{type: per_unit, base: x, rate: 1, share_cap: {of: nope, share: 0.3}}"),
            "clauses[0].award.share_cap.of",
            "不是本条款声明的字段",
        ),
        (
            clause("{type: level_difference, level: lvl, amounts: {a: 1}}"),
            "clauses[0].award.level",
            "不是本条款",
        ),
        (
            clause("{type: percentage, base: x, rate: 0.1}", '    eligible: "turnover > 5"\n'),
            "clauses[0].eligible",
            "未声明",
        ),
        (
            clause("{type: percentage, base: x, rate: 0.1}", '    veto: [{label: 否, when: "scale = "}]\n'),
            "clauses[0].veto[0].when",
            "无法解析",
        ),
        (
            clause('{type: percentage, base: x, rate: 0.1, uplifts: [{when: "nope", rate: 0.2}]}'),
            "clauses[0].award.uplifts[0].when",
            "未声明",
        ),
        (
            clause("{type: percentage, base: x, rate: 0.1}", '    eligible: "rd"\n'),
            "clauses[0].eligible",
            "真/假",
        ),
        (
            clause("{type: percentage, base: x, rate: 0.1}", '    eligible: "scale > 5"\n'),
            "clauses[0].eligible",
            "无法计算",
        ),
        (
            clause(
                "{type: bands, base: x, bands: [{upto: 500, rate: 0.1}, {upto: 400, rate: 0.2}, {rate: 0.3}]}"
            ),
            "clauses[0].award.bands[1].upto",
            "从小到大",
        ),
        (
            clause("{type: bands, base: x, bands: [{upto: 500, rate: 0.1}, {upto: 900, rate: 0.2}]}"),
            "clauses[0].award.bands[1].upto",
            "最后一档",
        ),
        (
            clause("{type: bands, base: x, bands: [{rate: 0.1}, {rate: 0.2}]}"),
            "clauses[0].award.bands[0].upto",
            "缺少",
        ),
        (clause("{type: percentage, base: x, rate: 6%}"), "clauses[0].award.rate", "应为数字"),
        (clause("{type: percentage, base: x, rate: 6}"), "clauses[0].award.rate", "0 到 1"),
        (clause("{type: percentage, base: x}"), "clauses[0].award.rate", "缺少"),
        (clause("{type: percentage, base: x, rate: 0.1, cap: -1}"), "clauses[0].award.cap", "负数"),
        (clause("{type: percentage, base: x, rate: 0.1, cap_: 5}"), "clauses[0].award.cap_", "未知的键"),
        (clause("{type: fixed, amount: 5, cap: 3}"), "clauses[0].award.cap", "未知的键"),
        (
            clause("{type: percentage, base: x, rate: 0.1}", fields="[{id: x, label: 金额, type: text}]"),
            "clauses[0].award.base",
            "类型应为 number",
        ),
        (
            clause("{type: percentage, base: x, rate: 0.1}", "    automatic: yes please\n"),
            "clauses[0].automatic",
            "true 或 false",
        ),
        (
            clause("{type: percentage, base: x, rate: 0.1}", "    per_enterprise_per_year: 0\n"),
            "clauses[0].per_enterprise_per_year",
            "整数",
        ),
        (
            clause("{type: percentage, base: id, rate: 0.1}", fields="[{id: id, label: 金额}]"),
            "clauses[0].fields",
            "冲突",
        ),
        (
            clause("{type: percentage, base: x, rate: 0.1}", fields="[{id: x, label: 年度}]"),
            "clauses[0].fields",
            "冲突",
        ),
        (
            clause("{type: percentage, base: x, rate: 0.1}", "exclusive: [[c, nope]]\n"),
            "exclusive[0][1]",
            "未知的条款",
        ),
        (
            clause("{type: percentage, base: x, rate: 0.1}", "exclusive: [[c], [c]]\n"),
            "exclusive[1][0]",
            "至多属于一个组",
        ),
        ("clauses: []\n", "clauses", "至少"),
        ("clauses: [{id: a, award: {type: fixed, amount: 1}}]\nsurplus: 1\n", "surplus", "未知的键"),
    ],
)
def test_policy_mistakes_are_reported_with_their_key_path(body, path, words):
    problems = problems_of(body)
    assert any(p.startswith(f"{path}：") and words in p for p in problems), problems


def test_a_fact_of_unknown_type_and_a_year_that_is_not_a_number():
    problems = problems_of(
        "clauses: [{id: a, award: {type: fixed, amount: 1}}]\n",
        header="id: p\nyear: 二〇二四\nfacts:\n  f: {label: 甲, type: money}\n",
    )
    assert any(p.startswith("year：") for p in problems)
    assert any(p.startswith("facts.f.type：") for p in problems)


def test_every_problem_is_reported_at_once():
    problems = problems_of(
        """\
        clauses:
          - {id: a, award: {type: percent}}
          - {id: b, fields: [{id: x}], award: {type: percentage, base: y, rate: 0.1}}
          - {id: a, award: {type: fixed, amount: 1}}
        exclusive: [[a, b], [b]]
        """
    )
    paths = [p.split("：")[0] for p in problems]
    assert paths == ["clauses[0].award.type", "clauses[1].award.base", "clauses[2].id", "exclusive[1][0]"]


def test_the_same_field_in_two_clauses_must_agree():
    problems = problems_of(
        """\
        clauses:
          - {id: a, fields: [{id: x, label: 投资额}], award: {type: percentage, base: x, rate: 0.1}}
          - {id: b, fields: [{id: x, label: 投资额, type: text}], award: {type: fixed, amount: 1}}
        """
    )
    assert problems[0].startswith("clauses[1].fields[0]：")


def test_yaml_syntax_errors_and_duplicate_keys_name_the_line():
    assert problems_of("", header="id: p\nclauses: [\n")[0].startswith("YAML 格式错误（第3行")
    duplicate = problems_of(
        "clauses: [{id: a, award: {type: fixed, amount: 1, amount: 2}}]\n", header="id: p\n"
    )
    assert "重复的键「amount」" in duplicate[0]


def test_missing_policy_file(tmp_path: Path):
    with pytest.raises(PolicyError, match="找不到政策文件"):
        load_policy(tmp_path / "nope.yaml")


def test_yaml_anchors_and_merge_keys_may_share_settings():
    policy = make_policy(
        """\
        clauses:
          - id: a
            fields: [{id: x, label: 金额}]
            award: &common {type: percentage, base: x, rate: 0.06, cap: 200}
          - id: b
            fields: [{id: x, label: 金额}]
            award: {<<: *common, cap: 300}
        """
    )
    assert (policy.clause("a").award.cap, policy.clause("b").award.cap) == (Decimal("200"), Decimal("300"))
