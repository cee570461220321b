"""The district cockpit (驾驶舱): the reply's figures for a year, with drill-down, xlsx and PDF."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhuanxing.dashboard import access, charts, selectors, services
from zhuanxing.dashboard.dossier import dossier as dossier_sections
from zhuanxing.dashboard.figures import FIGURES, compute_figures
from zhuanxing.dashboard.models import EnterpriseWarning
from zhuanxing.dashboard.pdf import cockpit_pdf
from zhuanxing.params import int_param, year_param
from zhuanxing.registry.models import Town
from zhuanxing.web.charts import line_chart
from zhuanxing.web.exports import file_response, xlsx_response


def _choice(request) -> tuple[int, Town | None, list[int]]:
    years = selectors.cockpit_years()
    year = year_param(request.GET.get("year")) or selectors.default_year()
    town_id = int_param(request.GET.get("town"))
    town = Town.objects.filter(pk=town_id).first() if town_id else None
    return year, town, sorted(set(years) | {year}, reverse=True)


def _rows(year: int, town: Town | None) -> list[dict]:
    rows = []
    for value in compute_figures(year, town):
        definition = FIGURES[value.code]
        rows.append(
            {"figure": value, "group": definition.group, "how": definition.how, "by_town": definition.by_town}
        )
    return rows


@login_required
def cockpit(request):
    access.access_cockpit(request.user)
    year, town, years = _choice(request)
    rows = _rows(year, town)
    context = {
        "year": year,
        "years": years,
        "town": town,
        "towns": Town.objects.all(),
        "rows": rows,
        "has_data": any(row["figure"].value is not None for row in rows),
        "charts": charts.cockpit_charts(year),
    }
    return render(request, "dashboard/cockpit.html", context)


def _export_rows(year: int, town: Town | None):
    for row in _rows(year, town):
        figure = row["figure"]
        parts = "；".join(f"{label} {value}" for label, value in figure.parts)
        yield [
            row["group"],
            figure.code,
            figure.label,
            figure.unit,
            figure.value if figure.value is not None else "暂无数据",
            figure.previous,
            figure.change,
            parts,
            figure.source,
            figure.link,
        ]


@login_required
def cockpit_xlsx(request):
    access.access_cockpit(request.user)
    year, town, _years = _choice(request)
    headers = [
        "类别",
        "指标代码",
        "指标",
        "单位",
        f"{year}年",
        f"{year - 1}年",
        "增减",
        "分项",
        "数据来源",
        "明细链接",
    ]
    place = f"_{town.name}" if town else ""
    return xlsx_response(
        f"驾驶舱_{year}{place}.xlsx", headers, _export_rows(year, town), sheet=f"{year}年指标"
    )


@login_required
def cockpit_pdf_view(request):
    access.access_cockpit(request.user)
    year, town, _years = _choice(request)
    content = cockpit_pdf(year, town, _rows(year, town))
    place = f"_{town.name}" if town else ""
    return file_response(content, f"驾驶舱_{year}{place}.pdf", "application/pdf")


@login_required
def dossier(request, enterprise_id: int):
    enterprise = access.access_dossier(request.user, enterprise_id)
    sections = dossier_sections(enterprise)
    evaluations = sections["evaluations"]
    trend = None
    if evaluations:
        trend = line_chart(
            [str(row["year"]) for row in evaluations],
            {
                _("综合得分"): [row["total"] for row in evaluations],
                _("亩均税收（万元/亩）"): [row["tax_per_mu"] for row in evaluations],
            },
            title=_("综合得分与亩均税收走势"),
        )
    warnings = (
        access.warnings_visible_to(request.user, EnterpriseWarning.objects.filter(enterprise=enterprise))
        .exclude(state__in=[EnterpriseWarning.State.HANDLED, EnterpriseWarning.State.FALSE_ALARM])
        .order_by("-year", "rule")
    )
    sections["warnings"] = [f"{w.year} {w.label}（{w.state}）" for w in warnings]
    return render(
        request, "dashboard/dossier.html", {"enterprise": enterprise, "d": sections, "trend": trend}
    )


@login_required
def warning_list(request):
    access.access_warnings(request.user)
    state = request.GET.get("state", EnterpriseWarning.State.NEW)
    town = int_param(request.GET.get("town"))
    warnings = access.warnings_visible_to(request.user).select_related("enterprise__town")
    if state in EnterpriseWarning.State.values:
        warnings = warnings.filter(state=state)
    if town:
        warnings = warnings.filter(enterprise__town_id=town)
    page = Paginator(warnings.order_by("-year", "enterprise__town__order", "enterprise__name", "rule"), 50)
    return render(
        request,
        "dashboard/warning_list.html",
        {
            "page": page.get_page(request.GET.get("page")),
            "state": state,
            "states": EnterpriseWarning.State.choices,
            "town": town,
            "towns": Town.objects.all(),
            "may_edit_rules": access.may_edit_warning_rules(request.user),
        },
    )


@login_required
@require_POST
def warning_move(request, warning_id: int):
    warning = access.access_warning(request.user, warning_id)
    try:
        services.warning_move(
            actor=request.user,
            warning=warning,
            to=request.POST.get("to", ""),
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        from django.contrib import messages

        messages.error(request, "；".join(exc.messages))
    return redirect(request.POST.get("next") or "dashboard:warning_list")


@login_required
def warning_rules_edit(request):
    access.access_warning_rules(request.user)
    problems: list[str] = []
    text = services.active_rules_text()
    if request.method == "POST":
        text = request.POST.get("text", "")
        try:
            services.warning_rules_save(actor=request.user, text=text)
        except ValidationError as exc:
            problems = [m for messages in exc.message_dict.values() for m in messages]
        else:
            from django.contrib import messages

            messages.success(request, "预警规则已保存，下次导入或评价后按新规则计算。")
            return redirect("dashboard:warning_rules")
    return render(request, "dashboard/warning_rules.html", {"text": text, "problems": problems})
