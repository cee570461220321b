"""The progress page's charts, drawn with the shared helpers of ``zhuanxing.web.charts``."""

from __future__ import annotations

from django.utils.safestring import SafeString

from zhuanxing.campaigns.figures import Figure
from zhuanxing.web.charts import bar_chart


def completion_chart(targets: list[dict]) -> SafeString | None:
    """Completion % of each target: 100 is done."""
    shown = [t for t in targets if t["completion_percent"] is not None]
    if not shown:
        return None
    categories = [f"{t['label']}·{t['setter']}{'·' + t['town'] if t['town'] else ''}" for t in shown]
    return bar_chart(
        categories,
        {"完成率（%）": [float(t["completion_percent"]) for t in shown]},
        title="目标任务完成率（%）",
        stacked=False,
    )


def recognition_chart(by_kind: list[dict]) -> SafeString | None:
    """Holders per kind, stacked by level name."""
    kinds = [kind for kind in by_kind if kind["total"]]
    if not kinds:
        return None
    level_names = list(dict.fromkeys(level["level"] for kind in kinds for level in kind["levels"]))
    series = {
        name: [next((lv["count"] for lv in kind["levels"] if lv["level"] == name), 0) for kind in kinds]
        for name in level_names
    }
    return bar_chart([kind["kind"] for kind in kinds], series, title="认定（按类别和级别）")


def town_chart(by_town: dict, figure: Figure) -> SafeString | None:
    codes = [f.code for f in by_town["figures"]]
    if figure.code not in codes:
        return None
    index = codes.index(figure.code)
    return bar_chart(
        [row["town"].name for row in by_town["rows"]],
        {f"{figure.label}（{figure.unit}）": [float(row["values"][index]) for row in by_town["rows"]]},
        title=f"{figure.label}（{figure.unit}）按镇街",
        stacked=False,
    )


def progress_charts(summary: dict, by_town: dict, town_figure: Figure) -> dict[str, SafeString | None]:
    return {
        "completion": completion_chart(summary["targets"]),
        "recognitions": recognition_chart(summary["recognitions"]["by_kind"]),
        "towns": town_chart(by_town, town_figure),
    }
