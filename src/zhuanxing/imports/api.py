"""Import JSON API: the same checks, preview, apply and rollback as the pages (staff only)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from zhuanxing.api.pagination import PageMeta, paginate
from zhuanxing.imports import access, selectors, services
from zhuanxing.imports.forms import upload_problem
from zhuanxing.imports.preview import Preview, build_preview
from zhuanxing.imports.sources import SOURCES, get_source
from zhuanxing.imports.validate import check_file

router = Router(tags=["数据导入 imports"])


class ColumnOut(Schema):
    id: str
    label: str
    header: str
    unit: str
    kind: str
    required: bool
    explanation: str


class SourceOut(Schema):
    id: str
    label: str
    department: str
    description: str
    columns: list[ColumnOut]


class ProblemOut(Schema):
    row: int | None
    column: str | None
    value: str | None
    reason: str
    message: str


class FieldChangeOut(Schema):
    field: str
    label: str
    old: str | None
    new: str | None


class RowChangeOut(Schema):
    kind: str
    rows: list[int]
    key: str
    name: str
    fields: list[FieldChangeOut]


class CheckOut(Schema):
    ok: bool
    rows: int
    problems: list[ProblemOut]
    notices: list[str]
    counts: dict[str, int]
    values: int
    samples: dict[str, list[RowChangeOut]]


class BatchOut(Schema):
    id: int
    source: str
    source_label: str
    year: int | None
    file_name: str
    file_sha256: str
    created_by: str | None
    created_at: dt.datetime
    state: str
    summary: dict


class BatchPage(PageMeta):
    items: list[BatchOut]


class ApplyOut(Schema):
    applied: bool
    batch: BatchOut | None
    counts: dict[str, int]


class RollbackIn(Schema):
    reason: str


def _batch(batch) -> dict:
    return {
        "id": batch.pk,
        "source": batch.source,
        "source_label": batch.get_source_display(),
        "year": batch.year,
        "file_name": batch.file_name,
        "file_sha256": batch.file_sha256,
        "created_by": str(batch.created_by) if batch.created_by else None,
        "created_at": batch.created_at,
        "state": batch.state,
        "summary": batch.summary,
    }


def _problem(p) -> dict:
    value = None if p.value is None else str(p.value)
    return {"row": p.row, "column": p.column, "value": value, "reason": p.reason, "message": str(p)}


def _source(source: str):
    try:
        return get_source(source)
    except KeyError as exc:
        raise Http404(str(exc)) from exc


@router.get("/sources", response=list[SourceOut], summary="导入的数据来源及其模板列")
def list_import_sources(request):
    access.access_imports(request.user)
    return [
        {
            "id": s.id,
            "label": s.label,
            "department": s.department,
            "description": s.description,
            "columns": [
                {
                    "id": c.id,
                    "label": c.label,
                    "header": c.header,
                    "unit": c.unit,
                    "kind": c.kind,
                    "required": c.required,
                    "explanation": c.explanation,
                }
                for c in s.columns
            ],
        }
        for s in SOURCES.values()
    ]


def _refuse_bad_upload(file) -> None:
    """The page's size and type limits hold for the API too, before anything is stored."""
    problem = upload_problem(file)
    if problem:
        raise ValidationError({"file": [problem]})


@router.post("/{source}/check", response=CheckOut, summary="检查文件并预览变更（不写入）")
def check_import(request, source: str, year: Form[int], file: File[UploadedFile]):
    access.access_imports(request.user)
    spec = _source(source)
    _refuse_bad_upload(file)
    suffix = Path(file.name).suffix.lower()
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        for block in file.chunks():
            handle.write(block)
        handle.flush()
        checked = check_file(spec, handle.name, year=year)
        preview = build_preview(checked) if checked.ok else Preview(checked)
    return {
        "ok": checked.ok,
        "rows": checked.rows,
        "problems": [_problem(p) for p in checked.problems],
        "notices": checked.notices,
        "counts": preview.counts,
        "values": preview.values,
        "samples": {
            kind: [vars(r) | {"fields": [vars(f) for f in r.fields]} for r in rows]
            for kind, rows in preview.samples.items()
        },
    }


@router.post("/{source}/apply", response={200: ApplyOut, 201: ApplyOut}, summary="检查并导入（全部或全不）")
def apply_import(request, source: str, year: Form[int], file: File[UploadedFile]):
    access.access_imports(request.user)
    spec = _source(source)
    _refuse_bad_upload(file)
    _sha256, path = services.store_upload(file)
    batch, preview = services.batch_apply(
        actor=request.user, source=spec.id, path=path, file_name=file.name, year=year
    )
    result = {
        "applied": batch is not None,
        "batch": _batch(batch) if batch else None,
        "counts": preview.counts,
    }
    return Status(201 if batch else 200, result)


@router.get("/batches", response=BatchPage, summary="导入批次列表")
def list_import_batches(request, source: str = "", year: str = "", page: int = 1, page_size: int = 50):
    access.access_imports(request.user)
    items, meta = paginate(selectors.batch_list(source=source, year=year), page, page_size)
    return {**meta, "items": [_batch(b) for b in items]}


@router.get("/batches/{pk}", response=BatchOut, summary="导入批次详情")
def get_import_batch(request, pk: int):
    return _batch(access.access_batch(request.user, pk))


@router.post("/batches/{pk}/rollback", response=BatchOut, summary="回滚导入批次（恢复导入前的值）")
def rollback_import_batch(request, pk: int, payload: RollbackIn):
    batch = access.access_batch(request.user, pk)
    return _batch(services.batch_rollback(actor=request.user, batch=batch, reason=payload.reason))
