"""The in-process API the platform uses: preview, prepared inputs, typed frames, 免申即享."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import polars as pl
import pytest

from zhuanxing.awards import (
    DataError,
    automatic_matches,
    compute_awards,
    prepare_applications,
    prepare_facts,
    preview_award,
)

from .conftest import E1, E2, E3, enterprise, make_policy

POLICY = """\
clauses:
  - id: tech
    label: 技术改造
    eligible: "scale = '规上'"
    fields: [{id: equipment, label: 设备投资额, unit: 万元, required: true}]
    award:
      type: percentage
      base: equipment
      rate: 0.06
      cap: 200
      uplifts: [{when: high_tech, rate: 0.08, label: 高新技术企业}]
    veto: [{label: 研发投入未达标, when: "rd < 100 AND rd < 0.02 * sales"}]
  - id: hi-tech-bonus
    label: 高新技术企业奖励
    automatic: true
    eligible: high_tech
    veto: [{label: 研发投入未达标, when: "rd < 100 AND rd < 0.02 * sales"}]
    award: {type: fixed, amount: 10}
  - id: big-firm
    label: 规上企业奖励
    automatic: true
    eligible: "scale = '规上' AND sales >= 1000"
    award: {type: fixed, amount: 5}
"""


@pytest.fixture(scope="module")
def policy():
    return make_policy(POLICY)


def test_preview_explains_the_amount(policy):
    facts = {"scale": "规上", "high_tech": True, "rd": Decimal("500"), "sales": Decimal("1000")}
    preview = preview_award(policy, "tech", facts, {"equipment": Decimal("5000")})
    assert preview.computed == Decimal("200.00") and preview.reasons == ()
    assert preview.explanation == (
        "适用上浮（高新技术企业）：8%，封顶 200 万元",
        "设备投资额 5000 万元 × 8% = 400 万元",
        "封顶 200 万元",
        "计算额 200.00 万元",
    )


def test_preview_of_an_ineligible_or_incomplete_application(policy):
    facts = {"scale": "规下", "high_tech": False, "rd": 500, "sales": 1000}
    assert preview_award(policy, "tech", facts, {"equipment": 1}).reasons == ("技术改造不符合申报条件",)
    facts["scale"] = "规上"
    assert preview_award(policy, "tech", facts, {}).reasons == ("设备投资额未填写",)


def test_preview_rejects_bad_values(policy):
    with pytest.raises(DataError, match="应为数字"):
        preview_award(policy, "tech", {"rd": "很多"}, {"equipment": "1"})
    with pytest.raises(DataError, match="未知的条款"):
        preview_award(policy, "nope", {}, {})


def test_prepared_inputs_and_typed_frames(policy):
    facts = prepare_facts(
        policy,
        pl.DataFrame(
            {
                "uscc": [E1],
                "scale": ["规上"],
                "high_tech": [False],
                "rd": pl.Series([Decimal("20")], dtype=pl.Decimal(10, 2)),
                "sales": [1000.0],  # a float column (parquet): taken by its shortest text
            }
        ),
    )
    assert facts.frame.schema["sales"] == pl.Decimal(38, 1)
    applications = prepare_applications(
        policy,
        [
            {
                "id": "A",
                "uscc": E1,
                "clause": "tech",
                "year": 2024,
                "submitted": dt.date(2024, 3, 1),
                "equipment": 1000,
            }
        ],
        facts=facts,
    )
    assert applications.frame.row(0, named=True) | {"equipment": 1000} == {
        "#row": 0,
        "id": "A",
        "uscc": E1,
        "clause": "tech",
        "project": None,
        "year": 2024,
        "submitted": dt.date(2024, 3, 1),
        "equipment": 1000,
    }
    [result] = compute_awards(policy, facts, applications)
    # rd 20 < 100 but not below 2% of 1000 (= 20): not vetoed
    assert (result.computed, result.awarded, result.reasons) == (Decimal("60.00"), Decimal("60.00"), ())


def test_prepared_applications_are_still_checked_against_facts(policy):
    applications = prepare_applications(
        policy,
        [{"id": "A", "uscc": E2, "clause": "tech", "year": 2024, "submitted": "2024-03-01", "equipment": 1}],
    )
    with pytest.raises(DataError, match="第2行.*企业数据中没有此统一社会信用代码"):
        compute_awards(policy, [enterprise(E1)], applications)


def test_automatic_matches_eligible_enterprises_with_their_veto(policy):
    facts = [
        enterprise(E1, high_tech="是"),
        enterprise(E2, high_tech="是", rd="10", sales="5000"),  # vetoed
        enterprise(E3, scale="规下", high_tech=None, sales="5000"),  # matches nothing
    ]
    matches = automatic_matches(policy, facts).sort("clause", "uscc")
    assert matches.rows() == [
        (E1, "big-firm", None),
        (E2, "big-firm", None),
        (E1, "hi-tech-bonus", None),
        (E2, "hi-tech-bonus", "研发投入未达标"),
    ]


def test_a_condition_that_cannot_be_computed_on_the_data_is_a_data_error():
    policy = make_policy(
        """\
        clauses:
          - {id: c, eligible: "rd / sales > 0.02", award: {type: fixed, amount: 1}}
        """
    )
    facts = [enterprise(E1, sales="0")]
    with pytest.raises(DataError, match=r"clauses\[0\]\.eligible"):
        compute_awards(
            policy, facts, [{"id": "A", "uscc": E1, "clause": "c", "year": 2024, "submitted": "2024-03-01"}]
        )
