"""What a checked file would change: new, changed (old → new per field) and unchanged rows.

The preview and the apply share these diffs, so what is shown is what is written.
Yearly figures are compared in chunks of enterprises, whole columns at a time, against
the values stored for the year; land and the enterprise registry (files of hundreds
of rows) are compared row by row.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import polars as pl
from django.utils.translation import gettext_noop

from zhuanxing.imports import sql
from zhuanxing.imports.validate import ENTERPRISE_ID, ROW, Checked
from zhuanxing.registry.models import AnnualData, Enterprise, LandParcel, Town
from zhuanxing.registry.selectors import leases_in_year

CHUNK_ROWS = 25_000
SAMPLE_LIMIT = 200
# labels translated where shown
KINDS = {"new": gettext_noop("新增"), "changed": gettext_noop("变更"), "unchanged": gettext_noop("未变")}
DECIMAL = pl.Decimal(20, 4)
INTEGER_FIELDS = {"employees"}
TAG_SEPARATORS = re.compile(r"[、,，;；]")
ENTERPRISE_LABELS = {
    "name": "企业名称",
    "town": "所属镇街",
    "industry": "行业代码",
    "scale": "规模",
    "founded": "成立日期",
    "tags": "标签",
}


def as_text(value) -> str | None:
    """A value as history and previews show it: ``Decimal("1500.0000")`` -> ``1500``."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, float):
        return as_text(Decimal(repr(value)).quantize(Decimal("0.0001")))
    if isinstance(value, (list, tuple)):
        return "、".join(value)
    return str(value)


@dataclass
class FieldChange:
    field: str
    label: str
    old: str | None
    new: str | None


@dataclass
class RowChange:
    kind: str
    rows: list[int]
    key: str
    name: str
    fields: list[FieldChange] = field(default_factory=list)
    enterprise_id: int | None = None

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def rows_text(self) -> str:
        return "、".join(str(r) for r in self.rows)


@dataclass
class Preview:
    checked: Checked
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    samples: dict[str, list[RowChange]] = field(default_factory=lambda: {k: [] for k in KINDS})
    values: int = 0  # the values the apply would write

    def add(self, change: RowChange) -> None:
        self.counts[change.kind] += 1
        self.values += len(change.fields)
        if len(self.samples[change.kind]) < SAMPLE_LIMIT:
            self.samples[change.kind].append(change)

    def name_enterprises(self) -> None:
        """Fill in the registry's names of the rows kept for display."""
        rows = [r for rows in self.samples.values() for r in rows if r.enterprise_id and not r.name]
        names = dict(
            Enterprise.objects.filter(pk__in={r.enterprise_id for r in rows}).values_list("id", "name")
        )
        for row in rows:
            row.name = names.get(row.enterprise_id, "")

    @property
    def has_changes(self) -> bool:
        return bool(self.counts["new"] or self.counts["changed"])

    @property
    def sections(self) -> list[dict]:
        """Per kind: its label, count and the rows kept for display (in file order)."""
        return [
            {
                "kind": kind,
                "label": label,
                "count": self.counts[kind],
                "rows": sorted(self.samples[kind], key=lambda r: r.rows[:1]),
            }
            for kind, label in KINDS.items()
        ]

    @property
    def summary(self) -> dict:
        return {
            "rows": self.checked.rows,
            **self.counts,
            "values": self.values,
            "formulas": self.checked.formulas,
        }


def build_preview(checked: Checked) -> Preview:
    preview = Preview(checked)
    if checked.source.id == "land":
        for change in land_plan(checked).changes:
            preview.add(change)
    elif checked.source.id == "registry":
        for change in registry_plan(checked).changes:
            preview.add(change)
    else:
        for chunk in annual_chunks(checked):
            chunk_changes(checked, chunk, preview)
        preview.name_enterprises()
    return preview


# --- yearly figures (tax, stats, power, env) ------------------------------------------


def decimal_text(column: str) -> pl.Expr:
    """A decimal column as history text, without trailing zeros (``1500.0000`` -> ``1500``)."""
    return pl.col(column).cast(pl.String).str.replace(r"\.?0+$", "")


