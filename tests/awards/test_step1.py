"""Step 1, clause by clause, each with a hand-computed case."""

from __future__ import annotations

import pytest

from zhuanxing.awards import DataError

from .conftest import E1, E2, app, enterprise, make_policy, run

PERCENTAGE = """\
clauses:
  - id: tech
    label: 技术改造
    eligible: "scale = '规上'"
    fields:
      - {id: equipment, label: 设备投资额, unit: 万元}
      - {id: note, label: 说明, type: text, required: true}
    award:
      type: percentage
      base: equipment
      rate: 0.06
      min_base: 200
      cap: 200
      uplifts:
        - {when: "high_tech", rate: 0.08}
        - {when: "rd > 1000", cap: 250}
        - {when: "rd > 900", rate: 0.07, cap: 230}
    veto:
      - {label: 研发投入未达标, when: "rd < 100 AND rd < 0.02 * sales"}
"""


@pytest.fixture(scope="module")
def percentage():
    return make_policy(PERCENTAGE)


def test_percentage_is_base_times_rate(percentage):
    assert run(percentage, [app("A", "tech", equipment="1000", note="x")])["A"] == ("60.00", "60.00", "")


def test_percentage_is_capped(percentage):
    # 5000 × 0.06 = 300 > cap 200
    assert run(percentage, [app("A", "tech", equipment="5000", note="x")])["A"] == ("200.00", "200.00", "")


def test_below_min_base_gives_zero_and_reason_but_min_base_itself_counts(percentage):
    result = run(
        percentage,
        [app("A", "tech", equipment="199.99", note="x"), app("B", "tech", equipment="200", note="x")],
    )
    assert result["A"] == ("0.00", "0.00", "未达到起点")
    assert result["B"] == ("12.00", "12.00", "")  # 200 × 0.06


def test_first_uplift_that_holds_replaces_rate_and_keeps_the_cap(percentage):
    facts = [enterprise(E1, high_tech="是", rd="2000")]  # the first two uplifts both hold
    result = run(
        percentage,
        [app("A", "tech", equipment="2000", note="x"), app("B", "tech", equipment="5000", note="x")],
        facts,
    )
    assert result["A"] == ("160.00", "160.00", "")  # 2000 × 0.08
    assert result["B"] == ("200.00", "200.00", "")  # 400, cap 200 unchanged


def test_uplift_with_only_cap_keeps_the_rate(percentage):
    facts = [enterprise(E1, rd="2000")]
    result = run(percentage, [app("A", "tech", equipment="5000", note="x")], facts)
    assert result["A"] == ("250.00", "250.00", "")  # 5000 × 0.06 = 300, cap raised to 250


def test_uplift_with_rate_and_cap(percentage):
    facts = [enterprise(E1, rd="950")]
    result = run(percentage, [app("A", "tech", equipment="5000", note="x")], facts)
    assert result["A"] == ("230.00", "230.00", "")  # 5000 × 0.07 = 350, cap 230


def test_uplift_on_a_null_fact_does_not_apply(percentage):
    facts = [enterprise(E1, high_tech=None)]
    assert run(percentage, [app("A", "tech", equipment="1000", note="x")], facts)["A"][0] == "60.00"


def test_check_order_ineligible_before_veto_before_empty_field(percentage):
    facts = [
        enterprise(E1, scale="规下", rd="10"),  # ineligible and vetoed, note empty
        enterprise(E2, rd="10"),  # vetoed, note empty
    ]
    result = run(
        percentage,
        [app("A", "tech", equipment="1000"), app("B", "tech", uscc=E2, equipment="1000")],
        facts,
    )
    assert result["A"] == ("0.00", "0.00", "技术改造不符合申报条件")
    assert result["B"] == ("0.00", "0.00", "研发投入未达标")


def test_null_fact_in_eligible_is_not_eligible(percentage):
    result = run(percentage, [app("A", "tech", equipment="1000", note="x")], [enterprise(E1, scale=None)])
    assert result["A"] == ("0.00", "0.00", "技术改造不符合申报条件")


def test_null_fact_in_veto_is_no_veto(percentage):
    # rd < 100 is null, so the veto is null, which counts as false
    result = run(percentage, [app("A", "tech", equipment="1000", note="x")], [enterprise(E1, rd=None)])
    assert result["A"] == ("60.00", "60.00", "")


def test_empty_required_fields_first_in_declared_order_and_base_required_unmarked(percentage):
    result = run(percentage, [app("A", "tech"), app("B", "tech", equipment="1000")])
    assert result["A"] == ("0.00", "0.00", "设备投资额未填写")  # base: required though not marked
    assert result["B"] == ("0.00", "0.00", "说明未填写")


def test_rd_exactly_two_percent_of_sales_is_not_vetoed(percentage):
    # In binary floating point 0.02 × 35 = 0.7000000000000001 > 0.7 and the veto would hold.
    facts = [enterprise(E1, rd="0.7", sales="35"), enterprise(E2, rd="0.69", sales="35")]
    result = run(
        percentage,
        [
            app("A", "tech", equipment="1000", note="x"),
            app("B", "tech", uscc=E2, equipment="1000", note="x"),
        ],
        facts,
    )
    assert result["A"] == ("60.00", "60.00", "")
    assert result["B"] == ("0.00", "0.00", "研发投入未达标")


PER_UNIT = """\
clauses:
  - id: energy
    label: 节能改造
    fields:
      - {id: saved, label: 节能量, unit: 吨标准煤, required: true}
      - {id: invest, label: 项目投资额, unit: 万元}
    award: {type: per_unit, base: saved, rate: 0.04, cap: 50, share_cap: {of: invest, share: 0.3}}
"""


