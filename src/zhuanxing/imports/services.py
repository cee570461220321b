"""Applying a department file and rolling a batch back: all or nothing, audited.

``batch_apply`` checks the whole file first (``validate.check_file``) and writes nothing
if anything is wrong. It then writes in one transaction, in chunks and in bulk: rows
are inserted and updated with one statement per chunk through the database cursor,
never saved one by one, so 100,000 rows take seconds. Every value written remembers its
batch (``AnnualData.sources``) and every change is kept (``AnnualDataChange``, with the
value and batch it replaced); registry and land rows go into ``ImportBatch.undo``.

``batch_rollback`` puts back what the batch replaced. It refuses, naming them, when a
later batch (or a hand edit) has since changed the same values: rolling back under a
later value would silently undo that one too.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import shutil
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import polars as pl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from zhuanxing.accounts.audit import record_change
from zhuanxing.imports import sql
from zhuanxing.imports.locks import lock_year
from zhuanxing.imports.preview import (
    INTEGER_FIELDS,
    Preview,
    annual_chunks,
    chunk_changes,
    decimal_text,
    json_safe,
    land_plan,
    registry_plan,
)
from zhuanxing.imports.signals import year_data_changed
from zhuanxing.imports.sources import get_source
from zhuanxing.imports.validate import ENTERPRISE_ID, Checked, check_file
from zhuanxing.registry.models import (
    AnnualData,
    AnnualDataChange,
    Enterprise,
    ImportBatch,
    LandParcel,
    Lease,
    Tag,
)

UPLOAD_DIR = "imports"
WRITE_CHUNK = sql.CHUNK


class ImportRefused(ValidationError):
    """The file has problems; ``problems`` are the ``CellProblem``s, every one of them."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__([str(p) for p in self.problems])


# --- files ------------------------------------------------------------------------------


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def upload_name(sha256: str, suffix: str) -> str:
    """The upload's name in the default storage: ``imports/<sha256>.<ext>``."""
    return f"{UPLOAD_DIR}/{sha256}{suffix.lower()}"


def upload_path(sha256: str, suffix: str) -> Path:
    """A local path of the stored upload (the readers open files): the storage's own file when it
    keeps files on a disk or shared volume, else a copy fetched once into ``VAR_DIR/upload-cache``
    (an S3-compatible store, for instance)."""
    name = upload_name(sha256, suffix)
    try:
        return Path(default_storage.path(name))
    except NotImplementedError:
        cached = Path(settings.VAR_DIR) / "upload-cache" / name
        if not cached.exists() and default_storage.exists(name):
            cached.parent.mkdir(parents=True, exist_ok=True)
            partial = cached.with_suffix(cached.suffix + ".part")
            with default_storage.open(name, "rb") as source, open(partial, "wb") as handle:
                shutil.copyfileobj(source, handle)
            partial.replace(cached)
        return cached


def store_upload(uploaded) -> tuple[str, Path]:
    """Keep an uploaded file in the default storage under imports/, named by its SHA-256 (so
    the same file is stored once and a batch's file can be found from its hash)."""
    suffix = Path(uploaded.name).suffix.lower()
    digest = hashlib.sha256()
    for block in uploaded.chunks():
        digest.update(block)
    sha256 = digest.hexdigest()
    name = upload_name(sha256, suffix)
    if not default_storage.exists(name):
        uploaded.seek(0)
        default_storage.save(name, uploaded)
    return sha256, upload_path(sha256, suffix)


# --- apply ------------------------------------------------------------------------------


def batch_apply(
    *, actor, source: str, path: str | Path, file_name: str, year: int, note: str = ""
) -> tuple[ImportBatch | None, Preview]:
    """Check ``path`` and, if it has no problems, write it as one batch. Returns the batch
    and what it changed; the batch is None when the file changes nothing (the same file
    imported again): no empty batch is recorded."""
    checked = check_file(get_source(source), path, year=year)
    if not checked.ok:
        raise ImportRefused(checked.problems)
    sha256 = file_sha256(path)
    if actor is None and not note:
        note = f"命令行导入（{getpass.getuser()}）"
    with transaction.atomic():
        lock_year(year)  # before the writers read the values they diff against
        batch = ImportBatch.objects.create(
            source=checked.source.id,
            year=year,
            file_name=file_name[:255],
            file_sha256=sha256,
            created_by=actor if getattr(actor, "pk", None) else None,
            note=note[:255],
        )
        preview = Preview(checked)
        WRITERS.get(checked.source.id, _write_annual)(checked, batch, preview)
        if not preview.has_changes:
            transaction.set_rollback(True)
            return None, preview
        batch.summary = preview.summary
        batch.save(update_fields=["summary", "undo"])
        record_change(actor=actor, action="数据导入", obj=batch, new=batch.summary, reason=note)
        year_data_changed.send(sender=ImportBatch, year=year)
    return batch, preview