def annual_incoming(checked: Checked) -> pl.DataFrame:
    """One row per enterprise with the values to set: meters summed (power), the
    pollutant total computed (env), decimals rounded as the database stores them."""
    source = checked.source
    fields = source.annual_fields
    read = [f for f in fields if f in checked.frame.columns]
    frame = checked.frame.with_columns(
        pl.col(f).cast(pl.Int64) if f in INTEGER_FIELDS else pl.col(f).cast(DECIMAL) for f in read
    )
    extra = [c for c in ("scale", "registry_scale") if c in frame.columns]
    frame = frame.group_by(ENTERPRISE_ID, maintain_order=True).agg(
        pl.col(ROW).alias("_rows"),
        pl.col("uscc").first(),
        *(pl.col(c).first() for c in extra),
        *(pl.col(f).sum() if source.id == "power" else pl.col(f).first() for f in read),
    )
    if source.id == "env":
        pollutants = pl.col("cod", "ammonia", "so2", "nox")
        frame = frame.with_columns(
            pl.when(pl.any_horizontal(pollutants.is_not_null()))
            .then(pl.sum_horizontal(pollutants))
            .cast(DECIMAL)
            .alias("emissions")
        )
    return frame


def _stored(checked: Checked, first_id: int, last_id: int) -> pl.DataFrame:
    """The stored values for the year of the enterprises with ids in [first_id, last_id],
    read raw (no model instances, no per-value conversion) and typed as the incoming frame."""
    fields = checked.source.annual_fields
    rows = sql.select_range(
        AnnualData,
        ["id", ENTERPRISE_ID, *fields, "sources"],
        key=ENTERPRISE_ID,
        first=first_id,
        last=last_id,
        where={"year": checked.year},
    )
    schema = {"annual_id": pl.Int64, ENTERPRISE_ID: pl.Int64}
    schema |= {f"{f}_old": pl.Int64 if f in INTEGER_FIELDS else pl.Float64 for f in fields}
    schema["sources"] = pl.String
    stored = pl.DataFrame(rows, schema=schema, orient="row", strict=False)
    sources = pl.Struct({f: pl.Int64 for f in fields})
    return (
        stored.with_columns(
            *(pl.col(f"{f}_old").cast(DECIMAL) for f in fields if f not in INTEGER_FIELDS),
            pl.col("sources").alias("_sources_text"),
            pl.col("sources").str.json_decode(sources).struct.rename_fields([f"{f}_src" for f in fields]),
        )
        .unnest("sources")
        .with_columns(pl.col("annual_id").alias("_stored"))
    )


def annual_chunks(checked: Checked) -> Iterator[pl.DataFrame]:
    """The incoming rows joined to the stored ones, ``CHUNK_ROWS`` enterprises at a time,
    with per field ``<f>_changed`` and ``<f>_first`` (set where there was nothing) and
    per row ``_kind``."""
    fields = checked.source.annual_fields
    incoming = annual_incoming(checked).sort(ENTERPRISE_ID)
    for start in range(0, incoming.height, CHUNK_ROWS):
        chunk = incoming.slice(start, CHUNK_ROWS)
        ids = chunk.get_column(ENTERPRISE_ID)
        stored = _stored(checked, ids.min(), ids.max())
        chunk = chunk.join(stored, on=ENTERPRISE_ID, how="left", maintain_order="left")
        chunk = chunk.with_columns(
            *(
                (pl.col(f).is_not_null() & pl.col(f).ne_missing(pl.col(f"{f}_old"))).alias(f"{f}_changed")
                for f in fields
            ),
            *(
                (pl.col(f"{f}_old").is_null() & pl.col(f"{f}_src").is_null()).alias(f"{f}_empty")
                for f in fields
            ),
        )
        scale_changed = (
            pl.col("scale").is_not_null() & pl.col("scale").ne_missing(pl.col("registry_scale"))
            if "scale" in chunk.columns
            else pl.lit(False)
        )
        revised = pl.any_horizontal(
            *(pl.col(f"{f}_changed") & ~pl.col(f"{f}_empty") for f in fields), scale_changed
        )
        written = pl.any_horizontal(*(pl.col(f"{f}_changed") for f in fields))
        yield chunk.with_columns(
            scale_changed.alias("scale_changed"),
            pl.when(revised)
            .then(pl.lit("changed"))
            .when(written)
            .then(pl.lit("new"))
            .otherwise(pl.lit("unchanged"))
            .alias("_kind"),
        )


