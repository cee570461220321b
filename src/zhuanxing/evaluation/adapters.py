"""Registry rows → the scoring engine's input frame; engine output → result rows."""

from __future__ import annotations

import dataclasses
import io
import math
from collections import Counter

import polars as pl
from django.db import connection

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


FRAME_SCHEMA = {
    "enterprise_id": pl.Int64,
    "uscc": pl.String,
    "name": pl.String,
    "industry": pl.String,
    "town": pl.String,
    "scale": pl.String,
    "founded": pl.Date,
    "land_mu": pl.Float64,
    **{name: pl.Float64 for name in ANNUAL_INPUTS},
    "high_tech": pl.Boolean,
    "major_accident": pl.Boolean,
    "env_violation": pl.Boolean,
    "tenants": pl.Float64,
}


def input_frame(year: int) -> pl.DataFrame:
    """One row per industrial enterprise still operating (or suspended) that has data for
    ``year``, with the columns the engine knows, in a stable order (by credit code).

    On PostgreSQL one query reads it all (land sums, leases, tags and flags as subqueries);
    elsewhere the ORM reads each table once."""
    if connection.vendor == "postgresql":
        return _input_frame_one_query(year)
    return _input_frame_orm(year)


def _input_frame_one_query(year: int) -> pl.DataFrame:
    from zhuanxing.registry.models import LandParcel, Lease, Tag, Town

    annual, enterprise = AnnualData._meta.db_table, Enterprise._meta.db_table
    parcel, lease, town = LandParcel._meta.db_table, Lease._meta.db_table, Town._meta.db_table
    tags, tag = Enterprise.tags.through._meta.db_table, Tag._meta.db_table
    flags = EvaluationFlag._meta.db_table
    overlap = 'l.start <= %(last)s AND (l."end" IS NULL OR l."end" >= %(first)s)'
    figures = ", ".join(f"a.{name}" for name in ANNUAL_INPUTS)  # numeric as text; polars parses it
    sql = f"""
    WITH own AS (SELECT owner_id AS id, SUM(area_mu) AS area FROM {parcel} GROUP BY owner_id),
    let AS (SELECT p.owner_id AS id, SUM(l.area_mu) AS area, COUNT(*) AS n
            FROM {lease} l JOIN {parcel} p ON p.id = l.parcel_id WHERE {overlap} GROUP BY p.owner_id),
    rented AS (SELECT l.tenant_id AS id, SUM(l.area_mu) AS area FROM {lease} l
               WHERE {overlap} GROUP BY l.tenant_id)
    SELECT e.id, e.uscc, e.name, e.industry_id, t.name, e.scale, e.founded,
           CASE WHEN own.area IS NULL AND rented.area IS NULL AND let.area IS NULL THEN NULL
                ELSE COALESCE(own.area, 0) - COALESCE(let.area, 0) + COALESCE(rented.area, 0) END,
           {figures},
           EXISTS (SELECT 1 FROM {tags} et JOIN {tag} g ON g.id = et.tag_id
                   WHERE et.enterprise_id = e.id AND g.name = %(high_tech)s),
           EXISTS (SELECT 1 FROM {flags} f WHERE f.enterprise_id = e.id AND f.year = %(year)s
                   AND f.kind = %(accident)s),
           EXISTS (SELECT 1 FROM {flags} f WHERE f.enterprise_id = e.id AND f.year = %(year)s
                   AND f.kind = %(violation)s),
           COALESCE(let.n, 0)
    FROM {annual} a
    JOIN {enterprise} e ON e.id = a.enterprise_id
    LEFT JOIN {town} t ON t.id = e.town_id
    LEFT JOIN own ON own.id = e.id
    LEFT JOIN let ON let.id = e.id
    LEFT JOIN rented ON rented.id = e.id
    WHERE a.year = %(year)s AND e.status = ANY(%(statuses)s)
    """
    params = {
        "year": year,
        "first": f"{year}-01-01",
        "last": f"{year}-12-31",
        "high_tech": HIGH_TECH_TAG,
        "accident": EvaluationFlag.Kind.MAJOR_ACCIDENT.value,
        "violation": EvaluationFlag.Kind.ENV_VIOLATION.value,
        "statuses": [str(s) for s in EVALUATED_STATUSES],
    }
    booleans = ("high_tech", "major_accident", "env_violation")
    # COPY out as CSV and let polars parse it: far faster than adapting 100,000 rows in Python.
    statement = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"
    with connection.cursor() as cursor, cursor.cursor.copy(statement, params) as copy:
        data = b"".join(bytes(block) for block in copy)
    text_schema = {name: (pl.String if name in booleans else dtype) for name, dtype in FRAME_SCHEMA.items()}
    frame = pl.read_csv(
        io.BytesIO(data), has_header=False, new_columns=list(FRAME_SCHEMA), schema=text_schema
    )
    frame = frame.with_columns(pl.col(name) == "t" for name in booleans)
    # Sorted here, not by the database: credit codes are ASCII, so the order is the same as the ORM's,
    # without a sort spilling to disk in the server.
    return frame.sort("uscc")


