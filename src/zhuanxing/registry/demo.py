"""A synthetic Zhenhai-like district for the demo and for tests: deterministic by seed.

The towns and development zones are Zhenhai's real public place names; every
enterprise, person and figure is invented. Sizes follow the seed documents:
2,770 industrial enterprises whose output sums to about 2,600亿元, about a fifth
of them above designated size, weighted to petrochemicals, equipment and
textiles, with 规上 亩均税收 mostly between 25 and 45 万元/亩 (the range
Zhejiang counties publish).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from zhuanxing import pinyin
from zhuanxing.registry.models import (
    AnnualData,
    Enterprise,
    ImportBatch,
    Industry,
    IndustryCluster,
    LandParcel,
    Lease,
    Tag,
    Town,
)
from zhuanxing.uscc import ALPHABET, make_uscc

DISTRICT_REGION_CODE = "330211"  # 镇海区

# The day the demo is built for (``demo-data --today``): its dates are relative to it, so a demo
# built today has open demands and recent reminders.
_demo_day: ContextVar[dt.date | None] = ContextVar("demo_day", default=None)


def demo_today() -> dt.date:
    return _demo_day.get() or timezone.localdate()


def demo_now() -> dt.datetime:
    """This moment moved to the demo's day."""
    return timezone.now() + (demo_today() - timezone.localdate())


@contextmanager
def built_on(day: dt.date | None) -> Iterator[None]:
    token = _demo_day.set(day)
    try:
        yield
    finally:
        _demo_day.reset(token)


TOWNS = [
    ("zhaobaoshan", "招宝山街道", Town.Kind.SUBDISTRICT),
    ("jiaochuan", "蛟川街道", Town.Kind.SUBDISTRICT),
    ("luotuo", "骆驼街道", Town.Kind.SUBDISTRICT),
    ("zhuangshi", "庄市街道", Town.Kind.SUBDISTRICT),
    ("guisi", "贵驷街道", Town.Kind.SUBDISTRICT),
    ("xiepu", "澥浦镇", Town.Kind.TOWN),
    ("jiulonghu", "九龙湖镇", Town.Kind.TOWN),
    ("shihua-zone", "宁波石化经济技术开发区", Town.Kind.ZONE),
    ("zhenhai-zone", "镇海经济开发区", Town.Kind.ZONE),
]
# Where each cluster's firms mostly sit (petrochemicals in the chemical zone and 澥浦).
TOWN_WEIGHTS = {
    "petrochem": [2, 6, 3, 2, 2, 14, 2, 30, 4],
    "equipment": [4, 8, 18, 10, 12, 6, 8, 3, 14],
    "textile": [6, 5, 14, 12, 10, 4, 8, 1, 6],
    "other": [8, 8, 12, 12, 8, 6, 8, 4, 10],
}