def chunk_changes(checked: Checked, chunk: pl.DataFrame, preview: Preview) -> None:
    """Count a chunk's rows and values into the preview and keep the first rows of each kind."""
    fields = checked.source.annual_fields
    preview.values += chunk.select(
        pl.sum_horizontal(*(pl.col(f"{f}_changed") for f in fields), pl.col("scale_changed")).sum()
    ).item()
    for kind, count in chunk.get_column("_kind").value_counts().iter_rows():
        preview.counts[kind] += count
        room = SAMPLE_LIMIT - len(preview.samples[kind])
        for row in chunk.filter(pl.col("_kind") == kind).head(max(room, 0)).iter_rows(named=True):
            changes = []
            if row["scale_changed"]:
                changes.append(FieldChange("scale", "规模", row["registry_scale"], row["scale"]))
            for f in fields:
                if row[f"{f}_changed"]:
                    label, unit = AnnualData.FIELDS[f]
                    changes.append(
                        FieldChange(f, f"{label}（{unit}）", as_text(row[f"{f}_old"]), as_text(row[f]))
                    )
            preview.samples[kind].append(
                RowChange(kind, row["_rows"], row["uscc"], "", changes, row[ENTERPRISE_ID])
            )


# --- the enterprise registry ----------------------------------------------------------


@dataclass
class RegistryPlan:
    changes: list[RowChange] = field(default_factory=list)
    create: list[dict] = field(default_factory=list)
    update: list[dict] = field(default_factory=list)  # {"id", "old": {...}, "new": {...}}


