"""ORM rows → the award engine's inputs: the facts catalogue, FACTS rows, parsed policies, claims.

A policy file declares under ``facts`` the columns its conditions read. In the site those
columns come from the registry, the evaluation and the recognitions, and a policy may only
declare facts the platform can supply (``catalogue_problems`` is checked on upload). The
catalogue (``catalogue()``; shown on the policy upload page and in docs/architecture.md):

- the enterprise: ``scale`` (规上/规下), ``town`` (镇街名称), ``industry`` (4位行业代码),
  ``industry_division`` (2位大类), ``status`` (在营/停产/…), ``founded_year``;
- its tags, as booleans: ``high_tech`` 高新技术企业, ``specialised`` 专精特新, ``listed`` 上市企业,
  ``tech_sme`` 科技型中小企业, ``foreign_funded`` 外资企业, ``digital_core`` 数字经济核心制造业,
  ``high_tech_manufacturing`` 高技术制造业, ``clean_production_audit`` 清洁生产审核
  (an enterprise without the tag: false);
- its yearly figures (``AnnualData``: ``tax``, ``sales``, ``revenue``, ``rd``, ``employees`` …
  every field, in the registry's units) and ``land_mu`` (evaluated land, 亩) of the **data year**;
- ``evaluation_class``: the final 亩均效益 class of the data year's standing evaluation run;
- ``level_<kind>`` (e.g. ``level_engineering_centre``): the highest valid level of each
  recognition kind held in the policy year or before (text, e.g. 省级).

The data year is the year before the policy's year: a 2024 policy reads the 2023 figures and
the 2023 evaluation (published in 2024), the last complete year when applications are made.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from zhuanxing import awards
from zhuanxing.campaigns.models import Recognition, RecognitionKind
from zhuanxing.evaluation.selectors import standing_classes
from zhuanxing.programs.models import Application, Policy
from zhuanxing.programs.settlement import Claim
from zhuanxing.registry.models import AnnualData, Enterprise
from zhuanxing.registry.selectors import evaluated_land_mu

TAG_FACTS = {
    "high_tech": "高新技术企业",
    "specialised": "专精特新",
    "listed": "上市企业",
    "tech_sme": "科技型中小企业",
    "foreign_funded": "外资企业",
    "digital_core": "数字经济核心制造业",
    "high_tech_manufacturing": "高技术制造业",
    "clean_production_audit": "清洁生产审核",
}
RECOGNITION_PREFIX = "level_"


@dataclass(frozen=True)
class FactSource:
    """One fact the platform supplies: its id, label and engine type, and where it comes from
    (``source`` is enterprise | tag | annual | land | evaluation | recognition; ``key`` the
    attribute, tag name, AnnualData field or recognition kind code)."""

    id: str
    label: str
    type: str
    source: str
    key: str
    note: str = ""


_ENTERPRISE_FACTS = [
    FactSource("scale", "规模", "text", "enterprise", "scale", "规上 / 规下"),
    FactSource("town", "所属镇街", "text", "enterprise", "town", "镇街名称"),
    FactSource("industry", "行业代码", "text", "enterprise", "industry", "GB/T 4754-2017 四位小类"),
    FactSource("industry_division", "行业大类", "text", "enterprise", "industry_division", "两位大类代码"),
    FactSource("status", "经营状态", "text", "enterprise", "status", "在营 / 停产 / 注销 / 迁出"),
    FactSource("founded_year", "成立年份", "number", "enterprise", "founded_year"),
]


def catalogue() -> dict[str, FactSource]:
    """Every fact the platform can supply, by id (recognition kinds are data, so read each time)."""
    sources = list(_ENTERPRISE_FACTS)
    sources += [FactSource(fid, tag, "boolean", "tag", tag, "企业标签") for fid, tag in TAG_FACTS.items()]
    sources += [
        FactSource(name, label, "number", "annual", name, f"{unit}，数据年度")
        for name, (label, unit) in AnnualData.FIELDS.items()
    ]
    sources.append(FactSource("land_mu", "用地面积", "number", "land", "land_mu", "亩，数据年度"))
    sources.append(
        FactSource(
            "evaluation_class", "亩均效益评价等级", "text", "evaluation", "class", "A / B / C / D，数据年度"
        )
    )
    for code, name in RecognitionKind.objects.values_list("code", "name"):
        fact_id = RECOGNITION_PREFIX + code.replace("-", "_")
        sources.append(
            FactSource(fact_id, f"{name}级别", "text", "recognition", code, "政策年度及以前的最高有效级别")
        )
    return {source.id: source for source in sources}


def catalogue_problems(rules: awards.Policy) -> list[awards.PolicyProblem]:
    """Facts the policy declares that the platform cannot supply, or supplies with another type."""
    known = catalogue()
    problems = []
    for fact in rules.facts.values():
        source = known.get(fact.id)
        if source is None:
            problems.append(
                awards.PolicyProblem(f"facts.{fact.id}", "平台不能提供此事实（可用的事实见“事实目录”）")
            )
        elif source.type != fact.type:
            problems.append(
                awards.PolicyProblem(
                    f"facts.{fact.id}.type", f"平台提供的「{source.label}」为 {source.type}，不是 {fact.type}"
                )
            )
    return problems


@functools.lru_cache(maxsize=64)
def _parse(text: str) -> awards.Policy:
    return awards.load_policy(text)


def rules_of(policy: Policy) -> awards.Policy:
    """The engine's view of a stored policy (its text was validated when saved)."""
    return _parse(policy.text)