CLUSTERS = [
    # code, name, kind, GB/T 4754 prefixes, share of enterprises, 万元 value added per tce
    ("petrochem", "石油化工", IndustryCluster.Kind.TRADITIONAL, ["25", "26", "28", "29"], 0.24, (0.6, 2.5)),
    (
        "equipment",
        "装备制造",
        IndustryCluster.Kind.TRADITIONAL,
        ["33", "34", "35", "36", "37", "38", "40"],
        0.46,
        (3.0, 9.0),
    ),
    ("textile", "纺织服装", IndustryCluster.Kind.TRADITIONAL, ["17", "18", "19"], 0.10, (1.5, 4.5)),
    ("electronics", "新一代信息技术", IndustryCluster.Kind.EMERGING, ["39"], 0.05, (6.0, 15.0)),
    ("biomedicine", "生物医药", IndustryCluster.Kind.EMERGING, ["27"], 0.02, (3.0, 8.0)),
    (
        "new-materials",
        "新材料",
        IndustryCluster.Kind.EMERGING,
        ["2651", "2652", "2653", "3091", "3099"],
        0.0,
        (1.0, 4.0),
    ),
]
OTHER_DIVISIONS = ["13", "14", "15", "20", "21", "22", "23", "24", "30", "31", "32", "41", "42", "44", "46"]
TAGS = ["高新技术企业", "专精特新", "上市企业", "科技型中小企业", "外资企业"]
NAME_CHARS = (
    "恒泰华盛宏达永兴金鑫瑞丰博远锦弘力昌海天润泽凯诚信安宁庆东方明德嘉裕顺通立新源创联合汇晟星辰宇航鼎科"
)
INDUSTRY_WORDS = {
    "petrochem": ["石化", "化工", "新材料", "塑化", "化纤", "橡塑"],
    "equipment": ["机械", "机电", "紧固件", "轴承", "液压", "模具", "精工", "电气", "汽配"],
    "textile": ["纺织", "服饰", "制衣", "针织", "家纺"],
    "electronics": ["电子", "光电", "微电子", "智能科技"],
    "biomedicine": ["生物科技", "医药", "制药"],
    "other": ["食品", "包装", "印务", "建材", "金属", "家具", "水务"],
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
DEMO_SOURCE_NOTE = "演示数据（合成）"
TARGET_OUTPUT_WANYUAN = Decimal(26_000_000)  # 2,600亿元


@dataclass
class DemoFirm:
    uscc: str
    name: str
    cluster: str
    industry: str
    town: str
    scale: str
    founded: dt.date
    output: float  # first year's 工业总产值, 万元
    land_mu: float
    tax_per_mu: float
    va_ratio: float
    productivity: float  # 万元 value added per employee
    va_per_tce: float
    tags: list[str]


def ensure_district_reference(clusters: bool = True) -> None:
    """Towns and clusters of the demo district (idempotent)."""
    for order, (code, name, kind) in enumerate(TOWNS):
        Town.objects.update_or_create(code=code, defaults={"name": name, "kind": kind, "order": order})
    if clusters:
        for order, (code, name, kind, prefixes, _share, _eff) in enumerate(CLUSTERS):
            IndustryCluster.objects.update_or_create(
                code=code,
                defaults={"name": name, "kind": kind, "industry_prefixes": prefixes, "order": order},
            )
    for name in TAGS:
        Tag.objects.get_or_create(name=name)


def _classes_by_division() -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for code in (
        Industry.objects.filter(level=Industry.Level.CLASS).values_list("code", flat=True).order_by("code")
    ):
        result.setdefault(code[:2], []).append(code)
    return result


def _pick_industry(rng: random.Random, cluster: str, classes: dict[str, list[str]]) -> str:
    prefixes = next((c[3] for c in CLUSTERS if c[0] == cluster), OTHER_DIVISIONS)
    prefix = rng.choice(prefixes)
    candidates = [code for code in classes[prefix[:2]] if code.startswith(prefix)]
    return rng.choice(candidates)


def _unique_name(rng: random.Random, cluster: str, used: set[str]) -> str:
    words = INDUSTRY_WORDS.get(cluster, INDUSTRY_WORDS["other"])
    while True:
        brand = rng.choice(NAME_CHARS) + rng.choice(NAME_CHARS)
        place = rng.choice(["宁波", "宁波", "宁波镇海", "浙江"])
        form = rng.choice(["有限公司", "有限公司", "有限公司", "股份有限公司"])
        name = f"{place}{brand}{rng.choice(words)}{form}"
        if name not in used:
            used.add(name)
            return name


def _unique_uscc(rng: random.Random, used: set[str]) -> str:
    while True:
        body = "91" + DISTRICT_REGION_CODE + "".join(rng.choice(ALPHABET) for _ in range(9))
        code = make_uscc(body)
        if code not in used:
            used.add(code)
            return code


def plan_firms(count: int, seed: int, classes: dict[str, list[str]]) -> list[DemoFirm]:
    """The district's enterprises, decided by ``seed`` alone (no database ids involved)."""
    rng = random.Random(seed)
    cluster_codes = [c[0] for c in CLUSTERS if c[4] > 0] + ["other"]
    cluster_weights = [c[4] for c in CLUSTERS if c[4] > 0] + [1 - sum(c[4] for c in CLUSTERS)]
    efficiency = {c[0]: c[5] for c in CLUSTERS} | {"other": (2.0, 8.0)}
    town_codes = [t[0] for t in TOWNS]
    names: set[str] = set()
    codes: set[str] = set()
    firms = []
    for _ in range(count):
        cluster = rng.choices(cluster_codes, cluster_weights)[0]
        above = rng.random() < 0.206  # about 570 of 2,770, as the 24.2% engineering-centre share implies
        if above:
            output = 2000 * rng.lognormvariate(1.6, 1.25)
        else:
            output = rng.uniform(80, 1950)
        tax_per_mu = rng.lognormvariate(3.45, 0.28) if above else rng.lognormvariate(2.3, 0.6)
        tags = []
        if above and rng.random() < 0.2:
            tags.append("高新技术企业")
        if above and rng.random() < 0.06:
            tags.append("专精特新")
        if above and rng.random() < 0.012:
            tags.append("上市企业")
        if not above and rng.random() < 0.08:
            tags.append("科技型中小企业")
        low, high = efficiency[cluster]
        firms.append(
            DemoFirm(
                uscc=_unique_uscc(rng, codes),
                name=_unique_name(rng, cluster, names),
                cluster=cluster,
                industry=_pick_industry(rng, cluster, classes),
                town=rng.choices(town_codes, TOWN_WEIGHTS.get(cluster, TOWN_WEIGHTS["other"]))[0],
                scale=Enterprise.Scale.ABOVE if above else Enterprise.Scale.BELOW,
                founded=dt.date(rng.randint(1985, 2024), rng.randint(1, 12), rng.randint(1, 28)),
                output=output,
                land_mu=0.0,
                tax_per_mu=tax_per_mu,
                va_ratio=rng.uniform(0.14, 0.3),
                productivity=rng.uniform(14, 45) if above else rng.uniform(6, 20),
                va_per_tce=rng.uniform(low, high),
                tags=tags,
            )
        )
    # Scale 规上 output so the district total is the seed's 2,600亿元 per 2,770 firms.
    above = [f for f in firms if f.scale == Enterprise.Scale.ABOVE]
    below_total = sum(f.output for f in firms if f.scale == Enterprise.Scale.BELOW)
    target = float(TARGET_OUTPUT_WANYUAN) * count / 2770
    factor = (target - below_total) / sum(f.output for f in above) if above else 1.0
    for firm in above:
        firm.output = max(2100.0, firm.output * factor)  # 规上 means revenue of at least 2,000 万元
    return firms


def _dec(value: float, places: str = "0.0001") -> Decimal:
    return Decimal(str(round(value, 4))).quantize(Decimal(places))


def _year_figures(rng: random.Random, firm: DemoFirm, growth: float) -> dict:
    output = firm.output * growth
    sales = output * rng.uniform(0.9, 1.02)
    revenue = sales * rng.uniform(0.9, 1.0)
    value_added = output * firm.va_ratio * rng.uniform(0.95, 1.05)
    employees = max(3, round(value_added / firm.productivity))
    tax = (
        firm.land_mu * firm.tax_per_mu * rng.uniform(0.85, 1.15)
        if firm.land_mu
        else sales * rng.uniform(0.01, 0.04)
    )
    energy = value_added / firm.va_per_tce * rng.uniform(0.93, 1.07)
    electricity = energy / 1.229 * rng.uniform(0.35, 0.85)  # 1 万kWh = 1.229 tce (equivalent value)
    cod, ammonia = energy * rng.uniform(0.0002, 0.002), energy * rng.uniform(0.00002, 0.0002)
    so2, nox = energy * rng.uniform(0.0001, 0.0015), energy * rng.uniform(0.0002, 0.002)
    emissions = cod + ammonia + so2 + nox
    above = firm.scale == Enterprise.Scale.ABOVE
    figures = {
        "tax": tax,
        "social_insurance": employees * rng.uniform(0.9, 1.6),
        "output_value": output,
        "sales": sales,
        "revenue": revenue,
        "value_added": value_added,
        "rd": revenue * rng.uniform(0.004, 0.045) if above or rng.random() < 0.3 else None,
        "energy_tce": energy,
        "electricity": electricity,
        "cod": cod,
        "ammonia": ammonia,
        "so2": so2,
        "nox": nox,
        "emissions": emissions,
        "emission_rights": emissions * rng.uniform(0.9, 1.6) if rng.random() < 0.85 else None,
    }
    values = {k: None if v is None else _dec(v) for k, v in figures.items()}
    values["employees"] = employees
    return values


SOURCE_OF_FIELD = {
    "tax": ImportBatch.Source.TAX,
    "social_insurance": ImportBatch.Source.TAX,
    "electricity": ImportBatch.Source.POWER,
    "cod": ImportBatch.Source.ENV,
    "ammonia": ImportBatch.Source.ENV,
    "so2": ImportBatch.Source.ENV,
    "nox": ImportBatch.Source.ENV,
    "emissions": ImportBatch.Source.ENV,
    "emission_rights": ImportBatch.Source.ENV,
}


@transaction.atomic
def build_demo_registry(
    *, enterprises: int = 2770, seed: int = 1, years: tuple[int, ...] = (2023, 2024, 2025)
):
    """Create the towns, clusters, enterprises, land, leases and yearly data. Returns the enterprises."""
    ensure_district_reference()
    rng = random.Random(seed * 7919 + 17)
    firms = plan_firms(enterprises, seed, _classes_by_division())
    towns = {t.code: t for t in Town.objects.all()}
    tags = {t.name: t for t in Tag.objects.all()}

    # Land: 规上 firms own land sized to their tax; some 规下 firms rent instead of owning.
    for firm in firms:
        first_tax = firm.output * rng.uniform(0.03, 0.07)
        if firm.scale == Enterprise.Scale.ABOVE:
            firm.land_mu = max(3.0, first_tax / firm.tax_per_mu)
        elif rng.random() < 0.75:
            firm.land_mu = max(0.8, first_tax / firm.tax_per_mu)

    Enterprise.objects.bulk_create(
        [
            Enterprise(
                uscc=f.uscc,
                name=f.name,
                name_initials=pinyin.initials_of(f.name),  # bulk_create does not call save()
                town=towns[f.town],
                industry_id=f.industry,
                scale=f.scale,
                founded=f.founded,
                address=f"{towns[f.town].name}{rng.choice(['兴业', '通园', '民和', '汇源', '化工'])}路{rng.randint(1, 999)}号",
                contact_name=rng.choice(SURNAMES) + rng.choice(["先生", "女士"]),
                contact_phone=f"0574-86{rng.randint(100000, 999999)}",
                status=Enterprise.Status.OPERATING if rng.random() > 0.02 else Enterprise.Status.SUSPENDED,
            )
            for f in firms
        ],
        batch_size=1000,
    )
    by_code = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=[f.uscc for f in firms])}
    Through = Enterprise.tags.through
    Through.objects.bulk_create(
        [Through(enterprise_id=by_code[f.uscc].pk, tag_id=tags[t].pk) for f in firms for t in f.tags],
        batch_size=2000,
    )

    parcels = []
    for number, firm in enumerate(f for f in firms if f.land_mu):
        year = rng.randint(2005, 2020)
        parcels.append(
            LandParcel(
                certificate_no=f"浙({year})镇海区不动产权第{number + 1:07d}号",
                owner=by_code[firm.uscc],
                area_mu=_dec(firm.land_mu),
                use="工业用地",
                town=towns[firm.town],
            )
        )
    LandParcel.objects.bulk_create(parcels, batch_size=1000)

    # About one landowner in twenty lets part of its land to a small firm that owns none.
    tenants = [by_code[f.uscc] for f in firms if not f.land_mu]
    rng.shuffle(tenants)
    leases = []
    for parcel in parcels:
        if tenants and rng.random() < 0.05:
            share = Decimal(str(round(rng.uniform(0.1, 0.35), 2)))
            start = dt.date(rng.choice(years) - rng.randint(0, 4), 1, 1)
            leases.append(
                Lease(
                    parcel=parcel,
                    tenant=tenants.pop(),
                    area_mu=(parcel.area_mu * share).quantize(Decimal("0.0001")),
                    start=start,
                    end=None if rng.random() < 0.7 else dt.date(start.year + 5, 12, 31),
                )
            )
    Lease.objects.bulk_create(leases, batch_size=1000)

    for index, year in enumerate(years):
        batches = {
            source: ImportBatch.objects.create(
                source=source, year=year, file_name=DEMO_SOURCE_NOTE, note=DEMO_SOURCE_NOTE
            )
            for source in (
                ImportBatch.Source.TAX,
                ImportBatch.Source.STATS,
                ImportBatch.Source.POWER,
                ImportBatch.Source.ENV,
            )
        }
        rows = []
        for firm in firms:
            growth = (1 + rng.uniform(-0.06, 0.12)) ** index
            values = _year_figures(rng, firm, growth)
            sources = {
                name: batches[SOURCE_OF_FIELD.get(name, ImportBatch.Source.STATS)].pk
                for name, value in values.items()
                if value is not None
            }
            rows.append(AnnualData(enterprise=by_code[firm.uscc], year=year, sources=sources, **values))
        AnnualData.objects.bulk_create(rows, batch_size=1000)
    return list(by_code.values())
