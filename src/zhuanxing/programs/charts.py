"""The statistics page's charts, drawn with the site's plotly helpers."""

from __future__ import annotations

from collections import Counter

from django.utils.safestring import SafeString

from zhuanxing.programs.selectors import PolicyFigures, stages
from zhuanxing.web import charts

AMOUNT_COLOURS = {"计算额": "#94a3b8", "核定额": "#2563eb", "已拨付": "#16a34a"}


def statistics_charts(figures: list[PolicyFigures]) -> list[SafeString]:
    """Amounts computed, approved and paid per clause; the average days each stage took per policy."""
    clauses = [(f.policy, c) for f in figures for c in f.clauses]
    if not clauses:
        return []
    counts = Counter(clause.clause_label for _policy, clause in clauses)
    labels = [
        f"{c.clause_label}（{p.code}）" if counts[c.clause_label] > 1 else c.clause_label for p, c in clauses
    ]
    amounts = {
        "计算额": [float(c.computed) for _p, c in clauses],
        "核定额": [float(c.approved) for _p, c in clauses],
        "已拨付": [float(c.paid) for _p, c in clauses],
    }
    stage_labels = list(stages())
    days = {
        f.policy.name: [round(f.total.average_days[s] or 0, 1) for s in stage_labels]
        for f in figures
        if f.clauses
    }
    return [
        charts.bar_chart(
            labels, amounts, title="各条款金额（万元）", stacked=False, colours=AMOUNT_COLOURS, height=420
        ),
        charts.bar_chart(stage_labels, days, title="各环节平均用时（天）", stacked=False),
    ]
