"""The cockpit's charts, drawn with the shared plotly helpers of ``zhuanxing.web.charts``."""

from __future__ import annotations

from django.utils.safestring import SafeString

from zhuanxing.campaigns.charts import completion_chart
from zhuanxing.dashboard import selectors
from zhuanxing.web.charts import CLASS_COLOURS, bar_chart, line_chart


def cockpit_charts(year: int) -> dict[str, SafeString | None]:
    charts: dict[str, SafeString | None] = {}
    shares = selectors.class_shares_by_town(year)
    charts["class_shares"] = (
        bar_chart(shares[0], shares[1], title="各镇街 A/B/C/D 类企业占比（%）", colours=CLASS_COLOURS)
        if shares and shares[0]
        else None
    )
    years, values = selectors.tax_per_mu_trend()
    charts["tax_trend"] = (
        line_chart([str(y) for y in years], {"亩均税收（万元/亩）": values}, title="全区亩均税收走势")
        if years
        else None
    )
    funnel = selectors.techmarket_funnel(year)
    charts["funnel"] = (
        bar_chart(
            [row["stage"] for row in funnel],
            {"匹配数": [row["count"] for row in funnel]},
            title="科技大市场对接漏斗",
            stacked=False,
        )
        if any(row["count"] for row in funnel)
        else None
    )
    awards = selectors.awards_against_budget(year)
    charts["awards"] = (
        bar_chart(
            [row["policy"] for row in awards],
            {
                "预算": [row["budget"] for row in awards],
                "已核定": [row["approved"] for row in awards],
                "已拨付": [row["paid"] for row in awards],
            },
            title="政策兑现：拨付与预算（万元）",
            stacked=False,
        )
        if awards
        else None
    )
    charts["targets"] = completion_chart(selectors.targets(year))
    return charts
