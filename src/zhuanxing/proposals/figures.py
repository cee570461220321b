"""The cockpit figures a reply may quote, by code and year.

The district cockpit (``zhuanxing.dashboard.figures.compute_figure``) is the source when it is
installed. Until then this module reads the same records itself for the codes below, so that a
template written today keeps working when the cockpit arrives:

- ``recognitions.total``: R&D institutions (the kinds counted as 研发机构) held at the end of the year,
  each holder counted once per kind at its highest level;
- ``recognitions.rd_share``: the share of 规上 enterprises holding one of 区级 or higher (%);
- ``recognitions.<kind>`` and ``recognitions.<kind>.<tier>`` (tier: national, provincial, city, district);
- ``campaigns.<figure>``: each 四换 campaign figure of the year (``campaigns.figures.FIGURES``);
- ``talent.<plan>``: members of a talent plan selected by the end of the year;
- ``techmarket.<figure>``: the technology market's year (``demands_posted``, ``demands_matched``,
  ``contracts``, ``amount``, ``tech_amount``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


class UnknownFigure(LookupError):
    """No figure has this code."""


@dataclass(frozen=True)
class FigureValue:
    code: str
    year: int
    value: Decimal | int | None
    unit: str
    label: str
    source: str
    parts: list = field(default_factory=list)

    def part(self, label: str) -> FigureValue:
        """One part of the figure by its label (0 when the year has records but none of that part)."""
        for item in self.parts:
            name, value = (item.get("label"), item.get("value")) if isinstance(item, dict) else item
            if name == label:
                return FigureValue(
                    self.code, self.year, value, self.unit, f"{self.label}：{label}", self.source
                )
        return FigureValue(
            self.code,
            self.year,
            None if self.value is None else 0,
            self.unit,
            f"{self.label}：{label}",
            self.source,
        )

    @property
    def text(self) -> str:
        """The value as the reply prints it: ``138家``, ``24.2%``, ``6,081万元``."""
        if self.value is None:
            return "—"
        value = Decimal(str(self.value))
        if self.unit == "%":  # shares with one decimal, as the reply's 24.2%
            return f"{value.quantize(Decimal('0.1'))}%"
        if value == value.to_integral_value():
            number = f"{int(value):,}" if abs(value) >= 10000 else str(int(value))
        else:
            number = f"{value.normalize():f}"
        return f"{number}{self.unit}"


TIERS = {"national": "国家级", "provincial": "省级", "city": "市级", "district": "区级"}


def _cockpit():
    try:
        from zhuanxing.dashboard.figures import compute_figure  # the cockpit, when installed
    except ImportError:
        return None
    return compute_figure


def compute(code: str, year: int) -> FigureValue:
    """The figure ``code`` for ``year``: the cockpit's when it knows the code, else read here;
    UnknownFigure when neither has it."""
    cockpit = _cockpit()
    if cockpit is not None:
        try:
            found = cockpit(code, year)
        except (KeyError, LookupError, ValueError):
            found = None
        if found is not None:
            return _from_cockpit(code, year, found)
    return _local(code, year)


def _from_cockpit(code: str, year: int, found) -> FigureValue:
    def get(name, default=None):
        return found.get(name, default) if isinstance(found, dict) else getattr(found, name, default)

    return FigureValue(
        code=code,
        year=year,
        value=get("value"),
        unit=get("unit", "") or "",
        label=get("label", code) or code,
        source=str(get("source", "") or ""),
        parts=list(get("parts", []) or []),
    )


def is_known(code: str) -> bool:
    try:
        compute(code, 2000)
    except UnknownFigure:
        return False
    return True


def _local(code: str, year: int) -> FigureValue:
    from zhuanxing.campaigns import selectors
    from zhuanxing.campaigns.figures import FIGURES

    group, _dot, rest = code.partition(".")
    if group == "recognitions" and rest:
        kinds = selectors.recognitions_by_kind(year)
        source = f"认定与四换 · 企业认定记录（截至{year}年底有效）"
        if rest == "total":
            counted = [k for k in kinds if k["counts_as_rd_institution"]]
            return FigureValue(
                code,
                year,
                sum(k["total"] for k in counted),
                "家",
                "各类企业研究院、工程（技术）中心总数",
                source,
                [{"label": k["kind"], "value": k["total"]} for k in counted],
            )
        if rest == "rd_share":
            share = selectors.rd_institution_share(year)
            return FigureValue(
                code,
                year,
                share["percent"],
                "%",
                "区级以上工程技术中心占规上企业比重",
                f"{source}；规上企业 {share['above_scale']} 家，其中 {share['holders']} 家",
            )
        kind_code, _dot, tier = rest.partition(".")
        for kind in kinds:
            if kind["code"] != kind_code:
                continue
            if not tier:
                return FigureValue(code, year, kind["total"], "家", kind["kind"], source)
            if tier in TIERS:
                count = sum(level["count"] for level in kind["levels"] if level["tier"] == TIERS[tier])
                return FigureValue(code, year, count, "家", f"{TIERS[tier]}{kind['kind']}", source)
    if group == "campaigns" and rest in FIGURES:
        figure = FIGURES[rest]
        return FigureValue(
            code, year, figure.value(year=year), figure.unit, figure.label, f"认定与四换 · {figure.group}记录"
        )
    if group == "talent" and rest:
        for plan in selectors.talent_summary(year)["plans"]:
            if plan["code"] == rest:
                return FigureValue(
                    code, year, plan["total"], "人", plan["plan"], "认定与四换 · 人才计划入选记录"
                )
    if group == "techmarket" and rest in TECHMARKET:
        from zhuanxing.techmarket.selectors import statistics_for

        label, unit = TECHMARKET[rest]
        return FigureValue(code, year, statistics_for(year)[rest], unit, label, "科技大市场 · 需求与合同记录")
    raise UnknownFigure(code)


TECHMARKET = {
    "demands_posted": ("发布企业技术难题", "项"),
    "demands_matched": ("难题成功对接", "项"),
    "contracts": ("促成签约项目", "项"),
    "amount": ("合同金额", "万元"),
    "tech_amount": ("技术交易额", "万元"),
}
