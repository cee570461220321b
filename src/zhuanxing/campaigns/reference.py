"""The recognition kinds, levels and talent plans the platform ships (staff extend them in the admin).

Levels rank within their kind (higher number = higher level): 国家级 50, 省级重点 40, 省级 30,
市级 20, 区级 10. The issue names no levels for 重点实验室 and 工业设计中心; they ship with the
national, provincial and city levels Zhejiang and Ningbo award.
"""

from __future__ import annotations

NATIONAL = ("国家级", "国家级", 50)
PROVINCIAL_KEY = ("省级重点", "省级", 40)
PROVINCIAL = ("省级", "省级", 30)
CITY = ("市级", "市级", 20)
DISTRICT = ("区级", "区级", 10)

# code, name, counts towards the 规上 share of 区级以上研发机构, levels (name, tier, rank)
RECOGNITION_KINDS = [
    ("research-institute", "企业研究院", True, [PROVINCIAL_KEY, PROVINCIAL, CITY]),
    ("engineering-centre", "工程（技术）中心", True, [NATIONAL, PROVINCIAL, CITY, DISTRICT]),
    ("postdoc-station", "博士后工作站", False, [NATIONAL, PROVINCIAL, CITY]),
    ("expert-studio", "教授（专家）工作室", False, [DISTRICT]),
    ("innovation-team", "企业技术创新团队", False, [CITY]),
    ("key-laboratory", "重点实验室", False, [NATIONAL, PROVINCIAL, CITY]),
    ("design-centre", "工业设计中心", False, [NATIONAL, PROVINCIAL, CITY]),
    ("automation-service-centre", "机器换人服务中心", False, [PROVINCIAL, CITY]),
]
# code, name, tier, years of the training agreement
TALENT_PLANS = [
    ("3315", "3315计划", "市级", None),
    ("121", "121人才培养工程", "区级", 5),
    ("national-thousand", "国家“千人计划”", "国家级", None),
    ("provincial-thousand", "浙江省“千人计划”", "省级", None),
]


def install_reference(kind_model, level_model, plan_model) -> None:
    """Add the shipped kinds, levels and plans that are missing (real or migration-historical models)."""
    for order, (code, name, counts, levels) in enumerate(RECOGNITION_KINDS):
        kind, _created = kind_model.objects.get_or_create(
            code=code, defaults={"name": name, "counts_as_rd_institution": counts, "order": order}
        )
        for level_name, tier, rank in levels:
            level_model.objects.get_or_create(
                kind=kind, name=level_name, defaults={"tier": tier, "rank": rank}
            )
    for order, (code, name, tier, term) in enumerate(TALENT_PLANS):
        plan_model.objects.get_or_create(
            code=code, defaults={"name": name, "tier": tier, "term_years": term, "order": order}
        )
