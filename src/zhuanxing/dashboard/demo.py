"""The demo district's reply year (2014): the records behind the 2015 reply's figures.

The rest of the demo covers 2023–2025; this adds what the cockpit needs to show the reply's own
year: every enterprise's 2014 yearly output (scaled so the district's 工业总产值 is about 2,600
亿元), the five innovation platforms, the university science park (with 2012 and 2013 for the
three-year total), the 精益 training classes and the automation service centres. All names and
numbers are synthetic, sized as the reply writes them.
"""

from __future__ import annotations

import random
from decimal import Decimal

from django.db import transaction

from zhuanxing.campaigns.models import InnovationPlatformYear, ScienceParkYear, TrainingClass
from zhuanxing.registry.models import AnnualData, Enterprise

REPLY_YEAR = 2014
DISTRICT_OUTPUT = Decimal("26050000")  # 万元 = 2,605 亿元 ("2,600 多亿元")
# platform, partner, projects, enterprises, registered capital (万元), 国千, 省千, 3315, transfer (万元)
PLATFORMS = [
    ("清华长三角研究院镇海基地", "清华大学", 37, 0, 0, 2, 3, 4, 0),
    ("西电宁波产业技术研究院", "西安电子科技大学", 0, 38, 30000, 1, 2, 3, 0),
    ("大连化物所宁波技术转移中心", "中国科学院大连化学物理研究所", 6, 0, 0, 1, 1, 2, 19600),
    ("宁波大学镇海创新中心", "宁波大学", 9, 12, 4200, 0, 1, 2, 0),
    ("浙大宁波理工学院镇海创新平台", "浙大宁波理工学院", 7, 9, 2800, 0, 1, 1, 0),
]
# year, enterprises, creative, revenue, value added (万元), IP applied, granted, staff, bachelor, space, apartments
SCIENCE_PARK = [
    (2012, 702, 520, 35400, 6600, 820, 760, 5900, 2100, 25000, 30000),
    (2013, 771, 580, 44700, 8100, 990, 930, 6350, 2300, 25000, 30000),
    (2014, 826, 629, 81400, 14900, 1143, 1097, 6773, 2501, 25000, 30000),
]
TRAINING = [("精益人才培育基地", f"{REPLY_YEAR}年精益生产第{n}期", 40 + n) for n in range(1, 5)]


@transaction.atomic
def build(*, seed: int, stdout) -> None:
    rng = random.Random(f"reply-year-{seed}")
    latest = {}
    for enterprise_id, year, output in AnnualData.objects.filter(output_value__isnull=False).values_list(
        "enterprise_id", "year", "output_value"
    ):
        if year >= latest.get(enterprise_id, (0, None))[0]:
            latest[enterprise_id] = (year, output)
    firms = list(Enterprise.objects.values_list("pk", flat=True))
    if not firms:
        stdout.write("企业库中没有企业，跳过 2014 年演示数据。")
        return
    raw = {
        pk: Decimal(str(latest.get(pk, (0, Decimal(100)))[1])) * Decimal(str(rng.uniform(0.55, 0.75)))
        for pk in firms
    }
    scale = DISTRICT_OUTPUT * len(firms) / 2770 / (sum(raw.values()) or 1)
    existing = set(AnnualData.objects.filter(year=REPLY_YEAR).values_list("enterprise_id", flat=True))
    AnnualData.objects.bulk_create(
        AnnualData(enterprise_id=pk, year=REPLY_YEAR, output_value=(value * scale).quantize(Decimal("0.01")))
        for pk, value in raw.items()
        if pk not in existing
    )
    for name, partner, projects, enterprises, capital, national, provincial, plan, transfer in PLATFORMS:
        InnovationPlatformYear.objects.get_or_create(
            platform=name,
            year=REPLY_YEAR,
            defaults={
                "partner": partner,
                "projects": projects,
                "enterprises": enterprises,
                "registered_capital": Decimal(capital),
                "national_thousand": national,
                "provincial_thousand": provincial,
                "plan_3315": plan,
                "transfer_amount": Decimal(transfer),
            },
        )
    for (
        year,
        firms_in,
        creative,
        revenue,
        added,
        applied,
        granted,
        staff,
        bachelor,
        space,
        flats,
    ) in SCIENCE_PARK:
        ScienceParkYear.objects.get_or_create(
            park="宁波大学科技园（镇海）",
            year=year,
            defaults={
                "enterprises": firms_in,
                "creative_enterprises": creative,
                "creative_revenue": Decimal(revenue),
                "creative_value_added": Decimal(added),
                "ip_applied": applied,
                "ip_granted": granted,
                "staff": staff,
                "staff_bachelor": bachelor,
                "industry_space_m2": Decimal(space),
                "apartment_m2": Decimal(flats),
            },
        )
    for base, name, trainees in TRAINING:
        TrainingClass.objects.get_or_create(
            base=base, name=name, year=REPLY_YEAR, defaults={"trainees": trainees, "completed": trainees - 2}
        )
    stdout.write(
        f"已生成 {REPLY_YEAR} 年（答复年度）工业产值、五大科技创新平台、大学科技园等驾驶舱演示记录。"
    )
