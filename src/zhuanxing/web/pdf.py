"""PDF helpers: the shipped CJK TrueType font, embedded (subset) in every PDF we write."""

from __future__ import annotations

import functools
from pathlib import Path

from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_FILE = Path(__file__).resolve().parent / "fonts" / "wqy-microhei.ttc"
FONT_NAME = "WenQuanYiMicroHei"


@functools.cache
def cjk_font() -> str:
    """Register the CJK font once and return its name for ReportLab styles."""
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(FONT_FILE), subfontIndex=0))
    return FONT_NAME


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    font = cjk_font()
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("title", parent=base["Title"], fontName=font, fontSize=18, leading=24),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], fontName=font, fontSize=13, leading=18),
        "body": ParagraphStyle("body", parent=base["BodyText"], fontName=font, fontSize=10, leading=15),
        "small": ParagraphStyle("small", parent=base["BodyText"], fontName=font, fontSize=8, leading=11),
    }
