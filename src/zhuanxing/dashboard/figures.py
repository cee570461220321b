"""The district cockpit's figure catalogue: every figure of the 2015 reply, computed from records.

Interface (other apps, e.g. reply drafting, insert figures by code):

- ``FIGURES``: ``dict[code, FigureDef]``; each has ``code``, ``label``, ``unit``, ``how`` (how it is
  computed, in Chinese), ``source`` (the records counted, for a reply's note) and ``link(year, town)``
  (the list of the records it counts).
- ``compute_figure(code, year, town=None) -> FigureValue``; an unknown code raises
  ``UnknownFigure`` (a ``KeyError`` naming the code).
- ``compute_figures(year, town=None) -> list[FigureValue]``, in catalogue order.

``FigureValue`` has ``code, label, unit, value, previous, parts, link, source``: ``value`` and
``previous`` (the year before) are numbers (``Decimal``) or ``None`` when there are no records for
that year — never 0 for "no data"; ``parts`` is a list of ``(label, value)`` for figures the reply
splits. ``town`` (a ``Town`` or its id) limits the figures that have a town; the others ignore it
(``FigureDef.by_town`` says which).

Nothing is typed in: every value is read from the records at call time, reusing the selectors the
apps already have (``campaigns.figures.FIGURES``, ``campaigns.selectors``, techmarket
``event_outcomes``, ``programs.selectors.statistics``, ``evaluation.selectors.current_run``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.urls import reverse

from zhuanxing.campaigns import figures as campaign_figures
from zhuanxing.campaigns import selectors as campaign_selectors
from zhuanxing.campaigns.models import (
    InnovationPlatformYear,
    Recognition,
    ScienceParkYear,
    TalentEntry,
    TrainingClass,
)
from zhuanxing.evaluation.models import EvaluationResult
from zhuanxing.evaluation.selectors import current_run
from zhuanxing.programs import selectors as program_selectors
from zhuanxing.programs.models import Payment, Policy
from zhuanxing.registry.models import AnnualData, Enterprise, Town
from zhuanxing.techmarket.models import Contract, Demand, Event
from zhuanxing.techmarket.selectors import event_outcomes

Number = Decimal | None
Parts = list[tuple[str, Decimal]]
# a computation gives (value, parts), or None when the year has no records for it
Computed = tuple[Decimal, Parts] | None

TWO = Decimal("0.01")
INDUSTRIAL = Q(industry_id__gte="0600", industry_id__lt="4700")  # GB/T 4754 sections B, C, D
GONE = [Enterprise.Status.DEREGISTERED, Enterprise.Status.MOVED_OUT]
BY_LEVEL_NOTE = (
    "分项按记录逐级相加。2014 年答复函写“138 家”，而所列分项 1+27+49+62=139；"
    "本页按记录显示，不改写分项使其凑成答复函的合计。"
)
RD_TOTAL_NOTE = "企业研究院与工程（技术）中心按级别相加；同一企业同类晋升只按最高级别计。"


class UnknownFigure(KeyError):
    def __str__(self) -> str:
        return f"没有这个指标代码：{self.args[0]}"


@dataclass(frozen=True)
class FigureValue:
    code: str
    label: str
    unit: str
    value: Number
    previous: Number
    parts: Parts
    link: str
    source: str
    note: str = ""

    @property
    def change(self) -> Number:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "label": self.label,
            "unit": self.unit,
            "value": _plain(self.value),
            "previous": _plain(self.previous),
            "parts": [{"label": label, "value": _plain(value)} for label, value in self.parts],
            "link": self.link,
            "source": self.source,
        }


def _plain(value: Number) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


@dataclass(frozen=True)
class FigureDef:
    code: str
    label: str
    unit: str
    how: str
    source: str
    compute: Callable[[int, Town | None], Computed]
    url: str  # a URL name (reversed) or a path
    query: Callable[[int, Town | None], dict] = field(default=lambda year, town: {"year": year})
    by_town: bool = False
    group: str = ""
    note: str = ""

    def link(self, year: int, town: Town | None = None) -> str:
        base = reverse(self.url) if ":" in self.url else self.url
        params = {k: v for k, v in self.query(year, town).items() if v not in (None, "")}
        return f"{base}?{urlencode(params)}" if params else base


def _d(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.0001")).normalize() + Decimal(0)


def _round(value: Decimal, places: Decimal = TWO) -> Decimal:
    return value.quantize(places, rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------- registry (工业企业)


def _has_annual(year: int) -> bool:
    return AnnualData.objects.filter(year=year).exists()


def _industrial(year: int, town: Town | None):
    queryset = (
        Enterprise.objects.filter(INDUSTRIAL)
        .exclude(status__in=GONE)
        .filter(
            Q(founded__isnull=True)
            | Q(founded__year__lte=year)
            | Q(pk__in=AnnualData.objects.filter(year=year).values("enterprise_id"))
        )
    )
    return queryset.filter(town=town) if town else queryset


def _industrial_enterprises(year, town) -> Computed:
    if not _has_annual(year):
        return None
    return Decimal(_industrial(year, town).count()), []


def _above_scale(year, town) -> Computed:
    if not _has_annual(year):
        return None
    return Decimal(_industrial(year, town).filter(scale=Enterprise.Scale.ABOVE).count()), []


def _industrial_output(year, town) -> Computed:
    rows = AnnualData.objects.filter(year=year, output_value__isnull=False).filter(
        enterprise__in=_industrial(year, town)
    )
    total = rows.aggregate(total=Sum("output_value"), n=Count("id"))
    if not total["n"]:
        return None
    return _round(_d(total["total"]) / 10000), []  # 万元 -> 亿元


# ---------------------------------------------------------------- evaluation


def _results(year, town):
    run = current_run(year)
    if run is None:
        return None
    results = EvaluationResult.objects.filter(run=run)
    return results.filter(enterprise__town=town) if town else results


def _class_counts(year, town) -> Computed:
    results = _results(year, town)
    if results is None:
        return None
    counts: dict[str, int] = {}
    for row in results.filter(exempt=False).values("computed_class", "regraded_class"):
        grade = row["regraded_class"] or row["computed_class"]
        if grade:
            counts[grade] = counts.get(grade, 0) + 1
    parts = [(f"{grade}类", Decimal(counts[grade])) for grade in sorted(counts)]
    return Decimal(sum(counts.values())), parts


def _per_mu(numerator: str):
    def compute(year, town) -> Computed:
        results = _results(year, town)
        if results is None:
            return None
        top = land = Decimal(0)
        for inputs in results.values_list("inputs", flat=True):
            value, mu = inputs.get(numerator), inputs.get("land_mu")
            if value is None or not mu:
                continue
            top += Decimal(str(value))
            land += Decimal(str(mu))
        if not land:
            return None
        return _round(top / land), []

    return compute


# ---------------------------------------------------------------- recognitions and talent


def _levels_by_tier(year) -> list[dict]:
    """The kinds counted as R&D institutions (研究院, 工程中心), with their counts per level."""
    rows = campaign_selectors.recognitions_by_kind(year)
    return [row for row in rows if row["counts_as_rd_institution"]]


def _recognitions_total(year, town) -> Computed:
    if not Recognition.objects.filter(year__lte=year).exists():
        return None
    kinds = _levels_by_tier(year)
    return Decimal(sum(kind["total"] for kind in kinds)), []


def _recognitions_by_level(year, town) -> Computed:
    if not Recognition.objects.filter(year__lte=year).exists():
        return None
    parts: Parts = []
    for kind in _levels_by_tier(year):
        for level in kind["levels"]:
            if level["count"]:
                parts.append((f"{level['level']}{kind['kind']}", Decimal(level["count"])))
    return Decimal(sum(value for _label, value in parts)), parts


def _above_scale_share(year, town) -> Computed:
    if not Recognition.objects.filter(year__lte=year).exists():
        return None
    share = campaign_selectors.rd_institution_share(year)
    if share["percent"] is None:
        return None
    return share["percent"], [
        ("区级以上研发机构企业", Decimal(share["holders"])),
        ("规上企业", Decimal(share["above_scale"])),
    ]


def _recognitions_of(kind_code: str, *, granted_in_year: bool = False, by_tier: bool = False):
    def compute(year, town) -> Computed:
        if granted_in_year:
            records = Recognition.objects.filter(kind__code=kind_code, year=year)
        else:
            records = campaign_selectors.recognitions_held(year).filter(kind__code=kind_code)
        if town:
            records = records.filter(enterprise__town=town)
        if not Recognition.objects.filter(kind__code=kind_code, year__lte=year).exists():
            return None
        parts: Parts = []
        if by_tier:
            for row in (
                records.values("level__name", "level__rank").annotate(n=Count("id")).order_by("-level__rank")
            ):
                parts.append((row["level__name"], Decimal(row["n"])))
        return Decimal(records.count()), parts

    return compute


def _program_121(year, town) -> Computed:
    entries = TalentEntry.objects.filter(plan__code="121", year__lte=year).exclude(
        status=TalentEntry.Status.WITHDRAWN
    )
    if not entries.exists():
        return None
    return Decimal(entries.count()), []


def _training_classes(year, town) -> Computed:
    classes = TrainingClass.objects.filter(year=year)
    if not classes.exists():
        return None
    totals = classes.aggregate(trainees=Sum("trainees"))
    return Decimal(classes.count()), [("学员人数", Decimal(totals["trainees"] or 0))]


# ---------------------------------------------------------------- innovation platforms and the science park


def _platform_rows(year, town):
    rows = InnovationPlatformYear.objects.filter(year=year)
    return rows.filter(town=town) if town else rows


def _platform_count(year, town) -> Computed:
    rows = _platform_rows(year, town)
    if not rows.exists():
        return None
    return Decimal(rows.values("platform").distinct().count()), []


def _platform_projects(year, town) -> Computed:
    rows = list(_platform_rows(year, town).order_by("platform"))
    if not rows:
        return None
    parts: Parts = []
    for row in rows:
        if row.projects:
            parts.append((f"{row.platform}引进项目", Decimal(row.projects)))
        if row.enterprises:
            parts.append((f"{row.platform}企业", Decimal(row.enterprises)))
        if row.registered_capital:
            parts.append((f"{row.platform}注册资金（万元）", _d(row.registered_capital)))
    return Decimal(sum(row.projects for row in rows)), parts


def _platform_talent(year, town) -> Computed:
    totals = _platform_rows(year, town).aggregate(
        n=Count("id"),
        national=Sum("national_thousand"),
        provincial=Sum("provincial_thousand"),
        plan=Sum("plan_3315"),
    )
    if not totals["n"]:
        return None
    parts = [
        ("国千", Decimal(totals["national"] or 0)),
        ("省千", Decimal(totals["provincial"] or 0)),
        ("3315", Decimal(totals["plan"] or 0)),
    ]
    return sum((value for _label, value in parts), Decimal(0)), parts


def _platform_transfer(year, town) -> Computed:
    rows = list(_platform_rows(year, town).filter(transfer_amount__gt=0).order_by("platform"))
    if not _platform_rows(year, town).exists():
        return None
    parts = [(row.platform, _d(row.transfer_amount)) for row in rows]
    return sum((value for _label, value in parts), Decimal(0)), parts


def _park(attribute: str, *, parts: Callable[[dict], Parts] | None = None, scale: int = 1):
    def compute(year, town) -> Computed:
        fields = ScienceParkYear._meta
        names = [f.name for f in fields.fields if f.name not in ("id", "park", "year")]
        totals = ScienceParkYear.objects.filter(year=year).aggregate(
            n=Count("id"), **{name: Sum(name) for name in names}
        )
        if not totals["n"]:
            return None
        value = _d(totals[attribute]) if attribute else Decimal(0)
        shown = parts(totals) if parts else []
        return (_round(value / scale) if scale != 1 else value), shown

    return compute


def _park_space_parts(totals) -> Parts:
    return [("产业发展空间", _d(totals["industry_space_m2"])), ("人才公寓", _d(totals["apartment_m2"]))]


def _creative_revenue(year, town) -> Computed:
    this = _park("creative_revenue", scale=10000)(year, town)
    if this is None:
        return None
    three_years = ScienceParkYear.objects.filter(year__gt=year - 3, year__lte=year).aggregate(
        total=Sum("creative_revenue")
    )
    return this[0], [("三年累计（亿元）", _round(_d(three_years["total"]) / 10000))]


# ---------------------------------------------------------------- campaigns (四换): reuse campaigns.figures


def _campaign(code: str, *, cumulative: bool = False, since: int | None = None, scale: int = 1):
    figure = campaign_figures.FIGURES[code]

    def compute(year, town) -> Computed:
        records = figure.model.objects.filter(figure.where)
        if since is not None:
            records = records.filter(year__gte=since, year__lte=year)
        elif cumulative:
            records = records.filter(year__lte=year)
        else:
            records = records.filter(year=year)
        if town is not None:
            records = records.filter(**{figure.town_path: town})
        if not records.exists():
            return None
        value = campaign_figures._tidy(records.aggregate(value=figure.total)["value"])
        value = _round(value / scale) if scale != 1 else value
        return value.normalize() + Decimal(0), []

    return compute


def _exit_enterprises(year, town) -> Computed:
    # the reply counts 2012–2013 together: the year and the one before
    return _campaign("exit_enterprises", since=year - 1)(year, town)


def _renovation(year, town) -> Computed:
    area = _campaign("renovated_area_m2")(year, town)
    if area is None:
        return None
    parts: Parts = []
    for target in campaign_selectors.targets_with_completion(year):
        if target["figure"] == "renovated_area_m2" and target["town"] is None:
            parts.append((f"{target['setter']}目标完成率（%）", target["completion_percent"]))
    return area[0], parts


def _renovation_completion(year, town) -> Computed:
    targets = [
        t
        for t in campaign_selectors.targets_with_completion(year)
        if t["figure"] == "renovated_area_m2" and t["town"] is None and t["completion_percent"] is not None
    ]
    if not targets:
        return None
    parts = [
        (f"{t['setter']}目标", t["completion_percent"]) for t in sorted(targets, key=lambda t: t["setter"])
    ]
    return parts[0][1], parts


def _platform_turnover(year, town) -> Computed:
    from zhuanxing.campaigns.models import PlatformTurnover

    rows = PlatformTurnover.objects.filter(year=year).select_related("platform").order_by("platform__name")
    if town:
        rows = rows.filter(platform__town=town)
    rows = list(rows)
    if not rows:
        return None
    parts = [(row.platform.name, _round(_d(row.turnover) / 10000)) for row in rows]
    return sum((value for _label, value in parts), Decimal(0)), parts


def _park_tenants(year, town) -> Computed:
    from zhuanxing.campaigns.models import ParkTenants

    rows = ParkTenants.objects.filter(year=year)
    if town:
        rows = rows.filter(park__town=town)
    if not rows.exists():
        return None
    parts = [
        (row["park__name"], Decimal(row["n"]))
        for row in rows.values("park__name").annotate(n=Sum("count")).order_by("park__name")
    ]
    return sum((value for _label, value in parts), Decimal(0)), parts


def _service_centres(year, town) -> Computed:
    records = campaign_selectors.recognitions_held(year).filter(kind__code="automation-service-centre")
    if not Recognition.objects.filter(kind__code="automation-service-centre", year__lte=year).exists():
        return None
    parts = [
        (row["level__name"], Decimal(row["n"]))
        for row in records.values("level__name", "level__rank")
        .annotate(n=Count("id"))
        .order_by("-level__rank")
    ]
    return Decimal(records.count()), parts


# ---------------------------------------------------------------- techmarket


def _events(year, town) -> list[dict] | None:
    if not Event.objects.filter(held_on__year=year).exists():
        return None
    return event_outcomes(year)


def _event_figure(key: str | None, *, scale: int = 1):
    def compute(year, town) -> Computed:
        outcomes = _events(year, town)
        if outcomes is None:
            return None
        if key is None:
            return Decimal(len(outcomes)), []
        total = sum((Decimal(row[key]) for row in outcomes), Decimal(0))
        return (_round(total / scale) if scale != 1 else total), []

    return compute


def _online_demands(year, town) -> Computed:
    demands = Demand.objects.filter(created_at__year=year)
    if town:
        demands = demands.filter(enterprise__town=town)
    count = demands.count()
    return (Decimal(count), []) if count else None


def _online_contracts(year, town):
    contracts = Contract.objects.filter(signed_on__year=year, event__isnull=True)
    return contracts.filter(buyer_enterprise__town=town) if town else contracts


def _online_deals(year, town) -> Computed:
    if not Contract.objects.filter(signed_on__year=year).exists() and not _online_demands(year, town):
        return None
    return Decimal(_online_contracts(year, town).count()), []


def _online_amount(year, town) -> Computed:
    if not Contract.objects.filter(signed_on__year=year).exists() and not _online_demands(year, town):
        return None
    return _d(_online_contracts(year, town).aggregate(total=Sum("tech_amount"))["total"]), []


# ---------------------------------------------------------------- programs (政策兑现)


def _awards_paid(year, town) -> Computed:
    payments = Payment.objects.filter(paid_on__year=year)
    if town:
        payments = payments.filter(application__enterprise__town=town)
    totals = payments.aggregate(total=Sum("amount"), n=Count("id"))
    if not totals["n"]:
        return None
    return _d(totals["total"]), []


def _budget_used(year, town) -> Computed:
    policies = Policy.objects.filter(year=year, budget__gt=0)
    figures = program_selectors.statistics(policies)
    if not figures:
        return None
    budget = sum((f.policy.budget for f in figures), Decimal(0))
    approved = sum((f.total.approved for f in figures), Decimal(0))
    paid = sum((f.total.paid for f in figures), Decimal(0))
    parts = [("预算（万元）", _d(budget)), ("已核定（万元）", _d(approved)), ("已拨付（万元）", _d(paid))]
    return _round(approved * 100 / budget, Decimal("0.1")), parts


# ---------------------------------------------------------------- the catalogue


def _year_town(year, town):
    return {"year": year, "town": getattr(town, "pk", None)}


def _no_params(year, town):
    return {}


def _town_code(year, town):
    return {"town": getattr(town, "code", None)}


def _above_scale_query(year, town):
    return {"scale": Enterprise.Scale.ABOVE, "town": getattr(town, "code", None)}


def _def(code, label, unit, how, source, compute, url, query=_year_town, by_town=False, group="", note=""):
    return FigureDef(code, label, unit, how, source, compute, url, query, by_town, group, note)


def _catalogue() -> list[FigureDef]:
    return [
        _def(
            "registry.industrial_enterprises",
            "工业企业",
            "家",
            "企业库中行业属采矿业、制造业、电力热力燃气及水生产和供应业（GB/T 4754 门类 B、C、D），"
            "当年已成立（或有当年年度数据）、未注销未迁出的企业数；当年无任何年度数据时为暂无数据",
            "企业库（工业企业）",
            _industrial_enterprises,
            "registry:enterprise_list",
            _town_code,
            by_town=True,
            group="工业经济",
        ),
        _def(
            "registry.industrial_output",
            "工业总产值",
            "亿元",
            "工业企业当年年度数据“工业总产值”之和（万元折亿元）",
            "企业年度数据（工业总产值）",
            _industrial_output,
            "registry:enterprise_list",
            _town_code,
            by_town=True,
            group="工业经济",
        ),
        _def(
            "registry.above_scale",
            "规上工业企业",
            "家",
            "工业企业中规模为“规上”的企业数",
            "企业库（规上工业企业）",
            _above_scale,
            "registry:enterprise_list",
            _above_scale_query,
            by_town=True,
            group="工业经济",
        ),
        _def(
            "evaluation.class_counts",
            "亩均效益评价企业数",
            "家",
            "当年生效的评价批次（定档，否则公示中）中评级企业数，按 A/B/C/D 分列（调档后等级）",
            "亩均效益综合评价结果",
            _class_counts,
            "evaluation:run_list",
            _no_params,
            by_town=True,
            group="亩均效益",
        ),
        _def(
            "evaluation.tax_per_mu",
            "全区亩均税收",
            "万元/亩",
            "当年生效评价批次中 Σ实缴税金 ÷ Σ用地面积",
            "亩均效益综合评价结果（税金、用地）",
            _per_mu("tax"),
            "evaluation:analysis",
            _no_params,
            by_town=True,
            group="亩均效益",
        ),
        _def(
            "evaluation.value_added_per_mu",
            "全区亩均增加值",
            "万元/亩",
            "当年生效评价批次中 Σ工业增加值 ÷ Σ用地面积",
            "亩均效益综合评价结果（增加值、用地）",
            _per_mu("value_added"),
            "evaluation:analysis",
            _no_params,
            by_town=True,
            group="亩均效益",
        ),
        _def(
            "recognitions.total",
            "企业研究院、工程（技术）中心",
            "家",
            "年末有效的企业研究院、工程（技术）中心（同一企业同类按最高级别计一次）",
            "认定记录（企业研究院、工程（技术）中心）",
            _recognitions_total,
            "/campaigns/recognitions/",
            _no_params,
            group="创新能力",
            note=RD_TOTAL_NOTE + BY_LEVEL_NOTE,
        ),
        _def(
            "recognitions.by_level",
            "研究院、工程中心分级别",
            "家",
            "年末有效认定按类别和级别计数",
            "认定记录（按级别）",
            _recognitions_by_level,
            "/campaigns/recognitions/",
            _no_params,
            group="创新能力",
            note=BY_LEVEL_NOTE,
        ),
        _def(
            "recognitions.above_scale_share",
            "区级以上工程技术中心占规上企业比重",
            "%",
            "持有区级以上企业研究院或工程（技术）中心的规上企业 ÷ 规上企业数",
            "认定记录与企业库（规上企业）",
            _above_scale_share,
            "/campaigns/recognitions/",
            _no_params,
            group="创新能力",
        ),
        _def(
            "platforms.count",
            "五大科技创新平台",
            "个",
            "当年报送年度情况的科技创新平台数",
            "科技创新平台年度情况",
            _platform_count,
            "/campaigns/innovation-platforms/",
            by_town=True,
            group="创新平台",
        ),
        _def(
            "platforms.projects",
            "科创平台引进项目",
            "个",
            "各平台当年引进项目数之和；分平台列引进项目、企业和注册资金",
            "科技创新平台年度情况",
            _platform_projects,
            "/campaigns/innovation-platforms/",
            by_town=True,
            group="创新平台",
        ),
        _def(
            "platforms.talent_projects",
            "科创平台人才项目",
            "个",
            "各平台国家千人计划、省千人计划、3315计划项目数之和",
            "科技创新平台年度情况",
            _platform_talent,
            "/campaigns/innovation-platforms/",
            by_town=True,
            group="创新平台",
        ),
        _def(
            "platforms.transfer_contracts",
            "科创平台技术转移合同",
            "万元",
            "各平台当年技术转移合同额之和",
            "科技创新平台年度情况",
            _platform_transfer,
            "/campaigns/innovation-platforms/",
            by_town=True,
            group="创新平台",
        ),
        _def(
            "talent.professor_studios",
            "教授（专家）工作室申报",
            "家",
            "当年认定（申报）的教授（专家）工作室",
            "认定记录（教授（专家）工作室）",
            _recognitions_of("expert-studio", granted_in_year=True),
            "/campaigns/recognitions/",
            by_town=True,
            group="人才",
        ),
        _def(
            "talent.postdoc_stations",
            "博士后工作站",
            "家",
            "年末有效的博士后工作站，按级别分列",
            "认定记录（博士后工作站）",
            _recognitions_of("postdoc-station", by_tier=True),
            "/campaigns/recognitions/",
            _no_params,
            by_town=True,
            group="人才",
        ),
        _def(
            "talent.innovation_teams",
            "市级企业技术创新团队",
            "家",
            "年末有效的企业技术创新团队",
            "认定记录（企业技术创新团队）",
            _recognitions_of("innovation-team"),
            "/campaigns/recognitions/",
            _no_params,
            by_town=True,
            group="人才",
        ),
        _def(
            "talent.program_121",
            "121人才培养工程",
            "人",
            "年末前入选且未退出的121人才培养工程人员（5年培养协议）",
            "人才计划入选记录（121人才培养工程）",
            _program_121,
            "/campaigns/talent/",
            _no_params,
            group="人才",
        ),
        _def(
            "talent.training_classes",
            "精益人才培育基地班次",
            "班",
            "当年开设的培训班数（另列学员人数）",
            "培训班记录",
            _training_classes,
            "/campaigns/training-classes/",
            group="人才",
        ),
        _def(
            "techmarket.events",
            "科技专场活动",
            "场",
            "当年举办的专场对接活动",
            "科技大市场活动",
            _event_figure(None),
            "techmarket:event_list",
            group="科技大市场",
        ),
        _def(
            "techmarket.event_signed",
            "专场活动签约",
            "项",
            "当年活动中签订的技术合同数",
            "技术合同（来自专场活动）",
            _event_figure("signed"),
            "techmarket:contract_list",
            group="科技大市场",
        ),
        _def(
            "techmarket.event_amount",
            "专场活动技术交易额",
            "万元",
            "当年活动中签订的技术合同成交额之和",
            "技术合同（来自专场活动）",
            _event_figure("amount"),
            "techmarket:contract_list",
            group="科技大市场",
        ),
        _def(
            "techmarket.event_intents",
            "专场活动合作意向",
            "项",
            "当年活动对接中结果为“合作意向”的对数",
            "活动对接记录",
            _event_figure("intents"),
            "techmarket:event_list",
            group="科技大市场",
        ),
        _def(
            "techmarket.online_demands",
            "网上技术市场发布难题",
            "项",
            "当年发布的技术难题",
            "技术难题",
            _online_demands,
            "techmarket:demand_list",
            _no_params,
            by_town=True,
            group="科技大市场",
        ),
        _def(
            "techmarket.online_deals",
            "网上技术市场成交",
            "项",
            "当年签订、不属于专场活动的技术合同数",
            "技术合同（网上成交）",
            _online_deals,
            "techmarket:contract_list",
            by_town=True,
            group="科技大市场",
        ),
        _def(
            "techmarket.online_amount",
            "网上技术市场技术交易额",
            "万元",
            "当年签订、不属于专场活动的技术合同技术交易额之和",
            "技术合同（网上成交）",
            _online_amount,
            "techmarket:contract_list",
            by_town=True,
            group="科技大市场",
        ),
        _def(
            "park.enterprises",
            "大学科技园企业",
            "家",
            "大学科技园当年报送的入园企业数",
            "大学科技园年度情况",
            _park("enterprises"),
            "/campaigns/science-park/",
            group="大学科技园",
        ),
        _def(
            "park.creative_enterprises",
            "其中文创企业",
            "家",
            "大学科技园当年报送的文创企业数",
            "大学科技园年度情况",
            _park("creative_enterprises"),
            "/campaigns/science-park/",
            group="大学科技园",
        ),
        _def(
            "park.creative_revenue",
            "文创企业主营收入",
            "亿元",
            "文创企业主营收入（万元折亿元）；另列含当年的三年累计",
            "大学科技园年度情况",
            _creative_revenue,
            "/campaigns/science-park/",
            group="大学科技园",
        ),
        _def(
            "park.creative_value_added",
            "文创企业增加值",
            "亿元",
            "文创企业增加值（万元折亿元）",
            "大学科技园年度情况",
            _park("creative_value_added", scale=10000),
            "/campaigns/science-park/",
            group="大学科技园",
        ),
        _def(
            "park.ip_applied",
            "申请知识产权",
            "项",
            "大学科技园企业当年申请知识产权数",
            "大学科技园年度情况",
            _park("ip_applied"),
            "/campaigns/science-park/",
            group="大学科技园",
        ),
        _def(
            "park.ip_granted",
            "获批知识产权",
            "项",
            "大学科技园企业当年获批知识产权数",
            "大学科技园年度情况",
            _park("ip_granted"),
            "/campaigns/science-park/",
            group="大学科技园",
        ),
        _def(
            "park.staff",
            "平均从业人员",
            "人",
            "大学科技园企业平均从业人员",
            "大学科技园年度情况",
            _park("staff"),
            "/campaigns/science-park/",
            group="大学科技园",
        ),
        _def(
            "park.staff_bachelor",
            "本科以上从业人员",
            "人",
            "大学科技园企业本科以上从业人员",
            "大学科技园年度情况",
            _park("staff_bachelor"),
            "/campaigns/science-park/",
            group="大学科技园",
        ),
        _def(
            "park.space",
            "大学科技园空间",
            "万m²",
            "产业发展空间与人才公寓面积之和（m²折万m²），分列",
            "大学科技园年度情况",
            _park_space,
            "/campaigns/science-park/",
            group="大学科技园",
        ),
        _def(
            "exit.enterprises",
            "小精细化工等企业关闭、转产、搬迁、提升",
            "家",
            "当年及上一年有整治措施的企业数（两年合计，如 2012–2013）",
            "腾笼换鸟整治记录",
            _exit_enterprises,
            "/campaigns/exit-actions/",
            _no_params,
            by_town=True,
            group="腾笼换鸟",
        ),
        _def(
            "exit.capacity_projects",
            "淘汰落后产能项目",
            "个",
            "当年实施（实施中或已完成）的淘汰落后产能项目",
            "淘汰落后产能记录",
            _campaign("capacity_projects"),
            "/campaigns/capacity/",
            by_town=True,
            group="腾笼换鸟",
        ),
        _def(
            "exit.energy_saved",
            "淘汰落后产能年节能",
            "万吨标准煤",
            "当年实施项目的年节能量之和（吨折万吨）",
            "淘汰落后产能记录",
            _campaign("energy_saved_tce", scale=10000),
            "/campaigns/capacity/",
            by_town=True,
            group="腾笼换鸟",
        ),
        _def(
            "exit.commerce_conversions",
            "工改商项目",
            "个",
            "截至当年已完成的工改商项目",
            "工改商记录",
            _campaign("commerce_projects", cumulative=True),
            "/campaigns/commerce/",
            _no_params,
            by_town=True,
            group="腾笼换鸟",
        ),
        _def(
            "automation.projects",
            "机器换人项目",
            "个",
            "2013 年以来累计实施的机器换人项目",
            "机器换人项目记录",
            _campaign("automation_projects", since=2013),
            "/campaigns/automation/",
            _no_params,
            by_town=True,
            group="机器换人",
        ),
        _def(
            "automation.staff_reduced",
            "机器换人减员",
            "人",
            "2013 年以来累计实施项目的减员（改造前人数 − 改造后人数）",
            "机器换人项目记录",
            _campaign("automation_jobs_reduced", since=2013),
            "/campaigns/automation/",
            _no_params,
            by_town=True,
            group="机器换人",
        ),
        _def(
            "automation.awards",
            "机器换人财政奖励",
            "万元",
            "2013 年以来机器换人项目关联申报的已拨付奖励之和",
            "政策兑现拨付（机器换人项目关联申报）",
            _automation_awards,
            "/campaigns/automation/",
            _no_params,
            by_town=True,
            group="机器换人",
        ),
        _def(
            "automation.service_centres",
            "机器换人服务中心",
            "家",
            "年末有效的机器换人服务中心，按省级、市级分列",
            "认定记录（机器换人服务中心）",
            _service_centres,
            "/campaigns/recognitions/",
            _no_params,
            group="机器换人",
        ),
        _def(
            "space.renovated_area",
            "改造旧厂区",
            "万m²",
            "当年实施的旧厂区改造项目面积之和（m²折万m²）",
            "空间换地记录",
            _campaign("renovated_area_m2", scale=10000),
            "/campaigns/space/",
            by_town=True,
            group="空间换地",
        ),
        _def(
            "space.completion",
            "旧厂区改造目标完成率",
            "%",
            "改造面积 ÷ 全区目标（市定、区定分列）",
            "空间换地记录与目标任务",
            _renovation_completion,
            "/campaigns/progress/",
            group="空间换地",
        ),
        _def(
            "ecommerce.platform_turnover",
            "大宗商品交易平台交易额",
            "亿元",
            "各交易平台当年交易额（万元折亿元），分平台列",
            "交易平台交易额记录",
            _platform_turnover,
            "/campaigns/platform-turnover/",
            by_town=True,
            group="电商换市",
        ),
        _def(
            "ecommerce.belt_members",
            "产业带入驻企业",
            "家",
            "当年产业带入驻企业",
            "产业带入驻记录",
            _campaign("belt_members"),
            "/campaigns/belt/",
            by_town=True,
            group="电商换市",
        ),
        _def(
            "ecommerce.belt_sales",
            "产业带线上销售额",
            "万元",
            "当年产业带入驻企业线上销售额之和",
            "产业带入驻记录",
            _campaign("belt_online_sales"),
            "/campaigns/belt/",
            by_town=True,
            group="电商换市",
        ),
        _def(
            "ecommerce.parks",
            "电商产业园入驻企业",
            "家",
            "当年各电商园区入驻企业数之和，分园区列",
            "电商园区入驻记录",
            _park_tenants,
            "/campaigns/park-tenants/",
            by_town=True,
            group="电商换市",
        ),
        _def(
            "programs.awards_paid",
            "政策兑现已拨付金额",
            "万元",
            "当年拨付的奖励之和",
            "政策兑现拨付记录",
            _awards_paid,
            "programs:application_list",
            _no_params,
            by_town=True,
            group="政策兑现",
        ),
        _def(
            "programs.budget_used",
            "政策兑现预算使用率",
            "%",
            "当年政策已核定金额 ÷ 预算",
            "政策预算与申报核定记录",
            _budget_used,
            "programs:policy_list",
            _no_params,
            group="政策兑现",
        ),
    ]


def _park_space(year, town) -> Computed:
    computed = _park("", parts=_park_space_parts)(year, town)
    if computed is None:
        return None
    _zero, parts = computed
    total = sum((value for _label, value in parts), Decimal(0))
    return _round(total / 10000), [(label, _round(value / 10000)) for label, value in parts]


def _automation_awards(year, town) -> Computed:
    from zhuanxing.campaigns.models import AutomationProject

    projects = AutomationProject.objects.filter(year__gte=2013, year__lte=year).exclude(
        award_application_ref=""
    )
    if town:
        projects = projects.filter(enterprise__town=town)
    if not AutomationProject.objects.filter(year__gte=2013, year__lte=year).exists():
        return None
    refs = [ref for ref in projects.values_list("award_application_ref", flat=True) if ref]
    payments = Payment.objects.filter(paid_on__year__lte=year, application__number__in=refs)
    return _d(payments.aggregate(total=Sum("amount"))["total"]), []


FIGURES: dict[str, FigureDef] = {figure.code: figure for figure in _catalogue()}


def _town(town) -> Town | None:
    if town is None or isinstance(town, Town):
        return town
    return Town.objects.get(pk=int(town))


def compute_figure(code: str, year: int, town=None) -> FigureValue:
    """One figure for ``year`` (and ``town`` where the figure has one), with the previous year's value."""
    try:
        figure = FIGURES[code]
    except KeyError:
        raise UnknownFigure(code) from None
    place = _town(town) if figure.by_town else None
    this = figure.compute(year, place)
    before = figure.compute(year - 1, place)
    return FigureValue(
        code=figure.code,
        label=figure.label,
        unit=figure.unit,
        value=None if this is None else this[0],
        previous=None if before is None else before[0],
        parts=[] if this is None else list(this[1]),
        link=figure.link(year, place),
        source=figure.source,
        note=figure.note,
    )


def compute_figures(year: int, town=None) -> list[FigureValue]:
    """Every figure of the catalogue for ``year`` (and ``town``), in catalogue order."""
    place = _town(town)
    return [compute_figure(code, year, place) for code in FIGURES]
