"""Campaign pages. Thin: permissions from access.py, reads from selectors, writes from services
(through forms.save_input); every record type is served by the same views from its spec."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from zhuanxing.campaigns import access, charts, selectors, services, sheets
from zhuanxing.campaigns.figures import FIGURES
from zhuanxing.campaigns.forms import RecordForm, save_input
from zhuanxing.campaigns.records import GROUPS, SPECS, RecordSpec, spec_for
from zhuanxing.params import int_param
from zhuanxing.registry.models import Town
from zhuanxing.tabular import READABLE_SUFFIXES
from zhuanxing.web.exports import XLSX_TYPE, file_response

PAGE_SIZE = 50
UPLOAD_DIR = "campaign-imports"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
UPLOAD_LIFETIME_SECONDS = 24 * 3600
SESSION_KEY = "campaign_imports"


def _int(text: str | None) -> int | None:
    return int_param(text)


def _filters(request, spec: RecordSpec) -> dict[str, str]:
    return {
        "year": request.GET.get("year", "").strip() if "year" in spec.fields else "",
        "town": request.GET.get("town", "").strip() if spec.town_path else "",
    }


def _records(request, spec: RecordSpec, filters: dict[str, str]):
    records = access.records_visible_to(request.user, spec).select_related(*spec.related())
    if _int(filters["year"]):
        records = records.filter(year=int(filters["year"]))
    if filters["town"]:
        records = records.filter(**{f"{spec.town_path}__code": filters["town"]})
    return records


@login_required
def index(request):
    access.access_campaigns(request.user)
    groups = []
    for group in GROUPS:
        specs = [
            spec for spec in SPECS.values() if spec.group == group and access.may_read(request.user, spec)
        ]
        lists = [
            {"spec": spec, "count": access.records_visible_to(request.user, spec).count()} for spec in specs
        ]
        if lists:
            groups.append({"name": group, "lists": lists})
    context = {"groups": groups, "may_see_progress": access.may_see_summary(request.user)}
    return render(request, "campaigns/index.html", context)


def _class_cells(spec: RecordSpec, records: list) -> list[str] | None:
    """The 亩均效益 class of each listed enterprise in the record's year."""
    if not spec.shows_evaluation_class:
        return None
    by_year = {
        year: selectors.evaluation_classes(year, [r.enterprise_id for r in records if r.year == year])
        for year in {record.year for record in records}
    }
    return [by_year[record.year].get(record.enterprise_id, "") for record in records]


