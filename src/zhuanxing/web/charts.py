"""Plotly charts rendered into pages, with plotly's JS a static file of this site (no CDN).

Each helper returns an HTML fragment (a div carrying the figure in data- attributes, drawn by
``static/web/charts.js``); a page that shows
charts includes ``web/plotly_script.html`` once.
"""

from __future__ import annotations

import json
import math

import plotly.graph_objects as go
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

FONT = "PingFang SC, Microsoft YaHei, WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif"
CLASS_COLOURS = {"A": "#16a34a", "B": "#2563eb", "C": "#d97706", "D": "#dc2626"}


# a bar chart turns horizontal past these, so its labels stay level and whole
HORIZONTAL_AFTER_CATEGORIES = 8
HORIZONTAL_AFTER_CHARACTERS = 5
WRAP_AT_CHARACTERS = 10  # a longer label is wrapped onto lines of this many characters
ROW_HEIGHT = 20  # pixels per label line or grouped bar of each category of a horizontal bar chart


def _html(figure: go.Figure, *, title: str, height: int, side_margin: int = 20) -> SafeString:
    figure.update_layout(
        title={"text": title, "x": 0.01},
        height=height,
        autosize=True,  # the width follows the card (responsive), the height is fixed here
        margin={"l": max(50, side_margin), "r": side_margin, "t": 50, "b": 80},
        font={"family": FONT, "size": 13},
        paper_bgcolor="white",
        plot_bgcolor="white",
        # the legend sits at the foot of the figure, whatever its height
        legend={
            "orientation": "h",
            "x": 0,
            "y": 0,
            "yref": "container",
            "yanchor": "bottom",
            "traceorder": "normal",
        },
    )
    figure.update_xaxes(automargin=True)
    figure.update_yaxes(automargin=True)
    # the figure travels in data- attributes and static/web/charts.js draws it: plotly's
    # own to_html writes an inline <script>, which the Content-Security-Policy refuses
    config = json.dumps({"displaylogo": False, "responsive": True})
    return format_html(
        '<figure class="chart"><div class="plotly-graph-div" data-plotly-figure="{}" data-plotly-config="{}" style="height:{}px"></div></figure>',
        figure.to_json(),
        config,
        height,
    )


def no_data(title: str) -> SafeString:
    """What a chart with nothing to show draws instead of an empty axis."""
    return format_html(
        '<figure class="chart chart-empty"><figcaption>{}</figcaption><p>{}</p></figure>',
        title,
        _("暂无数据"),
    )


def _has_data(series: dict[str, list[float]]) -> bool:
    return any(value for values in series.values() for value in values)


def wrap_label(label: str, width: int = WRAP_AT_CHARACTERS) -> str:
    """A long category label on lines of about equal length, none over ``width`` characters
    (plotly breaks lines at <br>): 宁波石化经济技术开发区 → 宁波石化经济<br>技术开发区."""
    text = str(label)
    if len(text) <= width:
        return text
    count = math.ceil(len(text) / width)
    size = math.ceil(len(text) / count)
    return "<br>".join(text[i : i + size] for i in range(0, len(text), size))


