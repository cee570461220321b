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

    registration = figures["registration"]
    registration_headers = ["名称", "项数", "成交额（万元）", "技术交易额（万元）"]
    sheets = {
        "概况": (["指标", f"{year}年"], summary),
        "婉拒原因": (["原因", "次数"], [(r["reason"], r["count"]) for r in figures["decline_reasons"]]),
        "邀请来源": (
            ["来源", "邀请数"],
            [(r["origin"], r["count"]) for r in figures["invitations_by_origin"]],
        ),
        "认定登记按类型": (registration_headers, contract_rows(registration["by_kind"])),
        "认定登记按流向": (registration_headers, contract_rows(registration["by_flow"])),
        "认定登记逐年": (
            ["年度", "项数", "成交额（万元）", "技术交易额（万元）"],
            [(r["year"], r["count"], r["amount"], r["tech_amount"]) for r in registration["per_year"]],
        ),
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


# The columns of the register a 技术合同认定登记 office keeps, in its order.
REGISTRATION_COLUMNS = [
    "登记编号",
    "合同名称",
    "合同类型",
    "技术领域",
    "卖方",
    "卖方所在地区",
    "买方",
    "买方所在地区",
    "成交额（万元）",
    "技术交易额（万元）",
    "签订日期",
    "登记机构",
    "登记日期",
    "输出/吸纳",
]


def registration_rows(contracts) -> list[tuple]:
    return [
        (
            c.registration_no,
            c.title,
            c.kind,
            c.field,
            c.seller_name,
            c.seller_region,
            c.buyer_name,
            c.buyer_region,
            c.amount,
            c.tech_amount,
            c.signed_on,
            c.registered_office,
            c.registered_on,
            c.flow,
        )
        for c in contracts
    ]


def registration_xlsx(year: int, contracts):
    sheets = {f"{year}年认定登记": (REGISTRATION_COLUMNS, registration_rows(contracts))}
    return exports.file_response(
        exports.xlsx_bytes(sheets), f"技术合同认定登记-{year}.xlsx", exports.XLSX_TYPE
    )