def _value_text(column: str) -> pl.Expr:
    return (
        pl.col(column).cast(pl.String)
        if column.removesuffix("_old") in INTEGER_FIELDS
        else decimal_text(column)
    )


def _write_annual(checked: Checked, batch: ImportBatch, preview: Preview) -> None:
    fields = checked.source.annual_fields
    scale_changes: list[dict] = []
    for chunk in annual_chunks(checked):
        chunk_changes(checked, chunk, preview)
        written = chunk.filter(pl.col("_kind") != "unchanged")
        if written.height == 0:
            continue
        values = [
            pl.when(pl.col(f"{f}_changed"))
            .then(pl.col(f) if f in INTEGER_FIELDS else decimal_text(f))
            .alias(f)
            for f in fields
        ]
        new_rows = written.filter(pl.col("_stored").is_null())
        if new_rows.height:
            sources = pl.concat_list(
                pl.when(pl.col(f"{f}_changed")).then(pl.lit(f'"{f}": {batch.pk}')) for f in fields
            ).list.drop_nulls()
            insert = new_rows.select(
                pl.col(ENTERPRISE_ID),
                pl.lit(checked.year).alias("year"),
                *values,
                pl.format("{{{}}}", sources.list.join(", ")).alias("sources"),
            )
            sql.insert(AnnualData, [ENTERPRISE_ID, "year", *fields, "sources"], insert.rows())
        old_rows = written.filter(pl.col("_stored").is_not_null())
        if old_rows.height:
            updates = []
            for row in old_rows.select(
                *values, "_sources_text", "annual_id", *(f"{f}_changed" for f in fields)
            ).iter_rows(named=True):
                merged = json.loads(row["_sources_text"] or "{}") | {
                    f: batch.pk for f in fields if row[f"{f}_changed"]
                }
                updates.append((*(row[f] for f in fields), json.dumps(merged), row["annual_id"]))
            sql.update(AnnualData, fields, [u[:-2] + (u[-1],) for u in updates], keep_empty=True)
            sql.update(AnnualData, ["sources"], [(u[-2], u[-1]) for u in updates])
        # a first value (nothing before, no batch) is remembered by ``sources`` alone
        history = pl.concat(
            [
                old_rows.filter(pl.col(f"{f}_changed") & ~pl.col(f"{f}_empty")).select(
                    pl.col("annual_id"),
                    pl.lit(f).alias("field"),
                    _value_text(f"{f}_old").alias("old_value"),
                    _value_text(f).alias("new_value"),
                    pl.col(f"{f}_src").alias("old_batch"),
                    pl.lit(batch.pk).alias("batch"),
                )
                for f in fields
            ]
        )
        sql.insert(
            AnnualDataChange,
            ["annual_data", "field", "old_value", "new_value", "old_batch", "batch"],
            history.rows(),
        )
        if "scale" in written.columns:
            for enterprise_id, old, new in (
                written.filter(pl.col("scale_changed"))
                .select(ENTERPRISE_ID, "registry_scale", "scale")
                .iter_rows()
            ):
                scale_changes.append({"id": enterprise_id, "old": {"scale": old}, "new": {"scale": new}})
    preview.name_enterprises()
    if scale_changes:
        now = Enterprise._meta.get_field("updated_at").get_db_prep_value(timezone.now(), connection)
        sql.update(
            Enterprise, ["scale", "updated_at"], [(c["new"]["scale"], now, c["id"]) for c in scale_changes]
        )
        batch.undo = {"enterprises": scale_changes}


def _set_tags(enterprise_tags: dict[int, list[str]]) -> None:
    names = {n for tags in enterprise_tags.values() for n in tags}
    existing = dict(Tag.objects.filter(name__in=names).values_list("name", "id"))
    Tag.objects.bulk_create([Tag(name=n) for n in sorted(names - set(existing))])
    tag_ids = dict(Tag.objects.filter(name__in=names).values_list("name", "id"))
    through = Enterprise.tags.through
    through.objects.filter(enterprise_id__in=list(enterprise_tags)).delete()
    through.objects.bulk_create(
        [through(enterprise_id=e, tag_id=tag_ids[n]) for e, tags in enterprise_tags.items() for n in tags],
        batch_size=WRITE_CHUNK,
    )