def bar_chart(
    categories: list[str],
    series: dict[str, list[float]],
    *,
    title: str,
    stacked: bool = True,
    colours: dict[str, str] | None = None,
    height: int = 380,
) -> SafeString:
    """Bars per category, one trace per series (e.g. class counts per town).

    Many categories or long names give horizontal bars, one row each, so that no label is
    turned on its side; the height then grows with the number of categories."""
    if not categories or not _has_data(series):
        return no_data(title)
    colours = colours or {}
    horizontal = (
        len(categories) > HORIZONTAL_AFTER_CATEGORIES
        or max(len(str(c)) for c in categories) > HORIZONTAL_AFTER_CHARACTERS
    )
    if horizontal:
        labels = [wrap_label(c) for c in categories]
        # plotly spaces categories evenly: each needs room for its longest label, or for its
        # bars side by side when grouped
        lines = max(label.count("<br>") + 1 for label in labels)
        rows_each = max(lines, 1 if stacked else len(series))
        height = max(height, 120 + ROW_HEIGHT * rows_each * len(labels))
        bars = [
            go.Bar(name=name, y=labels, x=values, orientation="h", marker_color=colours.get(name))
            for name, values in series.items()
        ]
    else:
        bars = [
            go.Bar(name=name, x=categories, y=values, marker_color=colours.get(name))
            for name, values in series.items()
        ]
    figure = go.Figure(bars)
    figure.update_layout(barmode="stack" if stacked else "group", showlegend=len(series) > 1)
    if horizontal:
        figure.update_yaxes(autorange="reversed")  # the first category on top, as in a table
        figure.update_xaxes(_value_axis(series, stacked))
    else:
        figure.update_xaxes(tickangle=0)  # never characters stacked on their side
        figure.update_yaxes(_value_axis(series, stacked))
    return _html(figure, title=title, height=height)


def _value_axis(series: dict[str, list[float]], stacked: bool) -> dict:
    """Counts read as whole numbers (no 0.2 enterprise); thousands are separated."""
    axis = {"rangemode": "tozero", "tickformat": ",~r"}
    values = [v for values in series.values() for v in values if v is not None]
    if values and all(float(v).is_integer() for v in values):
        highest = max(map(sum, zip(*series.values(), strict=True))) if stacked else max(values)
        axis["tickformat"] = ",d"
        if highest <= 10:
            axis["dtick"] = 1
    return axis


def histogram(
    values: list[float], *, title: str, x_label: str, bins: int = 30, height: int = 320
) -> SafeString:
    if not values:
        return no_data(title)
    figure = go.Figure([go.Histogram(x=values, nbinsx=bins, marker_color="#64748b")])
    figure.update_layout(xaxis_title=x_label, yaxis_title="企业数", showlegend=False)
    # a bar holds at most every value: few values, one tick per enterprise
    figure.update_yaxes(
        {"tickformat": ",d", "rangemode": "tozero"} | ({"dtick": 1} if len(values) <= 10 else {})
    )
    return _html(figure, title=title, height=height)


def radar(labels: list[str], series: dict[str, list[float]], *, title: str, height: int = 420) -> SafeString:
    """A spider chart, one closed line per series (e.g. an enterprise against its benchmarks)."""
    if not labels or not _has_data(series):
        return no_data(title)
    theta = [wrap_label(label, 6) for label in labels]
    figure = go.Figure(
        [
            go.Scatterpolar(r=values + values[:1], theta=theta + theta[:1], name=name, fill="toself")
            for name, values in series.items()
        ]
    )
    # the first indicator on top, clockwise; the radial numbers (few, small) run between the
    # first two spokes, where neither a spoke label nor the lines cover them
    between_spokes = 90 - 180 / len(labels)
    figure.update_layout(
        polar={
            "angularaxis": {"rotation": 90, "direction": "clockwise"},
            "radialaxis": {
                "visible": True,
                "angle": between_spokes,
                "tickangle": between_spokes,
                "nticks": 4,
                "tickfont": {"size": 10},
            },
        },
    )
    return _html(figure, title=title, height=height, side_margin=90)


def heatmap(x: list[str], y: list[str], z: list[list[float]], *, title: str, height: int = 360) -> SafeString:
    if not x or not y:
        return no_data(title)
    figure = go.Figure(go.Heatmap(x=x, y=y, z=z, colorscale="Blues", text=z, texttemplate="%{text}"))
    figure.update_xaxes(tickangle=0)
    return _html(figure, title=title, height=height)


def line_chart(x: list, series: dict[str, list[float]], *, title: str, height: int = 340) -> SafeString:
    if not x:
        return no_data(title)
    figure = go.Figure(
        [go.Scatter(x=x, y=values, name=name, mode="lines+markers") for name, values in series.items()]
    )
    figure.update_layout(showlegend=len(series) > 1)
    return _html(figure, title=title, height=height)
