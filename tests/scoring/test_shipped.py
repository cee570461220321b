"""The shipped schemes, on hand-computed enterprises (the 黄岩 worked check among them)."""

from __future__ import annotations

import pytest

from zhuanxing.scoring import load_scheme

from .conftest import column, run

HUANGYAN_FIRM = {
    "scale": "规上", "land_mu": 50.0, "tax": 1500.0, "value_added": 6000.0, "energy_tce": 2500.0,
    "emissions": 1.2, "employees": 300.0, "rd": 600.0, "revenue": 30000.0,
}  # fmt: skip


def test_huangyan_worked_check_totals_100_583():
    result = run(load_scheme("huangyan-2022"), HUANGYAN_FIRM).row(0, named=True)
    indicators = [
        "tax_per_mu", "value_added_per_mu", "value_added_per_energy", "value_added_per_emission",
        "labour_productivity", "rd_intensity",
    ]  # fmt: skip
    assert [round(result[f"{i}_score"], 3) for i in indicators] == [
        37.349,
        17.626,
        17.817,
        10.142,
        11.025,
        6.623,
    ]
    assert round(result["total"], 3) == 100.583
    assert result["group"] == "above"


def test_huangyan_below_scale_firms_need_3_mu_and_have_their_own_benchmarks():
    below = {"scale": "规下", "tax": 23.1864, "electricity": 98.56}
    result = run(load_scheme("huangyan-2022"), below | {"land_mu": 2.0}, below | {"land_mu": 4.0})
    assert column(result, "group") == ["below"]
    # 亩均税收 5.7966 / 11.5932 × 50 = 25; 单位用电税收 0.23525… / 0.2352 × 50
    assert column(result, "tax_per_mu_score") == pytest.approx([25.0])
    assert column(result, "total") == pytest.approx([25.0 + 23.1864 / 98.56 / 0.2352 * 50])


def test_huangyan_missing_emissions_take_the_mean_score_other_missing_values_score_zero():
    second = HUANGYAN_FIRM | {"emissions": None, "rd": None, "tax": 3000.0}
    result = run(load_scheme("huangyan-2022"), HUANGYAN_FIRM, second)
    assert column(result, "value_added_per_emission_score") == pytest.approx([10.142378712, 10.142378712])
    assert column(result, "rd_intensity_score") == pytest.approx([6.622516556, 0.0])


ZHENHAI_FIRMS = [
    {"scale": "规上", "tax": 100.0, "social_insurance": 20.0, "land_mu": 10.0, "sales": 1000.0,
     "value_added": 300.0, "employees": 30.0, "energy_tce": 60.0, "emission_rights": 2.0, "emissions": 1.0,
     "founded": "2000-01-01", "major_accident": False},
    {"scale": "规上", "tax": 50.0, "social_insurance": 10.0, "land_mu": 20.0, "sales": 800.0,
     "value_added": 200.0, "employees": 40.0, "energy_tce": 100.0, "emission_rights": None, "emissions": 5.0,
     "founded": "2013-06-01", "major_accident": False},
    {"scale": "规上", "tax": 10.0, "social_insurance": None, "land_mu": 10.0, "sales": 100.0,
     "value_added": 50.0, "employees": 25.0, "energy_tce": 50.0, "emission_rights": None, "emissions": None,
     "founded": "2000-01-01", "major_accident": True},
]  # fmt: skip


def test_zhenhai_aggregate_benchmarks_capped_at_one_and_a_half_weights():
    result = run(load_scheme("zhenhai-2014"), *ZHENHAI_FIRMS)
    # 亩均税费 (tax + social insurance) / land: 12, 3, null (a null social insurance makes the sum null)
    assert column(result, "tax_fee_per_mu_benchmark") == pytest.approx([180 / 30] * 3)
    assert column(result, "tax_fee_per_mu_score") == pytest.approx([1.5 * 35, 3 / 6 * 35, 0])
    assert column(result, "sales_per_mu_score") == pytest.approx([30, 40 / 47.5 * 20, 10 / 47.5 * 20])
    productivity = 550 / 95
    assert column(result, "labour_productivity_score") == pytest.approx(
        [22.5, 5 / productivity * 15, 2 / productivity * 15]
    )
    assert column(result, "tax_fee_per_energy_score") == pytest.approx([22.5, 0.6 / 1.125 * 15, 0])
    # 吨排污权税收 tax / GREATEST(emission rights, emissions): 50, 10, null → the mean score
    assert column(result, "tax_per_emission_right_benchmark") == pytest.approx([150 / 7] * 3)
    second = 10 / (150 / 7) * 15
    assert column(result, "tax_per_emission_right_score") == pytest.approx(
        [22.5, second, (22.5 + second) / 2]
    )
    assert column(result, "rank") == [1, 2, 3]
    assert column(result, "final_class") == ["B", "B", "D"]
    assert column(result, "reasons") == ["", "新办企业不列D类", "发生重大安全事故不得评为A、B类"]


def test_zhenhai_protects_new_firms_from_d_and_keeps_accident_firms_out_of_a_and_b():
    firms = [
        ZHENHAI_FIRMS[0] | {"major_accident": True},
        ZHENHAI_FIRMS[1],
        ZHENHAI_FIRMS[2] | {"founded": "2013-01-01"},
    ]
    firms += [ZHENHAI_FIRMS[0] | {"tax": 1.0 + n} for n in range(7)]
    result = run(load_scheme("zhenhai-2014"), *firms)
    assert column(result, "initial_class")[:3] == ["A", "B", "D"]
    assert column(result, "final_class")[:3] == ["C", "B", "C"]


def test_linhai_small_plots_use_their_own_weights_and_large_ones_need_water():
    scheme = load_scheme("linhai-2014")
    small = {"land_mu": 2.0, "tax": 45.0, "sales": 900.0, "electricity": 15.0}
    result = run(scheme, small)
    # 22.5 / 15 × 50 + 450 / 300 × 20 + 3 / 2 × 30
    assert column(result, "total") == pytest.approx([75.0 + 30.0 + 45.0])
    large = {"land_mu": 10.0, "tax": 150.0, "sales": 3000.0, "value_added": 300.0, "energy_tce": 100.0,
             "emissions": 0.6, "water": 3000.0, "employees": 20.0}  # fmt: skip
    # each value equals its benchmark, so each indicator scores its weight
    assert column(run(scheme, large), "total") == pytest.approx([100.0])
    assert "water" in scheme.input_columns()
