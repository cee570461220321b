"""Plotly charts rendered into pages, with plotly's JS a static file of this site (no CDN).

Each helper returns an HTML fragment (a div carrying the figure in data- attributes, drawn by
``static/web/charts.js``); a page that shows
charts includes ``web/plotly_script.html`` once.
"""

from __future__ import annotations

import json

import plotly.graph_objects as go
from django.utils.html import format_html
from django.utils.safestring import SafeString

FONT = "PingFang SC, Microsoft YaHei, WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif"
CLASS_COLOURS = {"A": "#16a34a", "B": "#2563eb", "C": "#d97706", "D": "#dc2626"}


def _html(figure: go.Figure, *, title: str, height: int) -> SafeString:
    figure.update_layout(
        title={"text": title, "x": 0.01},
        height=height,
        margin={"l": 50, "r": 20, "t": 50, "b": 50},
        font={"family": FONT, "size": 13},
        paper_bgcolor="white",
        plot_bgcolor="white",
        legend={"orientation": "h", "y": -0.15},
    )
    # the figure travels in data- attributes and static/web/charts.js draws it: plotly's
    # own to_html writes an inline <script>, which the Content-Security-Policy refuses
    config = json.dumps({"displaylogo": False, "responsive": True})
    return format_html(
        '<figure class="chart"><div class="plotly-graph-div" data-plotly-figure="{}" data-plotly-config="{}" style="height:{}px"></div></figure>',
        figure.to_json(),
        config,
        height,
    )


def bar_chart(
    categories: list[str],
    series: dict[str, list[float]],
    *,
    title: str,
    stacked: bool = True,
    colours: dict[str, str] | None = None,
    height: int = 380,
) -> SafeString:
    """Bars per category, one trace per series (e.g. class counts per town)."""
    colours = colours or {}
    figure = go.Figure(
        [
            go.Bar(name=name, x=categories, y=values, marker_color=colours.get(name))
            for name, values in series.items()
        ]
    )
    figure.update_layout(barmode="stack" if stacked else "group")
    return _html(figure, title=title, height=height)


def histogram(
    values: list[float], *, title: str, x_label: str, bins: int = 30, height: int = 320
) -> SafeString:
    figure = go.Figure([go.Histogram(x=values, nbinsx=bins, marker_color="#64748b")])
    figure.update_layout(xaxis_title=x_label, yaxis_title="企业数")
    return _html(figure, title=title, height=height)


def radar(labels: list[str], series: dict[str, list[float]], *, title: str, height: int = 380) -> SafeString:
    """A spider chart, one closed line per series (e.g. an enterprise against its benchmarks)."""
    figure = go.Figure(
        [
            go.Scatterpolar(r=values + values[:1], theta=labels + labels[:1], name=name, fill="toself")
            for name, values in series.items()
        ]
    )
    figure.update_layout(polar={"radialaxis": {"visible": True}})
    return _html(figure, title=title, height=height)


def heatmap(x: list[str], y: list[str], z: list[list[float]], *, title: str, height: int = 360) -> SafeString:
    figure = go.Figure(go.Heatmap(x=x, y=y, z=z, colorscale="Blues", text=z, texttemplate="%{text}"))
    return _html(figure, title=title, height=height)


def line_chart(x: list, series: dict[str, list[float]], *, title: str, height: int = 340) -> SafeString:
    figure = go.Figure(
        [go.Scatter(x=x, y=values, name=name, mode="lines+markers") for name, values in series.items()]
    )
    return _html(figure, title=title, height=height)