def _write_registry(checked: Checked, batch: ImportBatch, preview: Preview) -> None:
    plan = registry_plan(checked)
    for change in plan.changes:
        preview.add(change)
    fields = ["name", "town_id", "industry_id", "scale", "founded"]
    new_enterprises = [
        Enterprise(uscc=row["uscc"], **{f: row[f] for f in fields if f in row}) for row in plan.create
    ]
    for enterprise in new_enterprises:
        enterprise.refresh_search_fields()  # bulk_create does not call save()
    created = Enterprise.objects.bulk_create(new_enterprises, batch_size=WRITE_CHUNK)
    objects = Enterprise.objects.in_bulk([u["id"] for u in plan.update])
    changed_fields = {k for u in plan.update for k in u["new"] if k != "tags"}
    now = timezone.now()
    for update in plan.update:
        enterprise = objects[update["id"]]
        enterprise.updated_at = now
        old_name = enterprise.name
        for key, value in update["new"].items():
            if key != "tags":
                setattr(enterprise, key, value)
        if "name" in update["new"]:
            enterprise.remember_former_name(old_name)
            enterprise.refresh_search_fields()
    if "name" in changed_fields:
        changed_fields |= {"former_names", "name_initials"}
    if changed_fields:
        Enterprise.objects.bulk_update(
            list(objects.values()), [*changed_fields, "updated_at"], batch_size=500
        )
    tags = {e.pk: row["tags"] for e, row in zip(created, plan.create) if row.get("tags")}
    tags |= {u["id"]: u["new"]["tags"] for u in plan.update if "tags" in u["new"]}
    if tags:
        _set_tags(tags)
    batch.undo = {
        "created_enterprises": [e.pk for e in created],
        "enterprises": [
            {"id": u["id"], "old": json_safe(u["old"]), "new": json_safe(u["new"])} for u in plan.update
        ],
    }


def _write_land(checked: Checked, batch: ImportBatch, preview: Preview) -> None:
    plan = land_plan(checked)
    for change in plan.changes:
        preview.add(change)
    created = LandParcel.objects.bulk_create(
        [LandParcel(**p) for p in plan.parcels_create], batch_size=WRITE_CHUNK
    )
    parcels = LandParcel.objects.in_bulk([u["id"] for u in plan.parcels_update])
    for update in plan.parcels_update:
        for key, value in update["new"].items():
            setattr(parcels[update["id"]], key, value)
    if parcels:
        LandParcel.objects.bulk_update(list(parcels.values()), ["owner_id", "area_mu", "use"], batch_size=500)
    parcel_ids = dict(
        LandParcel.objects.filter(
            certificate_no__in={lease["certificate_no"] for lease in plan.leases_create}
        ).values_list("certificate_no", "id")
    )
    leases = Lease.objects.bulk_create(
        [
            Lease(
                parcel_id=parcel_ids[lease["certificate_no"]],
                **{k: v for k, v in lease.items() if k != "certificate_no"},
            )
            for lease in plan.leases_create
        ],
        batch_size=WRITE_CHUNK,
    )
    lease_objects = Lease.objects.in_bulk([u["id"] for u in plan.leases_update])
    for update in plan.leases_update:
        lease_objects[update["id"]].area_mu = Decimal(update["new"]["area_mu"])
    if lease_objects:
        Lease.objects.bulk_update(list(lease_objects.values()), ["area_mu"], batch_size=500)
    batch.undo = {
        "created_parcels": [p.pk for p in created],
        "parcels": plan.parcels_update,
        "created_leases": [lease.pk for lease in leases],
        "leases": plan.leases_update,
    }


WRITERS = {"registry": _write_registry, "land": _write_land}


# --- rollback ---------------------------------------------------------------------------


def _batch_name(batch: ImportBatch) -> str:
    return f"批次#{batch.pk}（{batch}，{timezone.localtime(batch.created_at):%Y-%m-%d %H:%M}）"


def _later_batches_touching(batch: ImportBatch, kind: str, object_id: int) -> list[ImportBatch]:
    later = ImportBatch.objects.filter(state=ImportBatch.State.APPLIED, pk__gt=batch.pk).exclude(undo={})
    return [
        b
        for b in later
        if object_id in b.undo.get(f"created_{kind}", [])
        or any(u["id"] == object_id for u in b.undo.get(kind, []))
    ]


def _changed_since(batch: ImportBatch, kind: str, object_id: int, label: str) -> str:
    later = _later_batches_touching(batch, kind, object_id)
    who = "、".join(_batch_name(b) for b in later) if later else "在企业库中的手工修改"
    return f"{label}此后又被{who}修改，请先回滚或更正后者"


