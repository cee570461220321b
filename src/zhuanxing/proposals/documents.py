"""Reply documents: the placeholders of a .docx template, filling them, and the PDF.

A template is an ordinary Word file. Its text may hold placeholders in double braces:

- fields of the case: ``{{ 文号 }}``, ``{{ 标注类别 }}``, ``{{ 收件人 }}``, ``{{ 正文 }}`` (a paragraph of its
  own: the draft's body, one paragraph per line), ``{{ 署名 }}``, ``{{ 日期 }}``, ``{{ 标题 }}``,
  ``{{ 会议 }}`` (e.g. 区政协九届四次会议), ``{{ 编号 }}``, ``{{ 提案人 }}``, ``{{ 会办单位 }}``;
- a cockpit figure: ``{{ 图表: recognitions.total @ 2014 }}``, printed with its unit (``138家``), or
  one of its parts by label: ``{{ 图表: recognitions.by_level[省级企业研究院] @ 2014 }}``; every figure
  used is listed with its source in a note (注) at the end of the reply.

``scan`` finds every placeholder and every problem (an unclosed brace, an unknown field, an
unknown figure code, a year that is not four digits) with its text and position, so a template
is refused at upload and a draft's body at saving.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

from zhuanxing.proposals import figures as figure_source

FIELDS = ("文号", "标注类别", "收件人", "正文", "署名", "日期", "标题", "会议", "编号", "提案人", "会办单位")
_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}")
_FIGURE = re.compile(
    r"^\s*图表\s*[:：]\s*([A-Za-z][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*)\s*(?:\[\s*([^\[\]]+?)\s*\])?\s*@\s*(\d{4})\s*$"
)


@dataclass(frozen=True)
class Placeholder:
    text: str  # as written, braces included
    where: str  # 第3段第12字
    field: str | None = None
    code: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class PlaceholderProblem:
    text: str
    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}「{self.text}」：{self.reason}"


class TemplateError(ValueError):
    def __init__(self, problems: list[PlaceholderProblem]):
        self.problems = problems
        super().__init__("；".join(str(p) for p in problems))


def _scan_text(
    text: str, where: Callable[[int], str], known: Callable[[str], bool]
) -> tuple[list[Placeholder], list[PlaceholderProblem]]:
    found: list[Placeholder] = []
    problems: list[PlaceholderProblem] = []
    position = 0
    for match in _PLACEHOLDER.finditer(text):
        _stray(text[position : match.start()], position, where, problems)
        position = match.end()
        inner, raw, at = match.group(1).strip(), match.group(0), where(match.start())
        if "{" in inner or "}" in inner:
            problems.append(PlaceholderProblem(raw, at, "占位符中含有多余的花括号"))
        elif inner in FIELDS:
            found.append(Placeholder(raw, at, field=inner))
        elif inner.startswith("图表"):
            figure = _FIGURE.match(inner)
            if figure is None:
                problems.append(PlaceholderProblem(raw, at, "图表占位符格式应为 {{ 图表: 代码 @ 四位年份 }}"))
            elif not known(figure.group(1)):
                problems.append(PlaceholderProblem(raw, at, f"未知的图表代码「{figure.group(1)}」"))
            else:
                found.append(Placeholder(raw, at, code=figure.group(1), year=int(figure.group(3))))
        else:
            problems.append(
                PlaceholderProblem(raw, at, f"未知的字段「{inner}」，可用字段：{'、'.join(FIELDS)}、图表")
            )
    _stray(text[position:], position, where, problems)
    return found, problems


def _stray(segment: str, offset: int, where, problems: list[PlaceholderProblem]) -> None:
    for token in ("{{", "}}"):
        index = segment.find(token)
        if index >= 0:
            start = offset + index
            problems.append(
                PlaceholderProblem(
                    segment[index : index + 30],
                    where(start),
                    "花括号未闭合" if token == "{{" else "多余的右花括号",
                )
            )


def _paragraphs(document) -> Iterable:
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def scan_docx(content: bytes, known: Callable[[str], bool] = figure_source.is_known) -> list[Placeholder]:
    """Every placeholder of a .docx template; TemplateError listing every problem."""
    try:
        document = Document(io.BytesIO(content))
    except Exception as exc:  # python-docx raises several kinds for a file that is not .docx
        raise TemplateError(
            [PlaceholderProblem("", "文件", f"不是有效的 .docx 文件（{exc.__class__.__name__}）")]
        ) from exc
    found: list[Placeholder] = []
    problems: list[PlaceholderProblem] = []
    for number, paragraph in enumerate(_paragraphs(document), start=1):
        if "{" not in paragraph.text and "}" not in paragraph.text:
            continue
        more, wrong = _scan_text(paragraph.text, lambda at, n=number: f"第{n}段第{at + 1}字", known)
        found += more
        problems += wrong
    if problems:
        raise TemplateError(problems)
    return found


def scan_body(text: str, known: Callable[[str], bool] = figure_source.is_known) -> list[Placeholder]:
    """The figure placeholders of a draft's body (fields other than figures are not allowed there)."""
    found: list[Placeholder] = []
    problems: list[PlaceholderProblem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        more, wrong = _scan_text(line, lambda at, n=number: f"正文第{n}行第{at + 1}字", known)
        problems += wrong
        for item in more:
            if item.field:
                problems.append(PlaceholderProblem(item.text, item.where, "正文中只能插入图表占位符"))
            else:
                found.append(item)
    if problems:
        raise TemplateError(problems)
    return found


class FigureFiller:
    """Replaces figure placeholders by their value and keeps the list of figures used, in order."""

    def __init__(self, compute=figure_source.compute):
        self.compute = compute
        self.used: list[dict] = []
        self._index: dict[tuple[str, int], int] = {}

    def __call__(self, text: str, fields: dict[str, str]) -> str:
        def replace(match: re.Match) -> str:
            inner = match.group(1).strip()
            if inner in fields:
                return fields[inner]
            figure = _FIGURE.match(inner)
            if figure is None:
                return match.group(0)
            code, part, year = figure.group(1), figure.group(2), int(figure.group(3))
            key = (code, part, year)
            if key not in self._index:
                value = self.compute(code, year)
                if part:
                    value = value.part(part)
                self._index[key] = len(self.used)
                self.used.append(
                    {
                        "code": f"{code}[{part}]" if part else code,
                        "year": year,
                        "value": None if value.value is None else str(value.value),
                        "text": value.text,
                        "label": value.label,
                        "source": value.source,
                    }
                )
            return self.used[self._index[key]]["text"]

        return _PLACEHOLDER.sub(replace, text)


def _set_text(paragraph, text: str) -> None:
    runs = paragraph.runs
    if not runs:
        paragraph.add_run(text)
        return
    runs[0].text = text
    for run in runs[1:]:
        run.text = ""


def render_docx(template: bytes, fields: dict[str, str], body: str) -> tuple[bytes, list[dict]]:
    """The reply: the template with its fields, the draft's body in place of ``{{ 正文 }}`` and every
    figure filled from the records; returns the .docx and the figures used (code, year, value, source)."""
    document = Document(io.BytesIO(template))
    filler = FigureFiller()
    for paragraph in list(_paragraphs(document)):
        if "{{" not in paragraph.text:
            continue
        if paragraph.text.strip() in ("{{ 正文 }}", "{{正文}}"):
            lines = [line for line in body.splitlines() if line.strip()] or [""]
            anchor = paragraph
            for line in lines[1:]:
                clone = copy.deepcopy(paragraph._p)
                anchor._p.addnext(clone)
                from docx.text.paragraph import Paragraph

                anchor = Paragraph(clone, paragraph._parent)
                _set_text(anchor, filler(line, fields))
            _set_text(paragraph, filler(lines[0], fields))
            continue
        _set_text(paragraph, filler(paragraph.text, fields))
    if filler.used:
        note = document.add_paragraph()
        note.add_run("注：文中数据来源").bold = True
        for number, used in enumerate(filler.used, start=1):
            document.add_paragraph(
                f"{number}. {used['label']} {used['text']}（{used['code']}，{used['year']}年）：{used['source']}"
            ).runs[0].font.size = Pt(9)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue(), filler.used


def docx_text(content: bytes) -> list[tuple[str, str]]:
    """(alignment, text) of every paragraph of a .docx, for the PDF and for checks."""
    document = Document(io.BytesIO(content))
    rows = []
    for paragraph in document.paragraphs:
        align = paragraph.alignment
        if align == WD_ALIGN_PARAGRAPH.CENTER:
            rows.append(("center", paragraph.text))
        elif align == WD_ALIGN_PARAGRAPH.RIGHT:
            rows.append(("right", paragraph.text))
        else:
            rows.append(("left", paragraph.text))
    return rows


def render_pdf(content: bytes, title: str) -> bytes:
    """The reply as PDF, with the embedded CJK font (``web.pdf``)."""
    from xml.sax.saxutils import escape

    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    from zhuanxing.web.pdf import styles

    base = styles()["body"]
    by_align = {
        "left": ParagraphStyle("reply-left", parent=base, fontSize=11, leading=18, firstLineIndent=22),
        "center": ParagraphStyle("reply-center", parent=base, fontSize=13, leading=20, alignment=TA_CENTER),
        "right": ParagraphStyle("reply-right", parent=base, fontSize=11, leading=18, alignment=TA_RIGHT),
    }
    story = []
    for align, text in docx_text(content):
        story.append(Paragraph(escape(text), by_align[align]) if text.strip() else Spacer(1, 6))
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm, title=title)
    doc.build(story)
    return out.getvalue()


def build_template(*, letterhead: str, paragraphs: Iterable[str]) -> bytes:
    """A reply template of the bureau's shape: red letterhead, 文号 and 标注类别, the heading, the
    addressee, ``paragraphs`` (placeholders allowed; ``{{ 正文 }}`` where the draft's body goes), the
    signature and the date. Used by the demo and the tests; any Word file with placeholders will do."""
    document = Document()
    head = document.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run(letterhead)
    run.bold, run.font.size, run.font.color.rgb = True, Pt(22), RGBColor(0xC0, 0x00, 0x00)
    document.add_paragraph("{{ 文号 }}                  标注类别：{{ 标注类别 }}")
    for line in ("对{{ 会议 }}", "第{{ 编号 }}号提案的答复"):
        heading = document.add_paragraph()
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        heading.add_run(line).bold = True
    document.add_paragraph("{{ 收件人 }}：")
    for text in paragraphs:
        document.add_paragraph(text)
    for text in ("{{ 署名 }}", "{{ 日期 }}"):
        document.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