@login_required
def record_list(request, kind: str):
    spec = spec_for(kind)
    access.access_list(request.user, spec)
    filters = _filters(request, spec)
    page = Paginator(_records(request, spec, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    records = list(page)
    classes = _class_cells(spec, records)
    rows = [
        {
            "record": record,
            "cells": spec.display(record),
            "evaluation_class": classes[index] if classes is not None else None,
            "editable": access.may_edit(request.user, spec, record),
        }
        for index, record in enumerate(records)
    ]
    shown_filters = {k: v for k, v in filters.items() if v}
    context = {
        "spec": spec,
        "page": page,
        "rows": rows,
        "headings": spec.headings() + (["亩均评价等级"] if classes is not None else []),
        "filters": filters,
        "filter_query": urlencode(shown_filters),
        "querystring_base": urlencode(shown_filters) + "&" if shown_filters else "",
        "years": selectors.record_years() if "year" in spec.fields else [],
        "towns": Town.objects.all() if spec.town_path else [],
        "can_create": access.may_create(request.user, spec),
    }
    return render(request, "campaigns/record_list.html", context)


@login_required
def record_export(request, kind: str):
    spec = spec_for(kind)
    access.access_list(request.user, spec)
    filters = _filters(request, spec)
    content = sheets.export_bytes(spec, _records(request, spec, filters).iterator(chunk_size=1000))
    return file_response(content, f"{spec.title}{filters['year'] or ''}.xlsx", XLSX_TYPE)


@login_required
def record_template(request, kind: str):
    spec = spec_for(kind)
    access.access_create(request.user, spec)
    return file_response(sheets.template_bytes(spec), f"{spec.title}导入模板.xlsx", XLSX_TYPE)


def _render_form(request, spec: RecordSpec, form: RecordForm, record=None):
    return render(request, "campaigns/record_form.html", {"spec": spec, "form": form, "record": record})


def _submit(request, spec: RecordSpec, form: RecordForm, record=None):
    """Save a valid form; on a problem, put it on the form and return None."""
    cells = {k: v for k, v in form.cleaned_data.items() if k != "reason"}
    try:
        return save_input(
            user=request.user,
            spec=spec,
            cells=cells,
            record=record,
            reason=form.cleaned_data.get("reason", ""),
        )
    except ValidationError as exc:
        form.add_errors(exc)
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
    return None


@login_required
def record_create(request, kind: str):
    spec = spec_for(kind)
    access.access_create(request.user, spec)
    form = RecordForm(spec, request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = _submit(request, spec, form)
        if saved is not None:
            messages.success(request, f"已登记：{saved}")
            return redirect("campaigns:record_list", kind=spec.key)
    return _render_form(request, spec, form)


@login_required
def record_edit(request, kind: str, pk: int):
    spec = spec_for(kind)
    record = access.access_record_edit(request.user, spec, pk)
    form = RecordForm(spec, request.POST or None, record=record)
    if request.method == "POST" and form.is_valid():
        saved = _submit(request, spec, form, record)
        if saved is not None:
            messages.success(request, f"已保存：{saved}")
            return redirect("campaigns:record_list", kind=spec.key)
    return _render_form(request, spec, form, record)


@login_required
@require_POST
def record_delete(request, kind: str, pk: int):
    spec = spec_for(kind)
    record = access.access_record_edit(request.user, spec, pk)
    try:
        services.record_delete(
            actor=request.user, spec=spec, record=record, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("campaigns:record_edit", kind=spec.key, pk=pk)
    messages.success(request, f"已删除：{record}")
    return redirect("campaigns:record_list", kind=spec.key)


# ---------------------------------------------------------------- import: upload -> preview -> confirm


def _upload_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / UPLOAD_DIR
    folder.mkdir(parents=True, exist_ok=True)
    # Uploads never confirmed are removed after a day.
    for old in folder.iterdir():
        if old.stat().st_mtime < time.time() - UPLOAD_LIFETIME_SECONDS:
            old.unlink(missing_ok=True)
    return folder


def _check(request, spec: RecordSpec, pending: dict):
    return sheets.check_upload(
        spec,
        Path(pending["path"]),
        may_write=lambda record: access.may_edit(request.user, spec, record),
        default_year=pending["year"],
    )


def _render_import(
    request, spec: RecordSpec, *, plan=None, token: str = "", file_name: str = "", error: str = ""
):
    context = {
        "spec": spec,
        "plan": plan,
        "token": token,
        "file_name": file_name,
        "error": error,
        "this_year": dt.date.today().year,
        "preview_rows": plan.rows[:200] if plan else [],
    }
    return render(request, "campaigns/record_import.html", context)


@login_required
def record_import(request, kind: str):
    spec = spec_for(kind)
    access.access_create(request.user, spec)
    if request.method != "POST":
        return _render_import(request, spec)
    upload = request.FILES.get("file")
    suffix = Path(upload.name).suffix.lower() if upload else ""
    if upload is None or suffix not in READABLE_SUFFIXES:
        return _render_import(request, spec, error="请选择 xlsx、xls、csv 或 parquet 文件")
    if upload.size > MAX_UPLOAD_BYTES:
        return _render_import(request, spec, error="文件超过 20 MB，请拆分后导入")
    token = uuid.uuid4().hex
    path = _upload_dir() / f"{token}{suffix}"
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    pending = {
        "kind": spec.key,
        "path": str(path),
        "name": upload.name,
        "year": _int(request.POST.get("year")),
    }
    request.session[SESSION_KEY] = {**request.session.get(SESSION_KEY, {}), token: pending}
    return _render_import(
        request, spec, plan=_check(request, spec, pending), token=token, file_name=upload.name
    )


@login_required
@require_POST
def record_import_confirm(request, kind: str):
    spec = spec_for(kind)
    access.access_create(request.user, spec)
    token = request.POST.get("token", "")
    pending = request.session.get(SESSION_KEY, {}).get(token)
    if pending is None or pending["kind"] != spec.key or not Path(pending["path"]).exists():
        return _render_import(request, spec, error="导入文件已失效，请重新上传")
    # Checked again: the records may have changed since the preview.
    plan = _check(request, spec, pending)
    if plan.problems:
        return _render_import(request, spec, plan=plan, token=token, file_name=pending["name"])
    counts = services.import_apply(actor=request.user, spec=spec, rows=plan.rows, file_name=pending["name"])
    Path(pending["path"]).unlink(missing_ok=True)
    request.session[SESSION_KEY] = {k: v for k, v in request.session[SESSION_KEY].items() if k != token}
    messages.success(
        request,
        f"已导入「{pending['name']}」：新增 {counts['new']} 条，更新 {counts['changed']} 条，未变 {counts['unchanged']} 条",
    )
    return redirect("campaigns:record_list", kind=spec.key)


# ---------------------------------------------------------------- progress


@login_required
def progress(request):
    access.access_summary(request.user)
    years = selectors.record_years()
    year = _int(request.GET.get("year")) or (years[0] if years else dt.date.today().year)
    summary = selectors.campaign_summary(year)
    town_figure = FIGURES.get(request.GET.get("figure", "")) or FIGURES["automation_projects"]
    by_town = selectors.figures_by_town(year)
    context = {
        "year": year,
        "years": sorted(set(years) | {year}, reverse=True),
        "summary": summary,
        "figures": FIGURES.values(),
        "town_figure": town_figure,
        "by_town": by_town,
        "charts": charts.progress_charts(summary, by_town, town_figure),
    }
    return render(request, "campaigns/progress.html", context)
