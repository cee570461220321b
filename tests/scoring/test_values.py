"""Indicator values, SQL expressions and their nulls, groups and the derived columns."""

from __future__ import annotations

import pytest

from .conftest import QUOTA, TAX_PER_MU, code, column, make_scheme, one_group, run


def values_of(indicator: str, *rows: dict) -> list:
    scheme = one_group(f"indicators:\n  - {indicator}\n{QUOTA}")
    return column(run(scheme, *rows), "v_value")


def test_value_is_numerator_over_denominator_times_multiplier():
    indicator = "{id: v, label: x, numerator: tax, denominator: land_mu, multiplier: 10000, weight: 1, benchmark: {fixed: 1}}"
    assert values_of(indicator, {"tax": 3.0, "land_mu": 4.0}) == [7500.0]


@pytest.mark.parametrize(
    ("tax", "land_mu"),
    [(None, 4.0), (3.0, None), (3.0, 0.0), (3.0, -2.0)],
    ids=["null numerator", "null denominator", "zero denominator", "negative denominator"],
)
def test_value_is_null_when_a_side_is_null_or_the_denominator_not_positive(tax, land_mu):
    indicator = "{id: v, label: x, numerator: tax, denominator: land_mu, weight: 1, benchmark: {fixed: 1}}"
    assert values_of(indicator, {"tax": tax, "land_mu": land_mu}) == [None]


def test_a_negative_numerator_gives_a_negative_value():
    indicator = "{id: v, label: x, numerator: tax, denominator: land_mu, weight: 1, benchmark: {fixed: 1}}"
    assert values_of(indicator, {"tax": -3.0, "land_mu": 2.0}) == [-1.5]


def test_greatest_least_and_coalesce_skip_nulls_and_are_null_only_when_all_are():
    rows = [
        {"emission_rights": 4.0, "emissions": None, "tax": 1.0},
        {"emission_rights": None, "emissions": 2.0, "tax": 1.0},
        {"emission_rights": 4.0, "emissions": 8.0, "tax": 1.0},
        {"emission_rights": None, "emissions": None, "tax": 1.0},
    ]
    for function, expected in [
        ("GREATEST", [4.0, 2.0, 8.0, None]),
        ("LEAST", [4.0, 2.0, 4.0, None]),
        ("COALESCE", [4.0, 2.0, 4.0, None]),
    ]:
        indicator = f"{{id: v, label: x, numerator: '{function}(emission_rights, emissions)', weight: 1, benchmark: {{fixed: 1}}}}"
        assert values_of(indicator, *rows) == expected, function


def test_any_other_operation_on_a_null_gives_null():
    indicator = "{id: v, label: x, numerator: tax + social_insurance, denominator: land_mu, weight: 1, benchmark: {fixed: 1}}"
    assert values_of(
        indicator, {"tax": 6.0, "social_insurance": 2.0, "land_mu": 2.0}, {"tax": 6.0, "land_mu": 2.0}
    ) == [
        4.0,
        None,
    ]


def test_a_case_expression_works_and_a_null_condition_inside_it_counts_false():
    indicator = "{id: v, label: x, numerator: 'CASE WHEN high_tech THEN tax * 2 ELSE tax END', weight: 1, benchmark: {fixed: 1}}"
    rows = [
        {"tax": 5.0, "high_tech": True},
        {"tax": 5.0, "high_tech": False},
        {"tax": 5.0, "high_tech": None},
    ]
    assert values_of(indicator, *rows) == [10.0, 5.0, 5.0]


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("high_tech OR major_accident", [False, False, False, True]),  # TRUE OR NULL is null, not true
        ("high_tech AND NOT major_accident", [False, False, False, True]),
        ("NOT major_accident", [False, False, False, True]),
        ("major_accident IS NULL", [True, True, True, False]),
    ],
)
def test_a_condition_that_is_null_counts_as_false_and_or_with_a_null_is_null(when, expected):
    # rows: (high_tech, major_accident) = (T, null), (F, null), (null, null), (T, F)
    scheme = one_group(TAX_PER_MU + QUOTA + f"\nadjustments: [{{label: 加分, when: '{when}', points: 1}}]")
    rows = [
        {"tax": 1.0, "land_mu": 1.0, "high_tech": True, "major_accident": None},
        {"tax": 1.0, "land_mu": 1.0, "high_tech": False, "major_accident": None},
        {"tax": 1.0, "land_mu": 1.0, "high_tech": None, "major_accident": None},
        {"tax": 1.0, "land_mu": 1.0, "high_tech": True, "major_accident": False},
    ]
    assert column(run(scheme, *rows), "adjustment") == [1.0 if e else 0.0 for e in expected]


def two_groups(populations: tuple[str, str]):
    first, second = populations
    indicator = "indicators: [{id: t, label: 亩均税收, numerator: tax, denominator: land_mu, weight: 100, benchmark: {fixed: 10}}]"
    return make_scheme(
        f"""\
        groups:
          - id: first
            population: "{first}"
            {indicator}
            {QUOTA}
          - id: second
            population: "{second}"
            {indicator}
            {QUOTA}
        """
    )


def test_an_enterprise_belongs_to_the_first_group_whose_population_it_meets_others_are_not_evaluated():
    scheme = two_groups(("scale = '规上'", "land_mu >= 3"))
    result = run(
        scheme,
        {"scale": "规上", "land_mu": 5.0, "tax": 1.0},  # both: the first wins
        {"scale": "规下", "land_mu": 5.0, "tax": 1.0},
        {"scale": "规下", "land_mu": 2.0, "tax": 1.0},  # neither: not evaluated
        {"scale": None, "land_mu": 4.0, "tax": 1.0},  # null population condition counts false
    )
    assert column(result, "group") == ["first", "second", "second"]
    assert column(result, "uscc") == [code(1), code(2), code(4)]


def test_industry_division_is_the_first_two_digits_of_the_industry_code_kept_as_text():
    scheme = one_group(
        TAX_PER_MU + QUOTA + "\nadjustments: [{label: 采矿业, when: \"industry_division = '06'\", points: 1}]"
    )
    result = run(
        scheme,
        {"tax": 1.0, "land_mu": 1.0, "industry": "0610"},
        {"tax": 1.0, "land_mu": 1.0, "industry": "2614"},
    )
    assert column(result, "adjustment") == [1.0, 0.0]


def test_age_years_is_the_scheme_year_minus_the_founding_year():
    # the scheme year is 2022: founded in 2020 is 2 years old whatever the month
    scheme = one_group(TAX_PER_MU + QUOTA + "\nadjustments: [{label: 年龄, per: age_years, points: 1}]")
    result = run(
        scheme,
        {"tax": 1.0, "land_mu": 1.0, "founded": "2020-12-31"},
        {"tax": 1.0, "land_mu": 1.0, "founded": "2021年1月1日"},
        {"tax": 1.0, "land_mu": 1.0, "founded": "2000"},
        {"tax": 1.0, "land_mu": 1.0, "founded": None},
    )
    assert column(result, "adjustment") == [2.0, 1.0, 22.0, 0.0]
