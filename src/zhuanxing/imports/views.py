"""Import pages: upload → preview (server-side) → confirm; batches and their rollback.

Thin: permissions from access.py, reads from selectors, checks and writes from
validate/preview/services. The preview is never trusted from the browser: the uploaded
file is kept on the server under its SHA-256 and checked again when confirmed.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render

from zhuanxing.imports import access, selectors, services
from zhuanxing.imports.forms import RollbackForm, UploadForm
from zhuanxing.imports.preview import KINDS, build_preview
from zhuanxing.imports.sources import SOURCES, get_source
from zhuanxing.imports.template import template_bytes
from zhuanxing.imports.validate import check_file
from zhuanxing.jobs import services as job_services
from zhuanxing.registry.models import ImportBatch
from zhuanxing.web.exports import XLSX_TYPE, xlsx_response

BATCH_HEADERS = ["批次", "数据来源", "年度", "文件名", "导入人", "导入时间", "状态", "新增", "变更", "未变"]
CHANGE_HEADERS = ["统一社会信用代码", "企业名称", "年度", "字段", "原值", "新值", "原来源批次"]


@login_required
def import_home(request):
    access.access_imports(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        sha256, path = services.store_upload(upload)
        uploads = request.session.get(access.SESSION_KEY, {})
        uploads[sha256] = {
            "source": form.cleaned_data["source"],
            "year": form.cleaned_data["year"],
            "file_name": upload.name,
            "suffix": path.suffix,
        }
        request.session[access.SESSION_KEY] = uploads
        return redirect("imports:upload", sha256=sha256)
    filters = {"source": request.GET.get("source", ""), "year": request.GET.get("year", "")}
    batches = selectors.batch_list(**filters)
    if request.GET.get("format") == "xlsx":
        return xlsx_response("导入批次.xlsx", BATCH_HEADERS, (selectors.batch_rows(b) for b in batches))
    context = {
        "form": form,
        "sources": SOURCES.values(),
        "filters": filters,
        "page": Paginator(batches, 50).get_page(request.GET.get("page")),
        "querystring_base": "".join(f"{k}={v}&" for k, v in filters.items() if v),
    }
    return render(request, "imports/home.html", context)


@login_required
def template_download(request, source: str):
    access.access_imports(request.user)
    try:
        spec = get_source(source)
    except KeyError as exc:
        raise Http404(str(exc)) from exc
    response = HttpResponse(template_bytes(spec), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="zhuanxing-{spec.id}-template.xlsx"'
    return response


@login_required
def upload_preview(request, sha256: str):
    upload = access.access_upload(request, sha256)
    path = services.upload_path(sha256, upload["suffix"])
    if not path.exists():
        raise Http404("上传的文件已不在服务器上，请重新上传")
    context = {"upload": upload, "sha256": sha256, "source": get_source(upload["source"])}
    if request.method == "POST" and upload.get("rows", 0) > settings.ZHUANXING_JOB_THRESHOLDS["import_rows"]:
        job = job_services.job_start(
            actor=request.user,
            kind="imports.apply",
            label=f"数据导入：{upload['file_name']}（{upload['rows']:,}行）",
            params={
                "sha256": sha256,
                "suffix": upload["suffix"],
                "source": upload["source"],
                "year": upload["year"],
                "file_name": upload["file_name"],
                "rows": upload["rows"],
            },
            total=upload["rows"],
            cancellable=False,
        )
        uploads = request.session.get(access.SESSION_KEY, {})
        uploads.pop(sha256, None)
        request.session[access.SESSION_KEY] = uploads
        return redirect("jobs:job_detail", job_id=job.pk)
    if request.method == "POST":
        try:
            batch, _preview = services.batch_apply(
                actor=request.user,
                source=upload["source"],
                path=path,
                file_name=upload["file_name"],
                year=upload["year"],
            )
        except services.ImportRefused as refused:
            return render(
                request, "imports/preview.html", context | {"problems": refused.problems}, status=422
            )
        uploads = request.session.get(access.SESSION_KEY, {})
        uploads.pop(sha256, None)
        request.session[access.SESSION_KEY] = uploads
        if batch is None:
            messages.info(request, "文件内容与现有数据一致，没有需要导入的变更，未记录新的批次。")
            return redirect("imports:home")
        messages.success(
            request, f"已导入：{batch}（新增 {batch.summary['new']} 行，变更 {batch.summary['changed']} 行）"
        )
        return redirect("imports:batch_detail", pk=batch.pk)
    checked = check_file(upload["source"], path, year=upload["year"])
    context |= {"problems": checked.problems, "checked": checked}
    # the size decides whether confirming runs here or as a background job
    uploads = request.session.get(access.SESSION_KEY, {})
    if sha256 in uploads:
        uploads[sha256]["rows"] = checked.frame.height
        request.session[access.SESSION_KEY] = uploads
    if checked.ok:
        context["preview"] = build_preview(checked)
    return render(request, "imports/preview.html", context)


@login_required
def batch_detail(request, pk: int):
    batch = access.access_batch(request.user, pk)
    changes = selectors.batch_changes(batch)
    if request.GET.get("format") == "xlsx":
        rows = (
            [
                c.annual_data.enterprise.uscc,
                c.annual_data.enterprise.name,
                c.annual_data.year,
                c.field,
                c.old_value,
                c.new_value,
                str(c.old_batch or ""),
            ]
            for c in changes
        )
        return xlsx_response(f"导入批次{batch.pk}的变更.xlsx", CHANGE_HEADERS, rows)
    context = {
        "batch": batch,
        "page": Paginator(changes, 200).get_page(request.GET.get("page")),
        "querystring_base": "",
        "rollback_form": RollbackForm(),
        "can_rollback": batch.state == ImportBatch.State.APPLIED,
        "counts": [(label, batch.summary.get(kind, 0)) for kind, label in KINDS.items()],
    }
    return render(request, "imports/batch_detail.html", context)


@login_required
def batch_rollback(request, pk: int):
    batch = access.access_batch(request.user, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = RollbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写回滚原因")
        return redirect("imports:batch_detail", pk=batch.pk)
    try:
        services.batch_rollback(actor=request.user, batch=batch, reason=form.cleaned_data["reason"])
    except ValidationError as refused:
        for message in refused.messages:
            messages.error(request, f"不能回滚：{message}")
    else:
        messages.success(request, f"已回滚：{batch}，数据已恢复为导入前的值")
    return redirect("imports:batch_detail", pk=batch.pk)


@login_required
def batch_file(request, pk: int):
    batch = access.access_batch(request.user, pk)
    suffix = "." + batch.file_name.rsplit(".", 1)[-1].lower() if "." in batch.file_name else ""
    path = services.upload_path(batch.file_sha256, suffix) if batch.file_sha256 else None
    if path is None or not path.exists():
        raise Http404("该批次的原始文件没有保存在服务器上（例如命令行导入）")
    return FileResponse(open(path, "rb"), as_attachment=True, filename=batch.file_name)
