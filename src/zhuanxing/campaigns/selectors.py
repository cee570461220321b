"""Reads of the campaign records: the year's summary (the figures of the reply's sections 一, 二
and 五), targets with completion, figures per town, and the hooks other apps join."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Sum

from zhuanxing.campaigns.figures import FIGURES
from zhuanxing.campaigns.models import (
    DISTRICT_OR_HIGHER,
    CapacityElimination,
    ExitAction,
    LevelPromotion,
    Recognition,
    RecognitionKind,
    SchoolAgreement,
    TalentEntry,
    TalentPlan,
    Target,
    TrainingClass,
)
from zhuanxing.campaigns.records import SPECS
from zhuanxing.evaluation.selectors import standing_classes
from zhuanxing.registry.models import Enterprise, Town

TENTH = Decimal("0.1")


def percent(part, whole) -> Decimal | None:
    """``part`` as a percentage of ``whole``, to one decimal (None when there is no whole)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(TENTH, rounding=ROUND_HALF_UP)


def record_years() -> list[int]:
    """Every year some record has, newest first."""
    years: set[int] = set()
    for spec in SPECS.values():
        if "year" in spec.fields:
            years.update(spec.model.objects.values_list("year", flat=True).distinct())
    return sorted(years, reverse=True)


# ---------------------------------------------------------------- recognitions


def recognitions_held(year: int) -> QuerySet:
    """Recognitions in force at the end of ``year``: granted by then, and neither revoked nor
    expired by then (an ended one without a date counts as ended)."""
    return Recognition.objects.filter(year__lte=year).filter(
        Q(status=Recognition.Status.VALID) | Q(status_date__year__gt=year)
    )


def _highest_levels(year: int) -> dict[tuple, tuple[int, int]]:
    """(holder, kind id) -> (level id, rank) of the highest level the holder has of the kind:
    an enterprise promoted from 区级 to 市级 counts once, at 市级, as the reply counts."""
    highest: dict[tuple, tuple[int, int]] = {}
    rows = recognitions_held(year).values_list(
        "enterprise_id", "institution", "kind_id", "level_id", "level__rank"
    )
    for enterprise_id, institution, kind_id, level_id, rank in rows:
        key = (enterprise_id or institution, kind_id)
        if key not in highest or rank > highest[key][1]:
            highest[key] = (level_id, rank)
    return highest


def recognitions_by_kind(year: int) -> list[dict]:
    counts: dict[int, int] = defaultdict(int)
    for level_id, _rank in _highest_levels(year).values():
        counts[level_id] += 1
    result = []
    for kind in RecognitionKind.objects.prefetch_related("levels"):
        levels = [
            {"level": level.name, "tier": level.tier, "count": counts[level.id]}
            for level in kind.levels.all()
        ]
        result.append(
            {
                "kind": kind.name,
                "code": kind.code,
                "counts_as_rd_institution": kind.counts_as_rd_institution,
                "total": sum(item["count"] for item in levels),
                "levels": levels,
            }
        )
    return result


def above_scale_enterprises() -> QuerySet:
    """规上 enterprises still in the district (not deregistered or moved out)."""
    return Enterprise.objects.filter(scale=Enterprise.Scale.ABOVE).exclude(
        status__in=[Enterprise.Status.DEREGISTERED, Enterprise.Status.MOVED_OUT]
    )


def rd_institution_share(year: int) -> dict:
    """The share of 规上 enterprises holding a district-level-or-higher 工程（技术）中心 or 企业研究院
    (the kinds marked 计入研发机构占比) at the end of ``year``: the reply's 24.2%."""
    above = above_scale_enterprises()
    holders = (
        recognitions_held(year)
        .filter(kind__counts_as_rd_institution=True, level__tier__in=DISTRICT_OR_HIGHER, enterprise__in=above)
        .values("enterprise_id")
        .distinct()
        .count()
    )
    total = above.count()
    return {"holders": holders, "above_scale": total, "percent": percent(holders, total)}


# ---------------------------------------------------------------- talent