def test_per_unit_is_the_least_of_rate_cap_and_share():
    policy = make_policy(PER_UNIT)
    result = run(
        policy,
        [
            app("A", "energy", saved="100", invest="100"),  # 100 × 0.04 = 4; share 30: 4
            app("B", "energy", saved="100", invest="10"),  # share 10 × 0.3 = 3
            app("C", "energy", saved="100"),  # share field empty: ignored
            app("D", "energy", saved="2000", invest="1000"),  # 80 > cap 50; share 300
        ],
    )
    assert result == {
        "A": ("4.00", "4.00", ""),
        "B": ("3.00", "3.00", ""),
        "C": ("4.00", "4.00", ""),
        "D": ("50.00", "50.00", ""),
    }


FIXED = """\
clauses:
  - id: team
    label: 创新团队
    award: {type: fixed, amount: 20}
  - id: odd
    label: 尾数
    award: {type: fixed, amount: 1.005}
"""


def test_fixed_and_half_up_rounding_of_an_exact_decimal():
    # 1.005 as a float is 1.00499999…; read as its text it is exactly 1.005 and rounds half-up.
    result = run(make_policy(FIXED), [app("A", "team"), app("B", "odd")])
    assert result == {"A": ("20.00", "20.00", ""), "B": ("1.01", "1.01", "")}


def test_rounding_is_half_up_not_half_even():
    policy = make_policy(
        """\
        clauses:
          - id: c
            fields: [{id: x, label: 金额}]
            award: {type: percentage, base: x, rate: 0.01}
        """
    )
    result = run(policy, [app("A", "c", x="12.5"), app("B", "c", x="13.5")])
    assert result["A"][0] == "0.13"  # 0.125
    assert result["B"][0] == "0.14"  # 0.135


BANDS = """\
clauses:
  - id: flat
    label: 不累进
    fields: [{id: invest, label: 项目投资额}]
    award: {type: bands, base: invest, marginal: false, cap: 500,
            bands: [{upto: 500, rate: 0.03}, {upto: 1000, rate: 0.04}, {rate: 0.05}]}
  - id: marginal
    label: 累进
    fields: [{id: invest, label: 项目投资额}]
    award: {type: bands, base: invest, marginal: true,
            bands: [{upto: 500, rate: 0.03}, {upto: 1000, rate: 0.04}, {rate: 0.05}]}
  - id: tiny
    label: 小额累进
    fields: [{id: invest, label: 项目投资额}]
    award: {type: bands, base: invest, marginal: true, bands: [{upto: 0.5, rate: 0.01}, {rate: 0.01}]}
"""


def test_bands_not_marginal_take_the_rate_of_the_band_holding_the_base():
    result = run(
        make_policy(BANDS),
        [
            app("A", "flat", invest="500"),  # upto inclusive: 500 × 0.03 = 15
            app("B", "flat", invest="500.01"),  # 500.01 × 0.04 = 20.0004
            app("C", "flat", invest="2000"),  # 2000 × 0.05 = 100
            app("D", "flat", invest="20000"),  # 1000 > cap 500
        ],
    )
    assert [result[k][0] for k in "ABCD"] == ["15.00", "20.00", "100.00", "500.00"]


def test_bands_marginal_sum_each_part_at_its_rate():
    result = run(
        make_policy(BANDS), [app("A", "marginal", invest="1200"), app("B", "marginal", invest="300")]
    )
    assert result["A"][0] == "45.00"  # 500 × 0.03 + 500 × 0.04 + 200 × 0.05 = 15 + 20 + 10
    assert result["B"][0] == "9.00"  # 300 × 0.03


def test_only_the_final_amount_of_step_1_is_rounded():
    # 0.5 × 0.01 + 0.5 × 0.01 = 0.005 + 0.005 = 0.01; rounding each part half-up would give 0.02.
    assert run(make_policy(BANDS), [app("A", "tiny", invest="1")])["A"][0] == "0.01"


LEVELS = """\
clauses:
  - id: centre
    label: 工程中心
    fields:
      - {id: new_level, label: 认定级别}
      - {id: previous_level, label: 原有级别}
    award: {type: level_difference, level: new_level, previous: previous_level,
            amounts: {区级: 5, 市级: 10, 省级: 50, 国家级: 200}}
"""


def test_level_difference_pays_the_difference_never_below_zero():
    result = run(
        make_policy(LEVELS),
        [
            app("A", "centre", new_level="省级", previous_level="市级"),  # 50 − 10
            app("B", "centre", new_level="省级"),  # previous empty = 0
            app("C", "centre", new_level="市级", previous_level="省级"),  # 10 − 50 < 0
            app("D", "centre"),  # the level field is required though not marked
        ],
    )
    assert result == {
        "A": ("40.00", "40.00", ""),
        "B": ("50.00", "50.00", ""),
        "C": ("0.00", "0.00", ""),
        "D": ("0.00", "0.00", "认定级别未填写"),
    }


def test_a_level_missing_from_amounts_is_a_data_error():
    with pytest.raises(DataError) as caught:
        run(
            make_policy(LEVELS),
            [
                app("A", "centre", new_level="部级"),
                app("B", "centre", new_level="省级", previous_level="镇级"),
            ],
        )
    messages = [str(p) for p in caught.value.problems]
    assert len(messages) == 2
    assert "第2行" in messages[0] and "部级" in messages[0]
    assert "第3行" in messages[1] and "镇级" in messages[1]


def test_no_cap_means_no_cap():
    policy = make_policy(
        """\
        clauses:
          - id: c
            fields: [{id: x, label: 金额}]
            award: {type: percentage, base: x, rate: 0.5}
        """
    )
    assert run(policy, [app("A", "c", x="1000000")])["A"][0] == "500000.00"