def _annual_restores(batch: ImportBatch) -> tuple[dict[int, dict[str, tuple]], dict[int, dict], list[str]]:
    """{annual_data id: {field: (old value text, old batch)}} for the values the batch
    still holds, those rows' current sources, and the reasons to refuse: applied batches
    that replaced its values."""
    restores: dict[int, dict[str, tuple]] = defaultdict(dict)
    if batch.year is None:
        return restores, {}, []
    held: dict[int, list[str]] = {}
    sources_now: dict[int, dict] = {}
    for pk, sources in AnnualData.objects.filter(year=batch.year).values_list("id", "sources"):
        names = [name for name, source in sources.items() if source == batch.pk]
        if names:
            held[pk] = names
            sources_now[pk] = sources
    history = {
        (annual_id, name): (old_value, old_batch)
        for annual_id, name, old_value, old_batch in AnnualDataChange.objects.filter(batch=batch).values_list(
            "annual_data_id", "field", "old_value", "old_batch_id"
        )
    }
    for pk, names in held.items():
        for name in names:
            # no history row: the batch set the first value, so before it there was none
            restores[pk][name] = history.get((pk, name), (None, None))
    replaced = defaultdict(list)
    for later, enterprise, name in (
        AnnualDataChange.objects.filter(old_batch=batch, batch__state=ImportBatch.State.APPLIED)
        .exclude(batch=batch)
        .values_list("batch_id", "annual_data__enterprise__name", "field")
    ):
        replaced[later].append(f"{enterprise}的{AnnualData.FIELDS[name][0]}")
    blockers = []
    batches = ImportBatch.objects.in_bulk(list(replaced))
    for later, what in replaced.items():
        more = f"等 {len(what)} 项" if len(what) > 3 else ""
        blockers.append(f"{_batch_name(batches[later])}又修改了{'、'.join(what[:3])}{more}，请先回滚该批次")
    return restores, sources_now, blockers


def _registry_blockers(batch: ImportBatch) -> list[str]:
    blockers = []
    current = Enterprise.objects.in_bulk([u["id"] for u in batch.undo.get("enterprises", [])])
    for update in batch.undo.get("enterprises", []):
        enterprise = current.get(update["id"])
        if enterprise is None:
            blockers.append(f"企业（id {update['id']}）已被删除")
            continue
        now = json_safe({k: _enterprise_value(enterprise, k) for k in update["new"]})
        if now != update["new"]:
            blockers.append(_changed_since(batch, "enterprises", enterprise.pk, f"企业「{enterprise.name}」"))
    created = Enterprise.objects.filter(pk__in=batch.undo.get("created_enterprises", []))
    in_use = created.filter(
        Q(annual_data__isnull=False)
        | Q(parcels__isnull=False)
        | Q(leases_in__isnull=False)
        | Q(users__isnull=False)
    ).distinct()
    for enterprise in in_use:
        blockers.append(f"本批次新增的企业「{enterprise.name}」已有年度数据、土地或账号，不能删除")
    return blockers


def _enterprise_value(enterprise: Enterprise, key: str):
    if key == "tags":
        return sorted(enterprise.tags.values_list("name", flat=True))
    return getattr(enterprise, key)


def _land_blockers(batch: ImportBatch) -> list[str]:
    blockers = []
    for kind, model, label in (("parcels", LandParcel, "宗地"), ("leases", Lease, "出租记录")):
        objects = model.objects.in_bulk([u["id"] for u in batch.undo.get(kind, [])])
        for update in batch.undo.get(kind, []):
            obj = objects.get(update["id"])
            if obj is None or json_safe({k: getattr(obj, k) for k in update["new"]}) != json_safe(
                update["new"]
            ):
                blockers.append(
                    _changed_since(batch, kind, update["id"], f"{label}「{obj or update['id']}」")
                )
        for pk in batch.undo.get(f"created_{kind}", []):
            if _later_batches_touching(batch, kind, pk):
                blockers.append(_changed_since(batch, kind, pk, f"本批次新增的{label}（id {pk}）"))
    created_leases = set(batch.undo.get("created_leases", []))
    others = Lease.objects.filter(parcel_id__in=batch.undo.get("created_parcels", [])).exclude(
        pk__in=created_leases
    )
    for lease in others.select_related("parcel"):
        blockers.append(f"本批次新增的宗地「{lease.parcel}」此后又登记了出租，不能删除")
    return blockers