def _input_frame_orm(year: int) -> pl.DataFrame:
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
    return pl.DataFrame(columns, schema=FRAME_SCHEMA)


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


RESULT_COLUMNS = [
    "run_id",
    "enterprise_id",
    "group",
    "total",
    "adjustment",
    "rank",
    "percentile",
    "initial_class",
    "computed_class",
    "exempt",
    "reasons",
    "indicators",
    "inputs",
    "regraded_class",
    "regrade_reason",
]
STORE_CHUNK = 20_000


def _finite(name: str) -> pl.Expr:
    """JSON-safe: NaN and infinities become null (as ``_clean`` does for one value)."""
    return pl.when(pl.col(name).is_finite()).then(pl.col(name)).otherwise(None).alias(name)


def result_frame(
    run: EvaluationRun, scheme: Scheme, inputs: pl.DataFrame, results: pl.DataFrame
) -> pl.DataFrame:
    """The engine's output as rows of the results table (columns ``RESULT_COLUMNS``, JSON as
    text), in the engine's order; the same values ``result_rows`` gives, computed by column."""
    frozen = []
    for name, dtype in inputs.schema.items():
        if name == "enterprise_id":
            continue
        if dtype == pl.Date:
            frozen.append(pl.col(name).dt.to_string("%Y-%m-%d").alias(name))
        elif dtype.is_float():
            frozen.append(_finite(name))
        else:
            frozen.append(pl.col(name))
    keyed = inputs.select("uscc", "enterprise_id", pl.struct(frozen).struct.json_encode().alias("inputs"))
    ordered = results.with_row_index("_order")
    parts = []
    for group in scheme.groups:
        rows = ordered.filter(pl.col("group") == group.id)
        if rows.height == 0:
            continue
        indicators = pl.struct(
            [
                pl.struct(
                    [_finite(f"{ind.id}_{part}").alias(part) for part in ("value", "benchmark", "score")]
                ).alias(ind.id)
                for ind in group.indicators
            ]
        )
        parts.append(rows.select("_order", "uscc", indicators.struct.json_encode().alias("indicators")))
    indicator_json = (
        pl.concat(parts)
        if parts
        else pl.DataFrame(schema={"_order": pl.UInt32, "uscc": pl.String, "indicators": pl.String})
    )
    frame = (
        ordered.join(indicator_json.drop("uscc"), on="_order", how="left")
        .join(keyed, on="uscc", how="left")
        .sort("_order")
        .select(
            pl.lit(run.pk, dtype=pl.Int64).alias("run_id"),
            pl.col("enterprise_id"),
            pl.col("group"),
            _finite("total"),
            _finite("adjustment"),
            pl.col("rank").cast(pl.Int64),
            _finite("percentile"),
            pl.col("initial_class").fill_null(""),
            pl.col("final_class").fill_null("").alias("computed_class"),
            pl.col("exempt").fill_null(False).cast(pl.Boolean),
            pl.col("reasons").fill_null("").str.slice(0, 500),
            pl.col("indicators").fill_null("{}"),
            pl.col("inputs"),
            pl.lit("").alias("regraded_class"),
            pl.lit("").alias("regrade_reason"),
        )
    )
    return frame


def store_results(frame: pl.DataFrame, progress=None) -> int:
    """Write the rows of ``result_frame`` in the current transaction: PostgreSQL's COPY (through
    psycopg 3's ``cursor.copy``), elsewhere one multi-row insert per chunk. Returns the rows written."""
    table = connection.ops.quote_name(EvaluationResult._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in RESULT_COLUMNS)
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')") as copy:
                for chunk in frame.iter_slices(STORE_CHUNK):
                    buffer = io.BytesIO()
                    chunk.write_csv(buffer, include_header=False, null_value="\\N")
                    copy.write(buffer.getvalue())
                    written += chunk.height
                    if progress is not None:
                        progress(done=written)
                        progress.check(read=False)  # the connection is busy copying
        else:
            marks = ", ".join(["%s"] * len(RESULT_COLUMNS))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
            for chunk in frame.iter_slices(STORE_CHUNK):
                cursor.executemany(sql, chunk.rows())
                written += chunk.height
                if progress is not None:
                    progress(done=written)
                    progress.check()
    return written


def class_counts_of(frame: pl.DataFrame) -> dict:
    """The run's summary from the stored frame (the same as counting the stored rows)."""
    counts: dict[str, dict[str, int]] = {}
    grouped = frame.group_by("group", "computed_class").len().sort("group", "computed_class")
    for group, klass, n in grouped.iter_rows():
        bucket = counts.setdefault(group, {})
        key = klass or "不评级"
        bucket[key] = bucket.get(key, 0) + n
    return {"classes": counts, "evaluated": sum(sum(v.values()) for v in counts.values())}