def talent_summary(year: int) -> dict:
    """Plan members selected by the end of ``year`` (not withdrawn), training classes of the
    year, and school–enterprise agreements running in the year."""
    members = TalentEntry.objects.filter(year__lte=year).exclude(status=TalentEntry.Status.WITHDRAWN)
    counts = {
        (row["plan_id"], row["kind"]): row["n"]
        for row in members.values("plan_id", "kind").annotate(n=Count("id"))
    }
    new = dict(
        TalentEntry.objects.filter(year=year)
        .values("plan_id")
        .annotate(n=Count("id"))
        .values_list("plan_id", "n")
    )
    plans = []
    for plan in TalentPlan.objects.all():
        individuals = counts.get((plan.id, TalentEntry.Kind.INDIVIDUAL), 0)
        teams = counts.get((plan.id, TalentEntry.Kind.TEAM), 0)
        plans.append(
            {
                "plan": plan.name,
                "code": plan.code,
                "individuals": individuals,
                "teams": teams,
                "total": individuals + teams,
                "selected_in_year": new.get(plan.id, 0),
            }
        )
    training = TrainingClass.objects.filter(year=year).aggregate(
        classes=Count("id"), trainees=Sum("trainees"), completed=Sum("completed")
    )
    agreements = (
        SchoolAgreement.objects.filter(year__lte=year)
        .filter(Q(end__isnull=True) | Q(end__year__gte=year))
        .aggregate(agreements=Count("id"), students=Sum("students"))
    )
    return {
        "plans": plans,
        "training": {key: value or 0 for key, value in training.items()},
        "school_agreements": {key: value or 0 for key, value in agreements.items()},
    }


# ---------------------------------------------------------------- campaigns and targets


def campaign_figures(year: int, town: Town | None = None) -> list[dict]:
    return [
        {
            "code": figure.code,
            "label": figure.label,
            "unit": figure.unit,
            "group": figure.group,
            "year": figure.value(year=year, town=town),
            "cumulative": figure.value(year=year, town=town, cumulative=True) if figure.flow else None,
        }
        for figure in FIGURES.values()
    ]


def targets_with_completion(year: int) -> list[dict]:
    """Each target of ``year`` with the figure's value (for its town, if it has one) and completion %."""
    result = []
    for target in (
        Target.objects.filter(year=year).select_related("town").order_by("figure", "town__order", "setter")
    ):
        figure = FIGURES.get(target.figure)
        if figure is None:
            continue  # a figure retired from the catalogue
        actual = figure.value(year=year, town=target.town)
        result.append(
            {
                "id": target.pk,
                "figure": figure.code,
                "label": figure.label,
                "unit": figure.unit,
                "setter": target.setter,
                "town": target.town.name if target.town else None,
                "target": target.value,
                "actual": actual,
                "completion_percent": percent(actual, target.value),
            }
        )
    return result


def figures_by_town(year: int) -> dict:
    """The year's figures per town (a row per town), for the figures some town has records of."""
    figures, columns = [], []
    for figure in FIGURES.values():
        values = figure.by_town(year=year)
        if values:
            figures.append(figure)
            columns.append(values)
    rows = [
        {"town": town, "values": [column.get(town.id, Decimal(0)) for column in columns]}
        for town in Town.objects.all()
    ]
    return {"figures": figures, "rows": rows}


def campaign_summary(year: int) -> dict:
    """Every count and total of the reply's sections 一, 二 and 五 for ``year``, from the records."""
    by_kind = recognitions_by_kind(year)
    return {
        "year": year,
        "recognitions": {
            "total": sum(kind["total"] for kind in by_kind),
            "rd_institutions": sum(kind["total"] for kind in by_kind if kind["counts_as_rd_institution"]),
            "by_kind": by_kind,
            "rd_institution_share": rd_institution_share(year),
        },
        "talent": talent_summary(year),
        "campaigns": campaign_figures(year),
        "targets": targets_with_completion(year),
    }


# ---------------------------------------------------------------- hooks for the programs and evaluation apps


def pending_promotions() -> QuerySet:
    """Level promotions the programs app has not yet turned into a 免申即享 award."""
    return LevelPromotion.objects.filter(state=LevelPromotion.State.PROPOSED).select_related(
        "enterprise", "kind", "previous_level", "new_level", "recognition"
    )


def enterprises_with_actions(year: int) -> dict[int, list[str]]:
    """Enterprise id -> the 腾笼换鸟 actions and 淘汰落后产能 projects it has in ``year``, for the
    evaluation app to show beside its C and D lists which low-class enterprises are being dealt with."""
    actions: dict[int, list[str]] = defaultdict(list)
    for enterprise_id, action in ExitAction.objects.filter(year=year).values_list("enterprise_id", "action"):
        actions[enterprise_id].append(action)
    for enterprise_id, name in CapacityElimination.objects.filter(year=year).values_list(
        "enterprise_id", "name"
    ):
        actions[enterprise_id].append(f"淘汰落后产能：{name}")
    return dict(actions)


def evaluation_classes(year: int, enterprise_ids: Iterable[int]) -> dict[int, str]:
    """Each enterprise's standing 亩均效益 class for ``year`` (absent when not evaluated)."""
    return standing_classes(year, enterprise_ids)
