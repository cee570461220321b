"""Synthetic recognitions, talent, 四换 records and targets for the demo district, 2023–2025.

Sizes follow the 2015 reply: 138 research institutes and engineering centres (1 省级企业研究院;
27 省级, 49 市级 and 62 区级 工程（技术）中心) held by 规上 firms, which is 24.2% of them;
6 博士后工作站 (1 国家级, 3 省级, 2 市级), 18 市级创新团队, 9 教授工作室, 88 trainees of the 121
programme; over the three years about 150 机器换人 projects cutting some 1,200 jobs, 46
腾笼换鸟 actions on small chemical firms, 16 淘汰落后产能 projects saving 3.2万 tce and 20
工改商 projects; 14.21万 m² of old factories renovated in the last year against targets of 7万
(city) and 7.2万 m² (district), i.e. 203% and 197%; an industrial belt of 140 firms selling
about 5,000万 online, two e-commerce parks and three trading platforms.

Holders are the demo's enterprises (counts shrink with a smaller demo); every person, team,
platform and project name is invented. Deterministic by seed.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from zhuanxing.accounts.models import Role, User
from zhuanxing.campaigns.models import (
    AssessmentResult,
    AutomationProject,
    BeltMember,
    CapacityElimination,
    CommerceConversion,
    EcommercePark,
    ExitAction,
    ParkTenants,
    PlatformTurnover,
    ProjectStatus,
    Recognition,
    RecognitionAssessment,
    RecognitionKind,
    RecognitionLevel,
    SchoolAgreement,
    SpaceRenovation,
    TalentAssessment,
    TalentEntry,
    TalentPlan,
    Target,
    TradingPlatform,
    TrainingClass,
)
from zhuanxing.campaigns.reference import install_reference
from zhuanxing.registry.models import Enterprise, Town

YEARS = (2023, 2024, 2025)
ABOVE_SCALE_SHARE = Decimal("0.242")  # of 规上 firms holding a 区级以上 研发机构
# kind code, level, share of the 138 研发机构
RD_INSTITUTIONS = [
    ("research-institute", "省级", 1),
    ("engineering-centre", "省级", 27),
    ("engineering-centre", "市级", 49),
    ("engineering-centre", "区级", 62),
]
# kind code, level, number held by 规上 firms
OTHER_RECOGNITIONS = [
    ("postdoc-station", "国家级", 1),
    ("postdoc-station", "省级", 3),
    ("postdoc-station", "市级", 2),
    ("innovation-team", "市级", 18),
    ("expert-studio", "区级", 9),
    ("key-laboratory", "省级", 2),
    ("key-laboratory", "市级", 3),
    ("design-centre", "省级", 1),
    ("design-centre", "市级", 4),
]
SERVICE_CENTRES = [("宁波甬智自动化技术研究院", "省级"), ("镇海机器换人公共服务中心", "市级")]
DOCUMENT_ISSUERS = {
    "国家级": "国科发",
    "省级": "浙经信技术",
    "省级重点": "浙经信技术",
    "市级": "甬经信技",
    "区级": "镇经信",
}

AUTOMATION_PER_YEAR = (48, 50, 52)
AUTOMATION_NAMES = [
    "冲压工序机器人上下料改造",
    "数控加工中心自动化生产线",
    "焊接机器人工作站",
    "紧固件自动搓丝检测线",
    "轴承套圈自动化磨削线",
    "液压件智能装配线",
    "注塑机械手集中供料改造",
    "仓储物流自动化改造",
    "在线视觉检测系统",
    "喷涂机器人生产线",
]
EXIT_ACTIONS_PER_YEAR = (16, 15, 15)
EXIT_WEIGHTS = {
    ExitAction.Action.CLOSE: 4,
    ExitAction.Action.CONVERT: 2,
    ExitAction.Action.RELOCATE: 2,
    ExitAction.Action.UPGRADE: 2,
}
CAPACITY_PER_YEAR = (6, 5, 5)
ENERGY_SAVED_TCE = 32_000
COMMERCE_BRANDS = ["汇通", "永逸", "创富", "恒达", "新港", "甬兴", "华庭", "宏远"]
CAPACITY_LINES = ["印染", "造纸", "电镀", "铸造", "小化工", "水泥粉磨", "燃煤锅炉"]
COMMERCE_PER_YEAR = (7, 7, 6)
COMMERCE_NAMES = {
    CommerceConversion.NewUse.LOGISTICS: "物流产业园",
    CommerceConversion.NewUse.FINANCE: "金融服务中心",
    CommerceConversion.NewUse.TECH: "科技信息园",
    CommerceConversion.NewUse.CREATIVE: "文创园",
    CommerceConversion.NewUse.TRADE: "商务中心",
    CommerceConversion.NewUse.AGENCY: "中介服务楼",
}
RENOVATED_M2 = {2023: 118_600, 2024: 131_400, 2025: 142_100}
RENOVATIONS_PER_YEAR = 20
MULTISTOREY_PER_YEAR = 5
BELT_MEMBERS = {2023: 110, 2024: 126, 2025: 140}
BELT_SALES = {2023: 3_600, 2024: 4_300, 2025: 4_960}  # 万元
BELT_PRODUCTS = ["紧固件", "轴承", "液压马达", "模具", "五金工具", "阀门", "电机"]
PARKS = [
    # name, town, opened, yearly tenants by type
    (
        "世创电商园",
        "jiaochuan",
        dt.date(2023, 4, 1),
        {2023: {"外贸": 20, "家纺": 12}, 2024: {"外贸": 22, "家纺": 14}, 2025: {"外贸": 23, "家纺": 15}},
    ),
    (
        "骆驼跨境电商园",
        "luotuo",
        dt.date(2023, 6, 18),
        {2023: {"跨境电商": 8}, 2024: {"跨境电商": 15}, 2025: {"跨境电商": 21}},
    ),
]
PLATFORMS = [
    # invented names; the 2025 turnover (万元) is the reply's 2014 figure for its three platforms
    ("宁波甬汇有色金属交易中心", "有色金属", "zhenhai-zone", 86_000),
    ("宁波金贸通金属材料交易平台", "有色金属", "jiaochuan", 73_000),
    ("宁波港都商品电子交易中心", "大宗商品", "zhaobaoshan", 500_000),
]
PLATFORM_GROWTH = {2023: Decimal("0.84"), 2024: Decimal("0.92"), 2025: Decimal(1)}
TRAINING_BASE = "装备制造产业精益人才培育基地"
TRAINING_PARTNER = "天津大学、现代俊铭企管"
TRAINING_CLASSES = [
    "装备产业提升班—制造业工程技术突破培训",
    "精益制造技术及商业应用班",
    "制造业工程技术突破班",
]
SCHOOLS = ["宁波职业技术学院", "浙江工商职业技术学院", "宁波大学", "天津大学"]
PROGRAMMES = ["机电一体化", "数控技术", "工业机器人技术", "化工技术", "模具设计与制造"]
TALENT_121_TRAINEES = 88
TALENT_ENTRIES = [
    # plan code, kind, year, grade
    ("3315", TalentEntry.Kind.INDIVIDUAL, 2023, "B类"),
    ("3315", TalentEntry.Kind.INDIVIDUAL, 2024, "C类"),
    ("3315", TalentEntry.Kind.TEAM, 2024, "B类"),
    ("3315", TalentEntry.Kind.INDIVIDUAL, 2025, "A类"),
    ("national-thousand", TalentEntry.Kind.INDIVIDUAL, 2023, ""),
    ("national-thousand", TalentEntry.Kind.INDIVIDUAL, 2025, ""),
    ("provincial-thousand", TalentEntry.Kind.INDIVIDUAL, 2023, ""),
    ("provincial-thousand", TalentEntry.Kind.INDIVIDUAL, 2024, ""),
    ("provincial-thousand", TalentEntry.Kind.INDIVIDUAL, 2025, ""),
]
TARGETS = [
    # figure, setter, value per year
    ("renovated_area_m2", Target.Setter.CITY, {2023: 60_000, 2024: 65_000, 2025: 70_000}),
    ("renovated_area_m2", Target.Setter.DISTRICT, {2023: 62_000, 2024: 68_000, 2025: 72_000}),
    ("automation_projects", Target.Setter.CITY, {2023: 30, 2024: 30, 2025: 30}),
    ("automation_projects", Target.Setter.DISTRICT, {2023: 45, 2024: 48, 2025: 50}),
    ("energy_saved_tce", Target.Setter.CITY, {2023: 10_000, 2024: 10_000, 2025: 10_000}),
    ("commerce_projects", Target.Setter.DISTRICT, {2023: 6, 2024: 6, 2025: 6}),
    ("belt_online_sales", Target.Setter.DISTRICT, {2023: 3_500, 2024: 4_000, 2025: 5_000}),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华建国志海波宁浩宇晨"
PETROCHEM = ("25", "26", "28", "29")
EQUIPMENT = ("33", "34", "35", "36", "37", "38", "40")


def _unique(make, used: set[str]) -> str:
    while True:
        name = make()
        if name not in used:
            used.add(name)
            return name


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """``total`` in ``parts`` random whole shares that add up exactly."""
    if parts <= 0:
        return []
    weights = [rng.uniform(0.5, 1.5) for _ in range(parts)]
    shares = [int(total * w / sum(weights)) for w in weights]
    shares[-1] += total - sum(shares)
    return shares


def _scaled(counts: list[int], total: int) -> list[int]:
    """``counts`` scaled to add up to ``total`` (largest remainders)."""
    whole = sum(counts)
    exact = [c * total / whole for c in counts]
    result = [int(x) for x in exact]
    for index in sorted(range(len(counts)), key=lambda i: exact[i] - result[i], reverse=True)[
        : total - sum(result)
    ]:
        result[index] += 1
    return result


def _date(rng: random.Random, year: int) -> dt.date:
    return dt.date(year, rng.randint(1, 12), rng.randint(1, 28))


class _Builder:
    def __init__(self, seed: int):
        self.rng = random.Random(seed * 7907 + 11)
        firms = list(Enterprise.objects.select_related("town").order_by("uscc"))
        self.above = [f for f in firms if f.scale == Enterprise.Scale.ABOVE]
        self.below = [f for f in firms if f.scale == Enterprise.Scale.BELOW]
        self.equipment = [f for f in firms if f.industry_id.startswith(EQUIPMENT)]
        self.small_chemical = [f for f in self.below if f.industry_id.startswith(PETROCHEM)] or self.below
        self.levels = {(lv.kind.code, lv.name): lv for lv in RecognitionLevel.objects.select_related("kind")}
        self.towns = {t.code: t for t in Town.objects.all()}
        # the demo's enterprise logins should find records of their own
        self.featured = [
            u.enterprise for u in User.objects.filter(role=Role.ENTERPRISE, enterprise__isnull=False)
        ]

    def sample(self, population: list, count: int) -> list:
        return self.rng.sample(population, min(count, len(population)))

    def recognition(self, holder, kind: str, level: str, year: int, **extra) -> Recognition:
        level_obj = self.levels[(kind, level)]
        issuer = DOCUMENT_ISSUERS[level]
        return Recognition(
            enterprise=holder if isinstance(holder, Enterprise) else None,
            institution="" if isinstance(holder, Enterprise) else holder,
            kind=level_obj.kind,
            level=level_obj,
            year=year,
            document_no=f"{issuer}〔{year}〕{self.rng.randint(5, 180)}号",
            **extra,
        )

    def recognitions(self) -> None:
        rng = self.rng
        held = int((len(self.above) * ABOVE_SCALE_SHARE).to_integral_value())
        shares = _scaled([count for _kind, _level, count in RD_INSTITUTIONS], held)
        featured = [f for f in self.featured if f in self.above][:held]
        holders = featured + self.sample([f for f in self.above if f not in featured], held - len(featured))
        records = []
        for (kind, level, _count), share in zip(RD_INSTITUTIONS, shares):
            for firm in holders[:share]:
                year = rng.choice(range(2012, 2026))
                # A third of the 市级 and 省级 centres were first recognised a level lower.
                lower = {"市级": "区级", "省级": "市级"}.get(level)
                if kind == "engineering-centre" and lower and rng.random() < 0.33 and year > 2013:
                    records.append(self.recognition(firm, kind, lower, rng.randint(2010, year - 1)))
                records.append(self.recognition(firm, kind, level, year))
            holders = holders[share:]
        for kind, level, count in OTHER_RECOGNITIONS:
            for firm in self.sample(self.above, count):
                records.append(self.recognition(firm, kind, level, rng.choice(range(2014, 2026))))
        Recognition.objects.bulk_create(records)
        assessments = [
            RecognitionAssessment(
                recognition=r,
                year=year,
                result=rng.choices(list(AssessmentResult), weights=[3, 5, 8, 1])[0],
            )
            for r in records
            for year in YEARS
            if year > r.year and (year - r.year) % 3 == 0
        ]
        RecognitionAssessment.objects.bulk_create(assessments)
        for name, level in SERVICE_CENTRES:
            level_obj = self.levels[("automation-service-centre", level)]
            Recognition.objects.get_or_create(
                enterprise=None,
                institution=name,
                kind=level_obj.kind,
                level=level_obj,
                year=2023,
                defaults={"document_no": f"{DOCUMENT_ISSUERS[level]}〔2023〕{rng.randint(5, 99)}号"},
            )

    def talent(self) -> None:
        rng = self.rng
        plans = {p.code: p for p in TalentPlan.objects.all()}
        plan_121 = plans["121"]
        names: set[str] = set()
        entries = [
            TalentEntry(
                plan=plan_121,
                name=_unique(lambda: _person(rng), names),
                enterprise=firm,
                year=2023,
                agreement_start=dt.date(2023, 7, 1),
                agreement_end=dt.date(2023 + plan_121.term_years, 6, 30),
            )
            for firm in rng.choices(self.above, k=TALENT_121_TRAINEES)
        ]
        for plan_code, kind, year, grade in TALENT_ENTRIES:
            firm = rng.choice(self.above)
            if kind == TalentEntry.Kind.TEAM:
                name = f"{firm.name.removeprefix('宁波').removeprefix('浙江')[:4]}技术创新团队"
            else:
                name = _unique(lambda: _person(rng), names)
            entries.append(
                TalentEntry(
                    plan=plans[plan_code], kind=kind, name=name, enterprise=firm, grade=grade, year=year
                )
            )
        TalentEntry.objects.bulk_create(entries)
        TalentAssessment.objects.bulk_create(
            TalentAssessment(
                entry=entry, year=year, result=rng.choices(list(AssessmentResult), weights=[2, 5, 10, 1])[0]
            )
            for entry in entries
            if entry.plan_id == plan_121.id
            for year in (2024, 2025)
        )
        for year in YEARS:
            for number, name in enumerate(TRAINING_CLASSES):
                trainees = rng.randint(38, 62)
                start = dt.date(year, 3 + number * 3, rng.randint(1, 20))
                TrainingClass.objects.update_or_create(
                    base=TRAINING_BASE,
                    name=name,
                    year=year,
                    defaults={
                        "partner": TRAINING_PARTNER,
                        "courses": "工业工程、精益生产、质量管理、设备自动化",
                        "start": start,
                        "end": start + dt.timedelta(days=rng.randint(20, 60)),
                        "trainees": trainees,
                        "completed": trainees - rng.randint(0, 4),
                    },
                )
            SchoolAgreement.objects.bulk_create(
                SchoolAgreement(
                    enterprise=firm,
                    school=rng.choice(SCHOOLS),
                    programme=rng.choice(PROGRAMMES),
                    students=rng.randint(15, 60),
                    year=year,
                    start=dt.date(year, 9, 1),
                    end=dt.date(year + 3, 6, 30),
                )
                for firm in self.sample(self.above, 4)
            )

    def automation(self) -> None:
        rng = self.rng
        candidates = [f for f in self.equipment if f.scale == Enterprise.Scale.ABOVE] or self.above
        projects = []
        for year, count in zip(YEARS, AUTOMATION_PER_YEAR):
            firms = rng.choices(candidates, k=count)
            if year == YEARS[-1]:
                firms[: len(self.featured)] = self.featured
            for number, firm in enumerate(firms):
                before = rng.randint(18, 160)
                output = rng.uniform(800, 12_000)
                projects.append(
                    AutomationProject(
                        enterprise=firm,
                        name=f"{year}年{rng.choice(AUTOMATION_NAMES)}（{number + 1:02d}）",
                        year=year,
                        investment=Decimal(rng.randint(150, 1_500)),
                        equipment=rng.choice(["工业机器人", "数控生产线", "机械手", "自动检测设备"]),
                        robots=rng.randint(0, 12),
                        staff_before=before,
                        staff_after=before - min(before - 2, rng.randint(4, 13)),
                        output_before=Decimal(round(output)),
                        output_after=Decimal(round(output * rng.uniform(1.05, 1.3))),
                        status=ProjectStatus.ONGOING
                        if year == YEARS[-1] and rng.random() < 0.3
                        else ProjectStatus.DONE,
                    )
                )
        AutomationProject.objects.bulk_create(projects)

    def vacate(self) -> None:
        """腾笼换鸟: actions on small chemical firms, capacity eliminated, 工改商."""
        rng = self.rng
        firms = self.sample(self.small_chemical, sum(EXIT_ACTIONS_PER_YEAR))
        actions = []
        for year, count in zip(YEARS, EXIT_ACTIONS_PER_YEAR):
            for firm in firms[:count]:
                action = rng.choices(list(EXIT_WEIGHTS), weights=list(EXIT_WEIGHTS.values()))[0]
                actions.append(ExitAction(enterprise=firm, action=action, year=year, date=_date(rng, year)))
            firms = firms[count:]
        ExitAction.objects.bulk_create(actions)

        savings = _split(rng, ENERGY_SAVED_TCE, sum(CAPACITY_PER_YEAR))
        heavy = [f for f in self.above if f.industry_id.startswith(PETROCHEM)] or self.above
        capacity = []
        for year, count in zip(YEARS, CAPACITY_PER_YEAR):
            for number, firm in enumerate(rng.choices(heavy, k=count)):
                line = rng.choice(CAPACITY_LINES)
                capacity.append(
                    CapacityElimination(
                        enterprise=firm,
                        name=f"{year}年{line}落后产能淘汰（{number + 1:02d}）",
                        year=year,
                        capacity=f"{line}生产线 {rng.randint(1, 30)}万吨/年",
                        energy_saved_tce=Decimal(savings.pop()),
                        land_freed_mu=Decimal(rng.randint(0, 30)),
                        status=ProjectStatus.DONE,
                    )
                )
        CapacityElimination.objects.bulk_create(capacity)

        towns = list(self.towns.values())
        names: set[str] = set()
        for year, count in zip(YEARS, COMMERCE_PER_YEAR):
            for _number in range(count):
                new_use = rng.choice(list(COMMERCE_NAMES))
                owner = rng.choice(self.below) if self.below and rng.random() < 0.6 else None
                town = owner.town if owner else rng.choice(towns)
                CommerceConversion.objects.update_or_create(
                    name=_unique(
                        lambda t=town, u=new_use: (
                            f"{t.name[:2]}{rng.choice(COMMERCE_BRANDS)}{COMMERCE_NAMES[u]}"
                        ),
                        names,
                    ),
                    defaults={
                        "town": town,
                        "enterprise": owner,
                        "site": f"{town.name}{rng.choice(['兴业', '通园', '民和', '汇源'])}路{rng.randint(1, 999)}号",
                        "new_use": new_use,
                        "floor_area_m2": Decimal(rng.randint(3_000, 30_000)),
                        "year": year,
                        "status": ProjectStatus.DONE,
                    },
                )

    def space(self) -> None:
        rng = self.rng
        projects = []
        for year in YEARS:
            areas = _split(rng, RENOVATED_M2[year], RENOVATIONS_PER_YEAR)
            kinds = [SpaceRenovation.Kind.RENOVATION] * RENOVATIONS_PER_YEAR + [
                rng.choice([SpaceRenovation.Kind.MULTISTOREY, SpaceRenovation.Kind.EXTRA_FLOORS])
                for _ in range(MULTISTOREY_PER_YEAR)
            ]
            areas += [rng.randint(8_000, 25_000) for _ in range(MULTISTOREY_PER_YEAR)]
            for number, (kind, area, firm) in enumerate(
                zip(kinds, areas, rng.choices(self.above, k=len(kinds)))
            ):
                land = Decimal(rng.randint(10, 80))
                before = land * Decimal("666.67") * Decimal(str(round(rng.uniform(0.6, 1.0), 2)))
                projects.append(
                    SpaceRenovation(
                        enterprise=firm,
                        name=f"{year}年{kind}项目（{number + 1:02d}）",
                        kind=kind,
                        year=year,
                        project_area_m2=Decimal(area),
                        land_mu=land,
                        floor_area_before_m2=before.quantize(Decimal(1)),
                        floor_area_after_m2=(before + area * Decimal("0.6")).quantize(Decimal(1)),
                        status=ProjectStatus.DONE,
                    )
                )
        SpaceRenovation.objects.bulk_create(projects)

    def ecommerce(self) -> None:
        rng = self.rng
        for name, town, opened, tenants in PARKS:
            park, _ = EcommercePark.objects.update_or_create(
                name=name, defaults={"town": self.towns[town], "opened": opened}
            )
            for year, by_type in tenants.items():
                for tenant_type, count in by_type.items():
                    ParkTenants.objects.update_or_create(
                        park=park, year=year, tenant_type=tenant_type, defaults={"count": count}
                    )
        members = self.sample(self.equipment, max(BELT_MEMBERS.values()))
        belt = []
        for year, count in BELT_MEMBERS.items():
            joined = members[:count]
            for firm, sales in zip(joined, _split(rng, BELT_SALES[year] * 100, len(joined))):
                belt.append(
                    BeltMember(
                        enterprise=firm,
                        year=year,
                        products=rng.choice(BELT_PRODUCTS),
                        online_sales=Decimal(sales) / 100,
                    )
                )
        BeltMember.objects.bulk_create(belt)
        for name, goods, town, turnover in PLATFORMS:
            platform, _ = TradingPlatform.objects.update_or_create(
                name=name, defaults={"goods": goods, "town": self.towns[town]}
            )
            for year, factor in PLATFORM_GROWTH.items():
                PlatformTurnover.objects.update_or_create(
                    platform=platform, year=year, defaults={"turnover": Decimal(turnover) * factor}
                )

    def targets(self) -> None:
        for figure, setter, values in TARGETS:
            for year, value in values.items():
                Target.objects.update_or_create(
                    figure=figure, year=year, setter=setter, town=None, defaults={"value": Decimal(value)}
                )


@transaction.atomic
def build(*, seed: int, stdout) -> None:
    install_reference(RecognitionKind, RecognitionLevel, TalentPlan)
    builder = _Builder(seed)
    if not builder.above or len(builder.towns) < 1:
        stdout.write("企业库中没有规上企业，跳过认定与四换演示数据。")
        return
    builder.recognitions()
    builder.talent()
    builder.automation()
    builder.vacate()
    builder.space()
    builder.ecommerce()
    builder.targets()
    staff_permissions()
    stdout.write(
        f"已生成认定 {Recognition.objects.count()} 项、机器换人项目 {AutomationProject.objects.count()} 个"
        f"等 {YEARS[0]}–{YEARS[-1]} 年认定、人才与“四换”台账及目标。"
    )


def staff_permissions() -> None:
    """Bureau staff extend recognition kinds, levels and talent plans in the admin."""
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.filter(name="经信局工作人员").first()
    if group is not None:
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="campaigns",
                content_type__model__in=["recognitionkind", "recognitionlevel", "talentplan"],
            )
        )
