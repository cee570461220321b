"""The report card as a PDF (ReportLab, the CJK font embedded)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.graphics.charts.spider import SpiderChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from zhuanxing.web.pdf import cjk_font, styles


def _number(value, digits: int = 2) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _radar(card: dict) -> Drawing | None:
    """Each indicator's value as a share of its benchmark (1 = on the benchmark)."""
    lines = [line for line in card["lines"] if line["benchmark"]]
    if len(lines) < 3:
        return None
    drawing = Drawing(170 * mm, 75 * mm)
    chart = SpiderChart()
    chart.x, chart.y, chart.width, chart.height = 45 * mm, 5 * mm, 70 * mm, 65 * mm
    enterprise = [min((line["value"] or 0) / line["benchmark"], 2.0) for line in lines]
    chart.data = [enterprise, [1.0] * len(lines)]
    chart.labels = [line["label"] for line in lines]
    chart.strands[0].strokeColor = colors.HexColor("#b91c1c")
    chart.strands[0].fillColor = colors.Color(0.73, 0.11, 0.11, alpha=0.2)
    chart.strands[1].strokeColor = colors.HexColor("#64748b")
    chart.strands[1].fillColor = None
    chart.strandLabels.fontName = cjk_font()
    chart.spokeLabels.fontName = cjk_font()
    chart.spokeLabels.fontSize = 8
    drawing.add(chart)
    return drawing


def report_card_pdf(card: dict) -> bytes:
    result, run = card["result"], card["run"]
    style = styles()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"{result.enterprise.name} 亩均效益评价报告卡",
    )
    story = [
        Paragraph(
            f"{escape(result.enterprise.name)}<br/>{run.year}年度亩均效益综合评价报告卡", style["title"]
        ),
        Paragraph(
            f"统一社会信用代码：{result.enterprise.uscc}　所属镇街：{escape(result.enterprise.town.name)}　"
            f"行业：{result.enterprise.industry_id} {escape(result.enterprise.industry.name)}",
            style["body"],
        ),
        Paragraph(
            f"评价方案：{escape(run.scheme_name)}（第{run.version}版，{run.get_state_display()}）　"
            f"评价组：{escape(card['group_label'])}",
            style["body"],
        ),
        Spacer(1, 4 * mm),
    ]
    if result.exempt:
        story.append(Paragraph("本企业不参与评级。", style["h2"]))
    else:
        klass = f"{result.final_class} 类（{escape(card['class_label'])}）"
        if result.regraded_class:
            klass += f"　（计算等级 {result.computed_class}，调档原因：{escape(result.regrade_reason)}）"
        story.append(Paragraph(f"评价等级：{klass}", style["h2"]))
        story.append(
            Paragraph(
                f"总分 {_number(result.total)}（其中加减分 {_number(result.adjustment)}），"
                f"组内排名 {result.rank} / {card['graded_in_group']}",
                style["body"],
            )
        )
    rows = [["指标", "单位", "权重", "本企业", "基准值", "行业平均", "得分"]]
    for line in card["lines"]:
        rows.append(
            [
                line["label"],
                line["unit"],
                _number(line["weight"], 0),
                _number(line["value"]),
                _number(line["benchmark"]),
                _number(line["industry_average"]),
                _number(line["score"]),
            ]
        )
    table = Table(rows, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), cjk_font()),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f1f5f9")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#cbd5e1")),
                ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
            ]
        )
    )
    story += [Spacer(1, 4 * mm), table]
    radar = _radar(card)
    if radar is not None:
        story += [
            Spacer(1, 3 * mm),
            Paragraph("各指标相对基准（红：本企业；灰：基准=1）", style["small"]),
            radar,
        ]
    hints = [line["hint"] for line in card["lines"] if line["hint"]]
    if hints:
        story.append(Paragraph("提示", style["h2"]))
        story += [Paragraph("· " + escape(hint), style["body"]) for hint in hints]
    if card["rules"]:
        story.append(Paragraph("适用的规则与加减分", style["h2"]))
        story += [Paragraph("· " + escape(rule), style["body"]) for rule in card["rules"]]
    if card["history"]:
        story.append(Paragraph("历年评价", style["h2"]))
        history = [["年度", "总分", "排名", "等级"]] + [
            [str(h.run.year), _number(h.total), str(h.rank or "—"), h.final_class or "不评级"]
            for h in card["history"]
        ]
        history_table = Table(history)
        history_table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), cjk_font()),
                    ("FONTSIZE", (0, 0), (-1, -1), 9),
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#cbd5e1")),
                ]
            )
        )
        story.append(history_table)
    document.build(story)
    return buffer.getvalue()
