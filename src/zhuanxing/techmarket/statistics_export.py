"""The statistics page's charts and its xlsx download, from ``selectors.statistics_for``."""

from __future__ import annotations

from zhuanxing.web import charts, exports


def statistics_charts(figures: dict) -> dict:
    funnel = figures["funnel"]
    by_kind = figures["by_kind"]
    return {
        "funnel": charts.bar_chart(
            [row["stage"] for row in funnel], {"数量": [row["count"] for row in funnel]}, title="从推荐到签约"
        ),
        "contracts": charts.bar_chart(
            [row["name"] for row in by_kind],
            {
                "成交额（万元）": [float(row["amount"]) for row in by_kind],
                "技术交易额（万元）": [float(row["tech_amount"]) for row in by_kind],
            },
            title="技术合同（按类型）",
            stacked=False,
        ),
    }


def statistics_xlsx(figures: dict):
    year = figures["year"]
    summary = [
        ("发布需求", figures["demands_posted"]),
        ("已匹配需求", figures["demands_matched"]),
        ("技术合同（项）", figures["contracts"]),
        ("成交额（万元）", figures["amount"]),
        ("技术交易额（万元）", figures["tech_amount"]),
        ("首次答复时间中位数（小时）", figures["median_answer_hours"]),
        ("超过一年未确认的专家档案", figures["stale_profiles"]),
    ]
    contract_headers = ["名称", "项数", "成交额（万元）", "技术交易额（万元）"]

    def contract_rows(rows):
        return [(r["name"], r["count"], r["amount"], r["tech_amount"]) for r in rows]

    sheets = {
        "概况": (["指标", f"{year}年"], summary),
        "转化漏斗": (
            ["阶段", "数量", "转化率"],
            [(r["stage"], r["count"], r["conversion"]) for r in figures["funnel"]],
        ),
        "合同按类型": (contract_headers, contract_rows(figures["by_kind"])),
        "合同按领域": (contract_headers, contract_rows(figures["by_field"])),
        "合同按机构": (contract_headers, contract_rows(figures["by_institution"])),
        "输出与吸纳": (
            ["方向", "项数", "技术交易额（万元）"],
            [(r["flow"], r["count"], r["tech_amount"]) for r in figures["flows"]],
        ),
        "对接活动": (
            ["活动", "日期", "合作机构", "报名", "预匹配", "合作意向", "签约项目", "签约金额（万元）"],
            [
                (
                    e["event"].name,
                    e["event"].held_on,
                    str(e["event"].partner or ""),
                    e["registered"],
                    e["paired"],
                    e["intents"],
                    e["signed"],
                    e["amount"],
                )
                for e in figures["events"]
            ],
        ),
    }
    suffix = f"-{figures['field']}" if figures["field"] else ""
    return exports.file_response(
        exports.xlsx_bytes(sheets), f"科技大市场统计-{year}{suffix}.xlsx", exports.XLSX_TYPE
    )
