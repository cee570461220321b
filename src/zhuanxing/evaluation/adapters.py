"""Registry rows → the scoring engine's input frame; engine output → result rows."""

from __future__ import annotations

import dataclasses
import math
from collections import Counter

import polars as pl

from zhuanxing.evaluation.models import EvaluationFlag, EvaluationResult, EvaluationRun
from zhuanxing.registry.models import AnnualData, Enterprise
from zhuanxing.registry.selectors import evaluated_land_mu, leases_in_year
from zhuanxing.scoring import Scheme, evaluate

EVALUATED_STATUSES = (Enterprise.Status.OPERATING, Enterprise.Status.SUSPENDED)
HIGH_TECH_TAG = "高新技术企业"
ANNUAL_INPUTS = [
    "tax",
    "social_insurance",
    "sales",
    "revenue",
    "value_added",
    "employees",
    "energy_tce",
    "electricity",
    "emissions",
    "emission_rights",
    "rd",
]


def scheme_for_year(scheme: Scheme, year: int) -> Scheme:
    """The scheme as it applies to ``year``'s data (the year decides each firm's age)."""
    return dataclasses.replace(scheme, year=year)


def input_frame(year: int) -> pl.DataFrame:
    """One row per industrial enterprise still operating (or suspended) that has data for
    ``year``, with the columns the engine knows, in a stable order (by credit code)."""
    annual = {
        row[0]: row[1:]
        for row in AnnualData.objects.filter(year=year).values_list("enterprise_id", *ANNUAL_INPUTS)
    }
    enterprises = list(
        Enterprise.objects.filter(pk__in=annual.keys(), status__in=EVALUATED_STATUSES)
        .order_by("uscc")
        .values_list("pk", "uscc", "name", "industry_id", "town__name", "scale", "founded")
    )
    high_tech = set(Enterprise.objects.filter(tags__name=HIGH_TECH_TAG).values_list("pk", flat=True))
    flags = Counter(EvaluationFlag.objects.filter(year=year).values_list("enterprise_id", "kind"))
    tenants = Counter(leases_in_year(year).values_list("parcel__owner_id", flat=True))
    land = evaluated_land_mu(year)

    def number(value):
        return None if value is None else float(value)

    columns: dict[str, list] = {
        name: [] for name in ("enterprise_id", "uscc", "name", "industry", "town", "scale")
    }
    columns |= {"founded": [], "land_mu": [], **{name: [] for name in ANNUAL_INPUTS}}
    columns |= {"high_tech": [], "major_accident": [], "env_violation": [], "tenants": []}
    for pk, uscc, name, industry, town, scale, founded in enterprises:
        for key, value in zip(
            ("enterprise_id", "uscc", "name", "industry", "town", "scale", "founded"),
            (pk, uscc, name, industry, town, scale, founded),
            strict=True,
        ):
            columns[key].append(value)
        columns["land_mu"].append(number(land.get(pk)))
        for key, value in zip(ANNUAL_INPUTS, annual[pk], strict=True):
            columns[key].append(number(value))
        columns["high_tech"].append(pk in high_tech)
        columns["major_accident"].append(bool(flags[(pk, EvaluationFlag.Kind.MAJOR_ACCIDENT)]))
        columns["env_violation"].append(bool(flags[(pk, EvaluationFlag.Kind.ENV_VIOLATION)]))
        columns["tenants"].append(float(tenants[pk]))
    schema = {"enterprise_id": pl.Int64, "founded": pl.Date, "high_tech": pl.Boolean}
    schema |= {"major_accident": pl.Boolean, "env_violation": pl.Boolean}
    schema |= {name: pl.String for name in ("uscc", "name", "industry", "town", "scale")}
    schema |= {name: pl.Float64 for name in ("land_mu", "tenants", *ANNUAL_INPUTS)}
    return pl.DataFrame(columns, schema=schema)


def _clean(value):
    """JSON-safe: NaN and infinities become null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def evaluate_year(scheme: Scheme, year: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(inputs, results) for ``year`` under ``scheme``; raises the engine's errors."""
    inputs = input_frame(year)
    results = evaluate(scheme_for_year(scheme, year), inputs.drop("enterprise_id"))
    return inputs, results


def result_rows(run: EvaluationRun, scheme: Scheme, inputs: pl.DataFrame, results: pl.DataFrame):
    """EvaluationResult objects (unsaved) for the engine's output."""
    enterprise_ids = dict(
        zip(inputs.get_column("uscc").to_list(), inputs.get_column("enterprise_id").to_list(), strict=True)
    )
    input_rows = {row["uscc"]: row for row in inputs.drop("enterprise_id").to_dicts()}
    group_indicators = {group.id: [indicator.id for indicator in group.indicators] for group in scheme.groups}
    rows = []
    for row in results.iter_rows(named=True):
        frozen = {
            k: (v.isoformat() if hasattr(v, "isoformat") else _clean(v))
            for k, v in input_rows[row["uscc"]].items()
        }
        rows.append(
            EvaluationResult(
                run=run,
                enterprise_id=enterprise_ids[row["uscc"]],
                group=row["group"],
                total=_clean(row["total"]),
                adjustment=_clean(row["adjustment"]),
                rank=row["rank"],
                percentile=_clean(row["percentile"]),
                initial_class=row["initial_class"] or "",
                computed_class=row["final_class"] or "",
                exempt=bool(row["exempt"]),
                reasons=(row["reasons"] or "")[:500],
                indicators={
                    ind: {part: _clean(row[f"{ind}_{part}"]) for part in ("value", "benchmark", "score")}
                    for ind in group_indicators[row["group"]]
                },
                inputs=frozen,
            )
        )
    return rows
