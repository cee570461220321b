"""Reads for the cockpit page: the years it can show and the series its charts draw.

The figures themselves live in ``figures.py``; the charts reuse the apps' selectors.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models.functions import ExtractYear

from zhuanxing.campaigns import selectors as campaign_selectors
from zhuanxing.dashboard.figures import compute_figure
from zhuanxing.evaluation.models import EvaluationResult, EvaluationRun
from zhuanxing.evaluation.selectors import class_counts_by, current_run
from zhuanxing.programs import selectors as program_selectors
from zhuanxing.programs.models import Policy
from zhuanxing.registry.models import AnnualData
from zhuanxing.techmarket.models import Contract
from zhuanxing.techmarket.selectors import statistics_for


def cockpit_years() -> list[int]:
    """Every year some record speaks of, newest first (this year when there is none)."""
    years = set(AnnualData.objects.values_list("year", flat=True).distinct())
    years |= set(EvaluationRun.objects.values_list("year", flat=True).distinct())
    years |= set(campaign_selectors.record_years())
    years |= set(Contract.objects.annotate(y=ExtractYear("signed_on")).values_list("y", flat=True).distinct())
    return sorted(years, reverse=True) or [dt.date.today().year]


def default_year() -> int:
    """The year the cockpit opens on: the newest year of departments' data (contracts and records
    dated this year would otherwise open it on a year with no figures yet)."""
    newest = AnnualData.objects.order_by("-year").values_list("year", flat=True).first()
    return newest or cockpit_years()[0]


def class_shares_by_town(year: int) -> tuple[list[str], dict[str, list[float]]] | None:
    """Per town, the share (%) of each class in the year's standing run."""
    run = current_run(year)
    if run is None:
        return None
    towns, counts = class_counts_by(
        EvaluationResult.objects.filter(run=run, exempt=False), "enterprise__town__name"
    )
    classes = sorted({grade for counter in counts.values() for grade in counter})
    series: dict[str, list[float]] = {grade: [] for grade in classes}
    for town in towns:
        counter: Counter = counts[town]
        whole = sum(counter.values()) or 1
        for grade in classes:
            series[grade].append(round(counter[grade] * 100 / whole, 1))
    return towns, series


def tax_per_mu_trend() -> tuple[list[int], list[float]]:
    """District 亩均税收 of every evaluated year, oldest first."""
    years = sorted(set(EvaluationRun.objects.values_list("year", flat=True)))
    shown, values = [], []
    for year in years:
        value = compute_figure("evaluation.tax_per_mu", year).value
        if value is not None:
            shown.append(year)
            values.append(float(value))
    return shown, values


def techmarket_funnel(year: int) -> list[dict]:
    return statistics_for(year)["funnel"]


def awards_against_budget(year: int) -> list[dict]:
    """Per policy of the year that has a budget: budget, approved, paid (万元)."""
    rows = []
    for figures in program_selectors.statistics(Policy.objects.filter(year=year, budget__gt=0)):
        rows.append(
            {
                "policy": figures.policy.name,
                "budget": float(figures.policy.budget),
                "approved": float(figures.total.approved),
                "paid": float(figures.total.paid),
            }
        )
    return rows


def targets(year: int) -> list[dict]:
    return campaign_selectors.targets_with_completion(year)


def warning_frame(years: list[int] | None = None):
    """Every enterprise-year of yearly data as the warning rules read it: the yearly values,
    the evaluated land and the standing class (as a rank), with the years before them."""
    import polars as pl

    from zhuanxing.dashboard.warning_rules import CLASS_RANKS, VALUES, yearly_frame
    from zhuanxing.evaluation.selectors import standing_classes
    from zhuanxing.registry.selectors import evaluated_land_mu

    fields = [name for name in VALUES if name in {f.name for f in AnnualData._meta.fields}]
    rows = AnnualData.objects.all()
    if years:
        wanted = {y - offset for y in years for offset in (0, 1, 2)}
        rows = rows.filter(year__in=wanted)
    data = list(rows.values_list("enterprise_id", "year", *fields))
    columns: dict[str, list] = {"enterprise_id": [], "year": [], **{n: [] for n in fields}}
    columns |= {"land_mu": [], "class_rank": []}
    by_year: dict[int, list] = {}
    for row in data:
        by_year.setdefault(row[1], []).append(row)
    for year, year_rows in by_year.items():
        land = evaluated_land_mu(year)
        classes = standing_classes(year, [row[0] for row in year_rows])
        for row in year_rows:
            columns["enterprise_id"].append(row[0])
            columns["year"].append(year)
            for name, value in zip(fields, row[2:], strict=True):
                columns[name].append(None if value is None else float(value))
            mu = land.get(row[0])
            columns["land_mu"].append(None if mu is None else float(mu))
            columns["class_rank"].append(CLASS_RANKS.get(classes.get(row[0], "")))
    schema = {"enterprise_id": pl.Int64, "year": pl.Int64} | {
        n: pl.Float64 for n in columns if n not in ("enterprise_id", "year")
    }
    return yearly_frame(pl.DataFrame(columns, schema=schema))
