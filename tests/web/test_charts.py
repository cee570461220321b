"""The figures' layout: labels that read level, heights that fit, no empty axes."""

import html
import json
import re

from zhuanxing.web import charts

TOWNS = [
    "招宝山街道",
    "蛟川街道",
    "骆驼街道",
    "庄市街道",
    "贵驷街道",
    "澥浦镇",
    "九龙湖镇",
    "临港",
    "镇海经济开发区",
]


def figure_of(fragment) -> tuple[dict, int]:
    """The plotly figure a chart fragment carries, and the height of its box."""
    data = re.search(r'data-plotly-figure="([^"]*)"', str(fragment)).group(1)
    height = int(re.search(r"height:(\d+)px", str(fragment)).group(1))
    return json.loads(html.unescape(data)), height


def test_many_categories_give_level_horizontal_bars_whose_height_follows_the_count():
    few, few_height = figure_of(charts.bar_chart(TOWNS[:3], {"A": [1, 2, 3]}, title="t"))
    many, many_height = figure_of(charts.bar_chart(TOWNS, {"A": list(range(9))}, title="t"))
    assert few["data"][0].get("orientation") != "h" and few["layout"]["xaxis"]["tickangle"] == 0
    assert many["data"][0]["orientation"] == "h" and many["data"][0]["y"][0] == "招宝山街道"
    assert many["layout"]["yaxis"]["autorange"] == "reversed"  # the first town on top
    doubled, doubled_height = figure_of(charts.bar_chart(TOWNS * 2, {"A": list(range(18))}, title="t"))
    assert many_height < doubled_height


def test_long_names_are_horizontal_and_wrapped_not_stacked():
    name = "计算机、通信和其他电子设备制造业"
    figure, _height = figure_of(charts.bar_chart([name, "纺织业"], {"A": [5, 3]}, title="t"))
    assert figure["data"][0]["orientation"] == "h"
    assert figure["data"][0]["y"][0] == "计算机、通信和其<br>他电子设备制造业"  # two even lines
    assert charts.wrap_label("宁波石化经济技术开发区") == "宁波石化经济<br>技术开发区"
    assert charts.wrap_label("纺织业") == "纺织业"


def test_the_radar_numbers_sit_between_the_first_two_spokes():
    figure, _height = figure_of(charts.radar(["甲", "乙", "丙", "丁"], {"本企业": [1, 2, 3, 4]}, title="t"))
    radial = figure["layout"]["polar"]["radialaxis"]
    assert radial["angle"] == 45 and radial["nticks"] <= 4  # 90° is the first spoke, 0° the second


def test_no_data_shows_a_sentence_instead_of_an_empty_axis():
    for empty in (
        charts.bar_chart([], {}, title="各镇街分类企业数"),
        charts.bar_chart(["骆驼街道"], {"A": [0]}, title="各镇街分类企业数"),
        charts.histogram([], title="各镇街分类企业数", x_label="x"),
        charts.radar([], {}, title="各镇街分类企业数"),
        charts.line_chart([], {}, title="各镇街分类企业数"),
    ):
        assert "暂无数据" in empty and "各镇街分类企业数" in empty and "data-plotly-figure" not in empty


def test_counts_are_ticked_in_whole_numbers():
    counts, _height = figure_of(
        charts.bar_chart(["骆驼街道", "澥浦镇"], {"A": [1, 0], "D": [0, 1]}, title="t")
    )
    assert counts["layout"]["yaxis"]["tickformat"] == ",d" and counts["layout"]["yaxis"]["dtick"] == 1
    amounts, _height = figure_of(charts.bar_chart(["开发", "转让"], {"万元": [1200.5, 3]}, title="t"))
    assert amounts["layout"]["yaxis"]["tickformat"] != ",d"