def policy_year(policy: Policy) -> int:
    """The year applications of ``policy`` belong to: the policy's own, else the current year."""
    return policy.year or timezone.localdate().year


def data_year(year: int) -> int:
    return year - 1


def facts_rows(rules: awards.Policy, enterprises: QuerySet, *, year: int) -> list[dict]:
    """One FACTS row per enterprise (``uscc`` plus every fact ``rules`` declares) for applications
    of ``year``, in credit-code order; values are Decimal, int, bool, text or None."""
    known = catalogue()
    wanted = [known[fact_id] for fact_id in rules.facts]  # the policy was checked against the catalogue
    listed = list(
        enterprises.order_by("uscc").values_list(
            "pk", "uscc", "scale", "town__name", "industry_id", "status", "founded"
        )
    )
    ids = [row[0] for row in listed]
    by_source = {source: [w for w in wanted if w.source == source] for source in {w.source for w in wanted}}
    looked_up = {
        source: _LOOKUPS[source](facts, ids, year)
        for source, facts in by_source.items()
        if source != "enterprise"
    }
    rows = []
    for pk, uscc, scale, town, industry, status, founded in listed:
        own = {
            "scale": scale,
            "town": town,
            "industry": industry,
            "industry_division": industry[:2],
            "status": status,
            "founded_year": founded.year if founded else None,
        }
        row = {"uscc": uscc}
        for fact in wanted:
            row[fact.id] = (
                own[fact.key] if fact.source == "enterprise" else looked_up[fact.source].get((pk, fact.id))
            )
        rows.append(row)
    return rows


def facts_of(rules: awards.Policy, enterprise: Enterprise, *, year: int) -> dict:
    """The facts ``rules`` declares for one enterprise (fact id -> value)."""
    [row] = facts_rows(rules, Enterprise.objects.filter(pk=enterprise.pk), year=year)
    row.pop("uscc")
    return row


def _tags(facts: list[FactSource], ids: list[int], year: int) -> dict:
    tag_of = {fact.key: fact.id for fact in facts}
    through = Enterprise.tags.through.objects.filter(enterprise_id__in=ids, tag__name__in=list(tag_of))
    found = {(eid, tag_of[name]): True for eid, name in through.values_list("enterprise_id", "tag__name")}
    return {(eid, fact.id): found.get((eid, fact.id), False) for eid in ids for fact in facts}


def _annual(facts: list[FactSource], ids: list[int], year: int) -> dict:
    names = [fact.key for fact in facts]
    records = AnnualData.objects.filter(year=data_year(year), enterprise_id__in=ids)
    return {
        (row[0], fact.id): value
        for row in records.values_list("enterprise_id", *names)
        for fact, value in zip(facts, row[1:], strict=True)
    }


def _land(facts: list[FactSource], ids: list[int], year: int) -> dict:
    land = evaluated_land_mu(data_year(year), ids)
    return {(eid, "land_mu"): land.get(eid, Decimal(0)) for eid in ids}


def _evaluation(facts: list[FactSource], ids: list[int], year: int) -> dict:
    classes = standing_classes(data_year(year), ids)
    return {(eid, "evaluation_class"): klass or None for eid, klass in classes.items()}


def _recognitions(facts: list[FactSource], ids: list[int], year: int) -> dict:
    fact_of = {fact.key: fact.id for fact in facts}
    held = (
        Recognition.objects.filter(
            enterprise_id__in=ids,
            kind__code__in=list(fact_of),
            year__lte=year,
            status=Recognition.Status.VALID,
        )
        .order_by("enterprise_id", "kind__code", "-level__rank")
        .values_list("enterprise_id", "kind__code", "level__name")
    )
    levels: dict = {}
    for eid, code, level in held:
        levels.setdefault((eid, fact_of[code]), level)  # the first is the highest
    return levels


_LOOKUPS = {
    "tag": _tags,
    "annual": _annual,
    "land": _land,
    "evaluation": _evaluation,
    "recognition": _recognitions,
}


def snapshot(facts: dict) -> dict:
    """Facts as JSON for an application (numbers as exact text, which the engine reads back)."""
    return {key: format(value, "f") if isinstance(value, Decimal) else value for key, value in facts.items()}


def claim(application: Application) -> Claim:
    """An application as the settlement sees it: its step-1 amount and what ranks it."""
    submitted = application.submitted_at or application.created_at
    return Claim(
        id=application.number,
        uscc=application.enterprise.uscc,
        clause=application.clause_id,
        year=application.year,
        submitted=timezone.localtime(submitted).date(),
        computed=application.computed or Decimal(0),
        project=application.project_code or None,
    )


def claims(applications: Iterable[Application]) -> list[Claim]:
    return [claim(a) for a in applications]
