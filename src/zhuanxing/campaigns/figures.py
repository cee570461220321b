"""The campaign figures the bureau reports, each computed from its records for a year (and a town).

A figure is declared once (its records, how they add up, which of them count) and serves the
summary, the targets' completion and the progress charts alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Model, Q, Sum
from django.db.models.aggregates import Aggregate

from zhuanxing.campaigns.models import (
    CARRIED_OUT,
    AutomationProject,
    BeltMember,
    CapacityElimination,
    CommerceConversion,
    ExitAction,
    ParkTenants,
    PlatformTurnover,
    ProjectStatus,
    SpaceRenovation,
)

PLACES = Decimal("0.0001")


def _tidy(value) -> Decimal:
    """A sum as a Decimal of the fields' precision (SQLite sums decimals with float noise)."""
    return Decimal(str(value or 0)).quantize(PLACES)


@dataclass(frozen=True)
class Figure:
    code: str
    label: str
    unit: str
    group: str
    model: type[Model]
    total: Aggregate
    town_path: str
    where: Q = field(default_factory=Q)
    # A flow (projects done, energy saved) adds up over the years; a stock (belt members) does not.
    flow: bool = True

    def value(self, *, year: int, town=None, cumulative: bool = False) -> Decimal:
        records = self.model.objects.filter(self.where)
        records = records.filter(year__lte=year) if cumulative else records.filter(year=year)
        if town is not None:
            records = records.filter(**{self.town_path: town})
        return _tidy(records.aggregate(value=self.total)["value"])

    def by_town(self, *, year: int) -> dict[int, Decimal]:
        """Town id -> value of the year, for the towns that have records."""
        rows = (
            self.model.objects.filter(self.where, year=year)
            .values(place=F(f"{self.town_path}_id"))
            .annotate(value=self.total)
        )
        return {row["place"]: _tidy(row["value"]) for row in rows if row["place"] is not None}


_done = Q(status__in=CARRIED_OUT)
FIGURES: dict[str, Figure] = {
    f.code: f
    for f in [
        Figure(
            "exit_enterprises",
            "腾笼换鸟整治企业",
            "家",
            "腾笼换鸟",
            ExitAction,
            Count("enterprise", distinct=True),
            "enterprise__town",
        ),
        Figure(
            "capacity_projects",
            "淘汰落后产能项目",
            "个",
            "腾笼换鸟",
            CapacityElimination,
            Count("id"),
            "enterprise__town",
            _done,
        ),
        Figure(
            "energy_saved_tce",
            "淘汰落后产能年节能量",
            "吨标准煤",
            "腾笼换鸟",
            CapacityElimination,
            Sum("energy_saved_tce"),
            "enterprise__town",
            _done,
        ),
        Figure(
            "land_freed_mu",
            "淘汰落后产能腾出土地",
            "亩",
            "腾笼换鸟",
            CapacityElimination,
            Sum("land_freed_mu"),
            "enterprise__town",
            _done,
        ),
        Figure(
            "commerce_projects",
            "工改商项目",
            "个",
            "腾笼换鸟",
            CommerceConversion,
            Count("id"),
            "town",
            Q(status=ProjectStatus.DONE),
        ),
        Figure(
            "commerce_area_m2",
            "工改商建筑面积",
            "㎡",
            "腾笼换鸟",
            CommerceConversion,
            Sum("floor_area_m2"),
            "town",
            Q(status=ProjectStatus.DONE),
        ),
        Figure(
            "automation_projects",
            "机器换人项目",
            "个",
            "机器换人",
            AutomationProject,
            Count("id"),
            "enterprise__town",
            _done,
        ),
        Figure(
            "automation_jobs_reduced",
            "机器换人减员",
            "人",
            "机器换人",
            AutomationProject,
            Sum(F("staff_before") - F("staff_after")),
            "enterprise__town",
            _done,
        ),
        Figure(
            "automation_investment",
            "机器换人投资",
            "万元",
            "机器换人",
            AutomationProject,
            Sum("investment"),
            "enterprise__town",
            _done,
        ),
        Figure(
            "automation_robots",
            "机器换人新增机器人",
            "台",
            "机器换人",
            AutomationProject,
            Sum("robots"),
            "enterprise__town",
            _done,
        ),
        Figure(
            "renovated_area_m2",
            "旧厂区改造面积",
            "㎡",
            "空间换地",
            SpaceRenovation,
            Sum("project_area_m2"),
            "enterprise__town",
            _done & Q(kind=SpaceRenovation.Kind.RENOVATION),
        ),
        Figure(
            "multistorey_area_m2",
            "新建多层厂房及加层面积",
            "㎡",
            "空间换地",
            SpaceRenovation,
            Sum("project_area_m2"),
            "enterprise__town",
            _done & ~Q(kind=SpaceRenovation.Kind.RENOVATION),
        ),
        Figure(
            "park_tenants",
            "电商园区入驻企业",
            "家",
            "电商换市",
            ParkTenants,
            Sum("count"),
            "park__town",
            flow=False,
        ),
        Figure(
            "belt_members",
            "产业带入驻企业",
            "家",
            "电商换市",
            BeltMember,
            Count("enterprise", distinct=True),
            "enterprise__town",
            flow=False,
        ),
        Figure(
            "belt_online_sales",
            "产业带线上销售额",
            "万元",
            "电商换市",
            BeltMember,
            Sum("online_sales"),
            "enterprise__town",
        ),
        Figure(
            "platforms",
            "大宗商品交易平台",
            "家",
            "电商换市",
            PlatformTurnover,
            Count("platform", distinct=True),
            "platform__town",
            flow=False,
        ),
        Figure(
            "platform_turnover",
            "交易平台交易额",
            "万元",
            "电商换市",
            PlatformTurnover,
            Sum("turnover"),
            "platform__town",
        ),
    ]
}
GROUPS = ["腾笼换鸟", "机器换人", "空间换地", "电商换市"]
