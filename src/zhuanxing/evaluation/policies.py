"""Differentiated policies (差别化政策): each class's measures from the run's scheme,
turned into one list per department with each enterprise's amount.

A measure is ``{class, measure, department?, rate?, base?, unit?, share?}``: with
``rate`` and ``base`` the amount is rate × the enterprise's base figure (e.g. 0.1
元/千瓦时 × 用电量 in 万千瓦时 = 万元); with ``share`` it is that share of the
measure (e.g. 1.0 = 全额减免).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from zhuanxing.evaluation.models import EvaluationRun
from zhuanxing.evaluation.selectors import scheme_policies
from zhuanxing.scoring.columns import INPUT_LABELS

DEFAULT_DEPARTMENT = "区经信局"
# amounts are in 万元 (rate 元/单位 × a base in 万单位): a cent is 0.000001 万元
CENT_OF_WAN = Decimal("0.000001")


def money(rate, base_value) -> Decimal | None:
    """rate × base in Decimal (from their decimal text, never via float arithmetic),
    rounded half up to the cent; None when the base is missing or not a number."""
    if rate is None or base_value is None:
        return None
    try:
        amount = Decimal(str(rate)) * Decimal(str(base_value))
    except InvalidOperation:
        return None
    return amount.quantize(CENT_OF_WAN, rounding=ROUND_HALF_UP)


def class_worth(measures: list[dict], class_code: str, inputs: dict) -> list[dict]:
    """The class's measures for one enterprise: amount (万元, Decimal) where a rate and a
    base are given; a measure whose base figure is missing says so."""
    found = []
    for measure in measures:
        if str(measure.get("class")) != class_code:
            continue
        base = measure.get("base")
        amount = money(measure.get("rate"), inputs.get(base)) if base else None
        if amount is not None:
            text = f"{amount:,.2f} 万元"
        elif base and "rate" in measure:
            text = f"缺少{INPUT_LABELS.get(base, base)}数据，无法计算金额"
        elif measure.get("share") is not None:
            text = f"比例 {float(measure['share']) * 100:.1f}%"
        else:
            text = ""
        found.append({"measure": measure["measure"], "amount": amount, "amount_text": text})
    return found


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
            amount = money(measure.get("rate"), base_value) if base else None
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