@transaction.atomic
def batch_rollback(*, actor, batch: ImportBatch, reason: str = "") -> ImportBatch:
    """Restore every value the batch set to what it was before, and undo the registry and
    land rows it created or changed. Refused (nothing changed) when a later batch has
    since changed the same values."""
    if batch.source == ImportBatch.Source.PARCELS:
        from zhuanxing.maps.services import parcel_shapes_rollback  # maps imports this module

        return parcel_shapes_rollback(actor=actor, batch=batch, reason=reason)
    lock_year(batch.year)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.state == ImportBatch.State.ROLLED_BACK:
        raise ValidationError("该批次已经回滚过了")
    if batch.source in (ImportBatch.Source.MANUAL, ImportBatch.Source.DEMO):
        raise ValidationError("人工更正和演示数据批次不能在这里回滚")
    restores, sources_now, blockers = _annual_restores(batch)
    blockers += _registry_blockers(batch) + _land_blockers(batch)
    if blockers:
        raise ValidationError(blockers)
    _restore_annual(batch.year, restores, sources_now)
    _restore_registry(batch)
    _restore_land(batch)
    batch.state = ImportBatch.State.ROLLED_BACK
    batch.save(update_fields=["state"])
    record_change(
        actor=actor,
        action="导入批次回滚",
        obj=batch,
        old={"state": ImportBatch.State.APPLIED},
        new={"state": ImportBatch.State.ROLLED_BACK},
        reason=reason,
    )
    year_data_changed.send(sender=ImportBatch, year=batch.year)
    return batch


def _restore_annual(year: int, restores: dict[int, dict[str, tuple]], sources_now: dict[int, dict]) -> None:
    if not restores:
        return
    by_field: dict[str, list[tuple]] = defaultdict(list)
    sources_rows = []
    for annual_id, fields in restores.items():
        sources = dict(sources_now[annual_id])
        for name, (old_value, old_batch) in fields.items():
            value = int(old_value) if old_value is not None and name in INTEGER_FIELDS else old_value
            by_field[name].append((value, annual_id))
            if old_batch is None:
                sources.pop(name, None)
            else:
                sources[name] = old_batch
        sources_rows.append((json.dumps(sources), annual_id))
    for name, rows in by_field.items():
        sql.update(AnnualData, [name], rows)
    sql.update(AnnualData, ["sources"], sources_rows)
    # a row left with no value at all was created by the batch: it goes too
    empty = AnnualData.objects.filter(year=year, **{f"{name}__isnull": True for name in AnnualData.FIELDS})
    gone = [pk for pk, sources in empty.values_list("id", "sources") if not sources and pk in restores]
    for start in range(0, len(gone), WRITE_CHUNK):
        AnnualData.objects.filter(pk__in=gone[start : start + WRITE_CHUNK]).delete()


def _restore_registry(batch: ImportBatch) -> None:
    updates = batch.undo.get("enterprises", [])
    objects = Enterprise.objects.in_bulk([u["id"] for u in updates])
    tags = {}
    now = timezone.now()
    for update in updates:
        objects[update["id"]].updated_at = now
        for key, value in update["old"].items():
            if key == "tags":
                tags[update["id"]] = value
            else:
                field = Enterprise._meta.get_field(key)
                setattr(objects[update["id"]], key, field.to_python(value))
    fields = {k for u in updates for k in u["old"] if k != "tags"}
    if "name" in fields:  # a rolled-back rename: the initials follow the restored name
        for enterprise in objects.values():
            enterprise.refresh_search_fields()
        fields.add("name_initials")
    if fields:
        Enterprise.objects.bulk_update(list(objects.values()), [*fields, "updated_at"], batch_size=500)
    if tags:
        _set_tags(tags)
    Enterprise.objects.filter(pk__in=batch.undo.get("created_enterprises", [])).delete()


def _restore_land(batch: ImportBatch) -> None:
    Lease.objects.filter(pk__in=batch.undo.get("created_leases", [])).delete()
    for kind, model in (("leases", Lease), ("parcels", LandParcel)):
        updates = batch.undo.get(kind, [])
        objects = model.objects.in_bulk([u["id"] for u in updates])
        for update in updates:
            for key, value in update["old"].items():
                setattr(objects[update["id"]], key, model._meta.get_field(key).to_python(value))
        fields = {k for u in updates for k in u["old"]}
        if fields:
            model.objects.bulk_update(list(objects.values()), list(fields), batch_size=500)
    LandParcel.objects.filter(pk__in=batch.undo.get("created_parcels", [])).delete()
