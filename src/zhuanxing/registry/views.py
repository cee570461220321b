"""Registry pages. Thin: permissions from access.py, reads from selectors, writes from services."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import urlencode

from zhuanxing.jobs import services as job_services
from zhuanxing.registry import access, selectors, services
from zhuanxing.registry.forms import EnterpriseForm
from zhuanxing.registry.models import Enterprise, IndustryCluster, Tag, Town
from zhuanxing.web.exports import xlsx_response

FILTER_KEYS = ("q", "town", "industry", "cluster", "scale", "tag", "status", "sort")
EXPORT_HEADERS = [
    "企业名称",
    "统一社会信用代码",
    "镇街",
    "行业代码",
    "行业",
    "规模",
    "状态",
    "成立日期",
    "标签",
]
PAGE_SIZE = 50


def _filters(request) -> dict[str, str]:
    data = request.POST if request.method == "POST" else request.GET
    return {key: data.get(key, "").strip() for key in FILTER_KEYS}


def _export(request, queryset, filters):
    """A small list downloads at once; a large one is written by a background job (started by
    the POST of the page this shows), whose page offers the file."""
    if queryset.count() <= settings.ZHUANXING_JOB_THRESHOLDS["export_rows"]:
        return xlsx_response("企业库.xlsx", EXPORT_HEADERS, selectors.enterprise_export_rows(queryset))
    if request.method == "POST":
        job = job_services.job_start(
            actor=request.user,
            kind="registry.export",
            label=f"企业名录导出（{queryset.count():,}家）",
            params={"filters": filters},
            total=queryset.count(),
        )
        return redirect("jobs:job_detail", job_id=job.pk)
    context = {"count": queryset.count(), "filters": filters}
    return render(request, "registry/export_start.html", context)


@login_required
def enterprise_list(request):
    access.access_enterprise_list(request.user)
    filters = _filters(request)
    queryset = selectors.enterprise_search(access.enterprises_visible_to(request.user), **filters)
    if request.GET.get("format") == "xlsx" or request.POST.get("format") == "xlsx":
        return _export(request, queryset, filters)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "querystring_base": urlencode({k: v for k, v in filters.items() if v}) + "&"
        if any(filters.values())
        else "",
        "towns": Town.objects.all(),
        "clusters": IndustryCluster.objects.all(),
        "tags": Tag.objects.all(),
        "scales": Enterprise.Scale.choices,
        "statuses": Enterprise.Status.choices,
        "can_edit": access.can_edit_enterprises(request.user),
    }
    template = "registry/_enterprise_table.html" if request.htmx else "registry/enterprise_list.html"
    return render(request, template, context)


@login_required
def enterprise_suggest(request):
    """The picker's suggestions as <option>s for its <datalist> (see web.forms.EnterprisePicker)."""
    visible = access.access_enterprise_suggest(request.user)
    typed = request.GET.get(request.GET.get("field", "q"), "")
    suggestions = selectors.enterprise_suggestions(visible, typed)
    return render(request, "registry/enterprise_suggestions.html", {"suggestions": suggestions})


@login_required
def enterprise_detail(request, uscc: str):
    enterprise = access.access_enterprise_for_user(request.user, uscc)
    context = {
        "enterprise": enterprise,
        "tags": enterprise.tags.all(),
        "clusters": selectors.enterprise_clusters(enterprise),
        "parcels": enterprise.parcels.prefetch_related("leases__tenant"),
        "leases_in": enterprise.leases_in.select_related("parcel__owner"),
        "annual": selectors.annual_table(selectors.annual_rows_with_provenance(enterprise)),
        "history": selectors.annual_history(enterprise),
        "can_edit": access.can_edit_enterprises(request.user),
    }
    return render(request, "registry/enterprise_detail.html", context)


def _save_form(request, form: EnterpriseForm, enterprise: Enterprise | None):
    data = form.cleaned_data
    fields = {k: v for k, v in data.items() if k not in ("tags", "reason")}
    tags = [t.strip() for t in data.get("tags", "").replace("，", ",").split(",") if t.strip()]
    try:
        if enterprise is None:
            return services.enterprise_create(actor=request.user, tags=tags, **fields)
        return services.enterprise_update(
            actor=request.user, enterprise=enterprise, tags=tags, reason=data.get("reason", ""), **fields
        )
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return None


@login_required
def enterprise_create(request):
    access.access_enterprise_edit(request.user)
    form = EnterpriseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        enterprise = _save_form(request, form, None)
        if enterprise:
            messages.success(request, f"已新增企业：{enterprise.name}")
            return redirect("registry:enterprise_detail", uscc=enterprise.uscc)
    return render(request, "registry/enterprise_form.html", {"form": form, "enterprise": None})


@login_required
def enterprise_edit(request, uscc: str):
    access.access_enterprise_edit(request.user)
    enterprise = access.access_enterprise_for_user(request.user, uscc)
    form = EnterpriseForm(request.POST or None, instance=enterprise)
    if request.method == "POST" and form.is_valid():
        saved = _save_form(request, form, enterprise)
        if saved:
            messages.success(request, f"已保存：{saved.name}")
            return redirect("registry:enterprise_detail", uscc=saved.uscc)
    return render(request, "registry/enterprise_form.html", {"form": form, "enterprise": enterprise})