def split_tags(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return sorted({t.strip() for t in TAG_SEPARATORS.split(text) if t.strip()})


def registry_plan(checked: Checked) -> RegistryPlan:
    plan = RegistryPlan()
    frame = checked.frame
    ids = [i for i in frame.get_column(ENTERPRISE_ID).to_list() if i is not None]
    current = {
        e["id"]: e
        for e in Enterprise.objects.filter(pk__in=ids).values(
            "id", "name", "town_id", "industry_id", "scale", "founded"
        )
    }
    tags: dict[int, list[str]] = {i: [] for i in ids}
    for enterprise_id, name in Enterprise.tags.through.objects.filter(enterprise_id__in=ids).values_list(
        "enterprise_id", "tag__name"
    ):
        tags[enterprise_id].append(name)
    town_names = dict(Town.objects.values_list("id", "name"))
    for row in frame.iter_rows(named=True):
        wanted = {
            "name": row.get("name"),
            "town_id": row.get("town_id"),
            "industry_id": row.get("industry"),
            "scale": row.get("scale"),
            "founded": row.get("founded"),
            "tags": split_tags(row.get("tags")),
        }
        wanted = {k: v for k, v in wanted.items() if v is not None}
        shown = {"town_id": lambda v: town_names.get(v), "founded": lambda v: v.isoformat()}

        def field_change(key, old, new, shown=shown):
            show = shown.get(key, as_text)
            label = ENTERPRISE_LABELS[key.removesuffix("_id")]
            return FieldChange(key, label, None if old is None else show(old), show(new))

        enterprise_id = row[ENTERPRISE_ID]
        if enterprise_id is None:
            values = {"uscc": row["uscc"], "scale": Enterprise.Scale.BELOW} | wanted
            plan.create.append(values)
            fields = [field_change(k, None, v) for k, v in values.items() if k != "uscc"]
            plan.changes.append(RowChange("new", [row[ROW]], row["uscc"], values["name"], fields))
            continue
        before = current[enterprise_id] | {"tags": sorted(tags[enterprise_id])}
        old = {k: before[k] for k, v in wanted.items() if before[k] != v}
        new = {k: wanted[k] for k in old}
        kind = "changed" if new else "unchanged"
        if new:
            plan.update.append({"id": enterprise_id, "old": old, "new": new})
        fields = [field_change(k, old[k], new[k]) for k in new]
        plan.changes.append(RowChange(kind, [row[ROW]], row["uscc"], before["name"], fields))
    return plan


# --- land -----------------------------------------------------------------------------


@dataclass
class LandPlan:
    changes: list[RowChange] = field(default_factory=list)
    parcels_create: list[dict] = field(default_factory=list)
    parcels_update: list[dict] = field(default_factory=list)  # {"id", "old", "new"}
    leases_create: list[dict] = field(default_factory=list)
    leases_update: list[dict] = field(default_factory=list)  # {"id", "old", "new"}


def mu(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(repr(value)).quantize(Decimal("0.0001"))


def land_plan(checked: Checked) -> LandPlan:
    plan = LandPlan()
    frame = checked.frame
    year = checked.year
    certificates = frame.get_column("certificate_no").unique().to_list()
    parcels = {
        p["certificate_no"]: p
        for p in LandParcel.objects.filter(certificate_no__in=certificates).values(
            "id", "certificate_no", "owner_id", "area_mu", "use"
        )
    }
    leases = {
        (lease.parcel.certificate_no, lease.tenant_id): lease
        for lease in leases_in_year(year)
        .filter(parcel__certificate_no__in=certificates)
        .select_related("parcel")
    }
    owner_names = dict(
        Enterprise.objects.filter(pk__in=frame.get_column(ENTERPRISE_ID).to_list()).values_list("id", "name")
    )
    tenant_ids = [t for t in frame.get_column("tenant_id").to_list() if t is not None]
    names = owner_names | dict(Enterprise.objects.filter(pk__in=tenant_ids).values_list("id", "name"))
    planned: set[str] = set()
    for row in frame.iter_rows(named=True):
        certificate = row["certificate_no"]
        fields: list[FieldChange] = []
        wanted = {"owner_id": row[ENTERPRISE_ID], "area_mu": mu(row["area"])}
        if row.get("use"):
            wanted["use"] = row["use"]
        parcel = parcels.get(certificate)
        kind = "unchanged"
        if certificate not in planned:
            planned.add(certificate)
            if parcel is None:
                kind = "new"
                plan.parcels_create.append({"certificate_no": certificate, "use": "工业用地"} | wanted)
                fields += [
                    FieldChange("owner", "权利人", None, names.get(wanted["owner_id"])),
                    FieldChange("area_mu", "土地面积（亩）", None, as_text(wanted["area_mu"])),
                ]
            else:
                old = {k: parcel[k] for k, v in wanted.items() if parcel[k] != v}
                if old:
                    kind = "changed"
                    new = {k: wanted[k] for k in old}
                    plan.parcels_update.append(
                        {"id": parcel["id"], "old": json_safe(old), "new": json_safe(new)}
                    )
                    labels = {"owner_id": "权利人", "area_mu": "土地面积（亩）", "use": "用途"}
                    for key in old:
                        show = (lambda v: names.get(v, v)) if key == "owner_id" else as_text
                        fields.append(FieldChange(key, labels[key], show(old[key]), show(new[key])))
        if row.get("tenant_id") is not None:
            area = mu(row["lease_area"])
            lease = leases.get((certificate, row["tenant_id"]))
            label = f"出租给 {names.get(row['tenant_id'])}（亩）"
            if lease is None:
                kind = "new" if kind != "changed" else kind
                plan.leases_create.append(
                    {
                        "certificate_no": certificate,
                        "tenant_id": row["tenant_id"],
                        "area_mu": area,
                        "start": dt.date(year, 1, 1),
                        "end": dt.date(year, 12, 31),
                    }
                )
                fields.append(FieldChange("lease", label, None, as_text(area)))
            elif lease.area_mu != area:  # a lease within the year (longer ones are refused by the check)
                kind = "changed"
                plan.leases_update.append(
                    {"id": lease.pk, "old": {"area_mu": str(lease.area_mu)}, "new": {"area_mu": str(area)}}
                )
                fields.append(FieldChange("lease", label, as_text(lease.area_mu), as_text(area)))
        plan.changes.append(
            RowChange(kind, [row[ROW]], certificate, names.get(row[ENTERPRISE_ID], ""), fields)
        )
    return plan


def json_safe(values: dict) -> dict:
    """Values as ``ImportBatch.undo`` keeps them: decimals and dates as text."""
    return {k: str(v) if isinstance(v, (Decimal, dt.date)) else v for k, v in values.items()}
