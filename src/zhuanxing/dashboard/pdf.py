"""The cockpit as a printable PDF (A4, the embedded CJK font of ``web/pdf.py``)."""

from __future__ import annotations

import io

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from zhuanxing.web.pdf import cjk_font, styles


def _number(value) -> str:
    if value is None:
        return "暂无数据"
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value:,.2f}"


def cockpit_pdf(year: int, town, rows: list[dict]) -> bytes:
    style = styles()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm, bottomMargin=15 * mm
    )
    place = town.name if town else "全区"
    story = [
        Paragraph(f"{year} 年转型升级主要指标（{place}）", style["title"]),
        Paragraph(
            f"生成时间：{timezone.localtime():%Y-%m-%d %H:%M}；各指标均由平台记录实时计算。", style["small"]
        ),
        Spacer(1, 4 * mm),
    ]
    table = [["类别", "指标", "单位", f"{year}年", f"{year - 1}年", "分项"]]
    for row in rows:
        figure = row["figure"]
        parts = "；".join(f"{label} {_number(value)}" for label, value in figure.parts)
        table.append(
            [
                Paragraph(row["group"], style["small"]),
                Paragraph(figure.label, style["small"]),
                Paragraph(figure.unit, style["small"]),
                _number(figure.value),
                _number(figure.previous),
                Paragraph(parts, style["small"]),
            ]
        )
    grid = Table(table, colWidths=[20 * mm, 45 * mm, 16 * mm, 24 * mm, 24 * mm, 51 * mm], repeatRows=1)
    grid.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), cjk_font()),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#F1F5F9")),
                ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#CBD5E1")),
                ("ALIGN", (3, 1), (4, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    story.append(grid)
    document.build(story)
    return buffer.getvalue()
