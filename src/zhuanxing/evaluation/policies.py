"""Differentiated policies (差别化政策): each class's measures from the run's scheme,
turned into one list per department with each enterprise's amount.

A measure is ``{class, measure, department?, rate?, base?, unit?, share?}``: with
``rate`` and ``base`` the amount is rate × the enterprise's base figure (e.g. 0.1
元/千瓦时 × 用电量 in 万千瓦时 = 万元); with ``share`` it is that share of the
measure (e.g. 1.0 = 全额减免).
"""

from __future__ import annotations

from collections import defaultdict

from zhuanxing.evaluation.models import EvaluationRun
from zhuanxing.evaluation.selectors import scheme_policies
from zhuanxing.scoring.columns import INPUT_LABELS

DEFAULT_DEPARTMENT = "区经信局"


def policy_measures(run: EvaluationRun) -> dict[str, list[dict]]:
    by_class = defaultdict(list)
    for measure in scheme_policies(run):
        by_class[str(measure["class"])].append(measure)
    departments: dict[str, list[dict]] = defaultdict(list)
    results = run.results.filter(exempt=False).select_related("enterprise__town").order_by("enterprise__uscc")
    for result in results:
        for measure in by_class.get(result.final_class, []):
            base = measure.get("base")
            base_value = result.inputs.get(base) if base else None
            amount = None
            if "rate" in measure and base_value is not None:
                amount = float(measure["rate"]) * float(base_value)
            departments[measure.get("department", DEFAULT_DEPARTMENT)].append(
                {
                    "enterprise": result.enterprise,
                    "class": result.final_class,
                    "measure": measure["measure"],
                    "base_label": INPUT_LABELS.get(base, base or ""),
                    "base_value": base_value,
                    "rate": measure.get("rate"),
                    "unit": measure.get("unit", ""),
                    "share": measure.get("share"),
                    "amount": amount,
                }
            )
    return dict(departments)


POLICY_HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "镇街",
    "等级",
    "措施",
    "计算基数",
    "基数值",
    "标准",
    "单位",
    "比例",
    "金额（万元）",
]


def policy_rows(rows: list[dict]) -> list[list]:
    return [
        [
            r["enterprise"].uscc,
            r["enterprise"].name,
            r["enterprise"].town.name,
            r["class"],
            r["measure"],
            r["base_label"],
            r["base_value"],
            r["rate"],
            r["unit"],
            r["share"],
            r["amount"],
        ]
        for r in rows
    ]
