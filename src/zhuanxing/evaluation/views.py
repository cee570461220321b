"""Evaluation pages. Thin: permissions from access.py, reads from selectors, writes from services."""

from __future__ import annotations

import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from zhuanxing.campaigns.selectors import enterprises_with_actions
from zhuanxing.evaluation import access, forms, policies, report_cards, selectors, services, simulation
from zhuanxing.evaluation import whatif as whatif_mod
from zhuanxing.evaluation.models import EvaluationResult, EvaluationRun, Objection
from zhuanxing.evaluation.report_pdf import report_card_pdf
from zhuanxing.jobs import services as job_services
from zhuanxing.params import int_param
from zhuanxing.registry.models import AnnualData, Enterprise, IndustryCluster, Town
from zhuanxing.web import charts, exports

RESULT_FILTERS = ("town", "industry", "cluster", "klass", "group", "q", "sort")
LOW_CLASS_SHOWN = 100


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
def run_list(request):
    runs = access.runs_visible_to(request.user).select_related("created_by", "previous")
    context = {"runs": runs, "can_manage": access.can_manage(request.user), "flag_form": forms.FlagForm()}
    return render(request, "evaluation/run_list.html", context)


@login_required
def run_create(request):
    """Evaluate a year: at once for a small year, else as a background job whose page shows
    the progress and opens the results when done."""
    access.access_manage(request.user)
    form = forms.RunCreateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        arguments = {
            "year": year,
            "scheme_id": form.cleaned_data["scheme_id"],
            "scheme_text": form.scheme_text(),
            "note": form.cleaned_data["note"],
        }
        size = AnnualData.objects.filter(year=year).count()
        try:
            if size > settings.ZHUANXING_JOB_THRESHOLDS["evaluation_run"]:
                services.scheme_from(scheme_id=arguments["scheme_id"], scheme_text=arguments["scheme_text"])
                job = job_services.job_start(
                    actor=request.user,
                    kind="evaluation.run",
                    label=f"{year}年度亩均效益评价（{size:,}家企业）",
                    params=arguments,
                    total=size,
                )
                return redirect("jobs:job_detail", job_id=job.pk)
            run = services.run_create(actor=request.user, **arguments)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"评价完成：{run.summary.get('evaluated', 0)} 家企业")
            return redirect("evaluation:run_detail", run_id=run.pk)
    return render(request, "evaluation/run_create.html", {"form": form})


@login_required
def run_detail(request, run_id: int):
    run = access.access_run(request.user, run_id)
    filters = {key: request.GET.get(key, "").strip() for key in RESULT_FILTERS}
    results = selectors.result_search(access.results_visible_to(request.user, run), **filters)
    scheme = selectors.run_scheme(run)
    if request.GET.get("format") == "xlsx":
        return _results_xlsx(run, scheme, results)
    page = Paginator(results, 50).get_page(request.GET.get("page"))
    measures = selectors.scheme_policies(run)
    for result in page:
        result.worth = (
            [] if result.exempt else policies.class_worth(measures, result.final_class, result.inputs)
        )
    context = {
        "run": run,
        "page": page,
        "filters": filters,
        "querystring_base": urlencode({k: v for k, v in filters.items() if v}) + "&"
        if any(filters.values())
        else "",
        "towns": Town.objects.all(),
        "clusters": IndustryCluster.objects.all(),
        "classes": scheme.classes,
        "groups": scheme.groups,
        "group_labels": {g.id: g.label for g in scheme.groups},
        "can_manage": access.can_manage(request.user),
        "publish_form": forms.PublishForm(),
        "reason_form": forms.ReasonForm(),
        "open_objections": Objection.objects.filter(result__run=run, state=Objection.State.OPEN).count(),
        "policy_departments": sorted(
            {m.get("department", policies.DEFAULT_DEPARTMENT) for m in selectors.scheme_policies(run)}
        ),
    }
    template = "evaluation/_result_table.html" if request.htmx else "evaluation/run_detail.html"
    return render(request, template, context)


def _results_xlsx(run: EvaluationRun, scheme, results):
    indicators = scheme.indicators()
    headers = ["统一社会信用代码", "企业名称", "镇街", "行业代码", "评价组"]
    for indicator in indicators:
        headers += [f"{indicator.label}指标值", f"{indicator.label}基准值", f"{indicator.label}得分"]
    headers += [
        "加减分",
        "总分",
        "排名",
        "排名百分位",
        "初评等级",
        "评定等级",
        "调档等级",
        "调档原因",
        "不评级",
        "原因",
    ]
    group_labels = {g.id: g.label for g in scheme.groups}

    def rows():
        for r in results.iterator(chunk_size=2000):
            row = [
                r.enterprise.uscc,
                r.enterprise.name,
                r.enterprise.town.name,
                r.enterprise.industry_id,
                group_labels.get(r.group, r.group),
            ]
            for indicator in indicators:
                parts = r.indicators.get(indicator.id, {})
                row += [parts.get("value"), parts.get("benchmark"), parts.get("score")]
            row += [
                r.adjustment,
                r.total,
                r.rank,
                r.percentile,
                r.initial_class,
                r.computed_class,
                r.regraded_class,
                r.regrade_reason,
                r.exempt,
                r.reasons,
            ]
            yield row

    return exports.xlsx_response(
        f"亩均评价-{run.year}-第{run.version}版.xlsx", headers, rows(), sheet="评价结果"
    )


@login_required
def policy_export(request, run_id: int):
    access.access_manage(request.user)
    run = access.access_run(request.user, run_id)
    department = request.GET.get("department", "")
    rows = policies.policy_measures(run).get(department, [])
    return exports.xlsx_response(
        f"差别化政策-{run.year}-{department}.xlsx",
        policies.POLICY_HEADERS,
        policies.policy_rows(rows),
        sheet=department or "措施",
    )


@login_required
@require_POST
def run_action(request, run_id: int, action: str):
    access.access_manage(request.user)
    run = access.access_run(request.user, run_id)
    try:
        if action == "publish":
            form = forms.PublishForm(request.POST)
            days = form.cleaned_data["days"] if form.is_valid() else 0
            services.run_publish(actor=request.user, run=run, days=days)
            messages.success(
                request, f"已开始公示，截止 {EvaluationRun.objects.get(pk=run.pk).publish_until}"
            )
        elif action == "finalize":
            services.run_finalize(actor=request.user, run=run)
            messages.success(request, "已定档")
        elif action == "rerun":
            revision = services.run_rerun(actor=request.user, run=run, reason=request.POST.get("reason", ""))
            messages.success(request, f"已生成第{revision.version}版")
            return redirect("evaluation:run_diff", run_id=revision.pk)
        elif action == "delete":
            services.run_delete_draft(actor=request.user, run=run)
            messages.success(request, "草稿已删除")
            return redirect("evaluation:run_list")
        else:
            messages.error(request, f"未知的操作：{action}")
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("evaluation:run_detail", run_id=run.pk)


@login_required
def run_diff(request, run_id: int):
    run = access.access_run(request.user, run_id)
    return render(request, "evaluation/run_diff.html", {"run": run, "changes": selectors.run_diff(run)})


def _chart_series(rows: list[str], table: dict, classes: list[str]) -> dict[str, list[int]]:
    return {klass: [table[row].get(klass, 0) for row in rows] for klass in classes}


@login_required
def analysis(request):
    access.access_analysis(request.user)
    runs = list(access.runs_visible_to(request.user).order_by("-year", "-version"))
    if not runs:
        return render(request, "evaluation/analysis.html", {"runs": runs})
    chosen = next((r for r in runs if str(r.pk) == request.GET.get("run")), runs[0])
    results = access.results_visible_to(request.user, chosen)
    classes = [c.code for c in selectors.run_scheme(chosen).classes]
    towns, by_town = selectors.class_counts_by(results, "enterprise__town__name")
    divisions, by_division = selectors.class_counts_by(results, "enterprise__industry__parent__parent__name")
    scheme = selectors.run_scheme(chosen)
    labels = {i.id: f"{i.label}（{i.unit}）" if i.unit else i.label for i in scheme.indicators()}
    distributions = selectors.indicator_distributions(chosen)
    low_class = selectors.low_class_enterprises(chosen).filter(pk__in=results.values("pk"))
    context = {
        "runs": runs,
        "run": chosen,
        "town_chart": charts.bar_chart(
            towns,
            _chart_series(towns, by_town, classes),
            title="各镇街分类企业数",
            colours=charts.CLASS_COLOURS,
        ),
        "industry_chart": charts.bar_chart(
            divisions,
            _chart_series(divisions, by_division, classes),
            title="各行业大类分类企业数",
            colours=charts.CLASS_COLOURS,
        ),
        "histograms": [
            charts.histogram(values, title=labels.get(key, key), x_label=labels.get(key, key))
            for key, values in distributions.items()
        ],
        "low_class": low_class[:LOW_CLASS_SHOWN],
        "low_class_total": low_class.count(),
        "exit_actions": enterprises_with_actions(chosen.year),
    }
    compare = next((r for r in runs if str(r.pk) == request.GET.get("compare")), None)
    if compare is not None and compare.pk != chosen.pk:
        matrix = selectors.transition_matrix(compare, chosen)
        axis = [*classes, "不评级"]
        counts = [[matrix.get((old, new), 0) for new in axis] for old in axis]
        context["compare"] = compare
        context["transition"] = list(zip(axis, counts, strict=True))
        context["transition_axis"] = axis
        context["transition_chart"] = charts.heatmap(
            axis, axis, counts, title=f"{compare.year}年度（纵轴）→ {chosen.year}年度（横轴）等级变化"
        )
    return render(request, "evaluation/analysis.html", context)


def _card_context(request, result: EvaluationResult) -> dict:
    card = selectors.report_card(result)
    lines = [line for line in card["lines"] if line["benchmark"]]
    if len(lines) >= 3:
        card["radar"] = charts.radar(
            [line["label"] for line in lines],
            {
                "本企业（基准=1）": [round((line["value"] or 0) / line["benchmark"], 3) for line in lines],
                "基准": [1.0] * len(lines),
            },
            title="各指标相对基准",
        )
    user = request.user
    is_own = access.is_own_result(user, result)
    card["can_object"] = access.may_object(user, result)  # also closed once the notice has ended
    card["objection_form"] = forms.ObjectionForm() if card["can_object"] else None
    card["objections"] = result.objections.all() if (is_own or access.can_manage(user)) else []
    card["field_labels"] = services.OBJECTION_FIELDS
    card["can_regrade"] = (
        access.can_manage(user) and result.run.state == EvaluationRun.State.FINAL and not result.exempt
    )
    card["regrade_form"] = forms.RegradeForm() if card["can_regrade"] else None
    card["classes"] = selectors.run_scheme(result.run).classes
    card["worth"] = (
        []
        if result.exempt
        else policies.class_worth(selectors.scheme_policies(result.run), result.final_class, result.inputs)
    )
    return card


@login_required
def report_card(request, result_id: int):
    result = access.access_result(request.user, result_id)
    return render(request, "evaluation/report_card.html", _card_context(request, result))


@login_required
def whatif(request, run_id: int):
    """方案推演: change the scheme's numbers beside it and see what the run would become.
    Nothing is saved; ``download=1`` hands the changed scheme over as a YAML draft."""
    access.access_manage(request.user)
    run = access.access_run(request.user, run_id)
    values = {key: value for key, value in request.GET.items() if key.startswith("g")}
    groups = whatif_mod.form_fields(run)
    context = {
        "run": run,
        "groups": groups,
        "values": values,
        "errors": {},
        "problems": [],
        "comparison": None,
    }
    if values:
        text, errors, problems = whatif_mod.apply_edits(run, values)
        context.update(errors=errors, problems=problems)
        if text is not None:
            if request.GET.get("download"):
                return exports.file_response(
                    text.encode("utf-8"), f"{run.scheme_id}-推演草稿.yaml", "application/x-yaml"
                )
            context["comparison"] = whatif_mod.compare(run, text)
    for group in groups:
        for line in group["indicators"]:
            for key in ("weight", "benchmark", "cap"):
                if line[key]:
                    name, default = line[key]
                    line[key] = {
                        "name": name,
                        "value": values.get(name, default),
                        "error": context["errors"].get(name),
                    }
        group["limits"] = [
            {
                "code": code,
                "name": name,
                "value": values.get(name, default),
                "error": context["errors"].get(name),
            }
            for code, name, default in group["limits"]
        ]
    template = "evaluation/_whatif_result.html" if request.htmx else "evaluation/whatif.html"
    return render(request, template, context)


@login_required
def simulate(request, result_id: int):
    """企业模拟测算: the enterprise's figures edited against the run held fixed; nothing is saved.
    GET shows the form with the current figures; a GET with figures (htmx, as they are
    typed) answers with the recomputed total, class and lift table."""
    result = access.access_result(request.user, result_id)
    fields = simulation.editable_fields(result.run, result)
    changes, errors = {}, {}
    for field in fields:
        text = request.GET.get(field["id"])
        if text is None:
            continue
        field["value"] = text
        try:
            number = float(text.replace(",", "")) if text.strip() else None
        except ValueError:
            errors[field["id"]] = "应为数字"
            continue
        if number is not None and number < 0:
            errors[field["id"]] = "不能为负数"
            continue
        changes[field["id"]] = number
    context = {"result": result, "run": result.run, "fields": fields, "errors": errors}
    if result.exempt:
        context["simulation"] = None
    elif not errors:
        context["simulation"] = simulation.simulate(result.run, result, changes)
    template = "evaluation/_simulation.html" if request.htmx else "evaluation/simulate.html"
    return render(request, template, context)


def _pdf_name(result: EvaluationResult) -> str:
    return f"{result.run.year}-{result.enterprise.uscc}.pdf"


@login_required
def report_card_pdf_view(request, result_id: int):
    result = access.access_result(request.user, result_id)
    response = HttpResponse(report_card_pdf(selectors.report_card(result)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_pdf_name(result)}"'
    return response


@login_required
def report_cards_zip(request, run_id: int):
    """The zip of the run's report cards (or one town's): drawn here when small, else by a
    background job started from this page (POST), whose page offers the file when done."""
    access.access_manage(request.user)
    run = access.access_run(request.user, run_id)
    town_id = _town_param(request)
    results = run.results.all()
    if town_id:
        results = results.filter(enterprise__town_id=town_id)
    count = results.count()
    if request.method == "POST":
        town = Town.objects.filter(pk=town_id).first()
        label = f"{run} 评价报告打包" + (f"（{town.name}）" if town else "")
        job = job_services.job_start(
            actor=request.user,
            kind="evaluation.report_cards",
            label=label,
            params={"run_id": run.pk, "town_id": town_id},
            total=count,
        )
        return redirect("jobs:job_detail", job_id=job.pk)
    if count > settings.ZHUANXING_JOB_THRESHOLDS["report_cards"]:
        context = {"run": run, "count": count, "towns": Town.objects.all(), "town_id": town_id}
        return render(request, "evaluation/report_cards_start.html", context)
    buffer = io.BytesIO()
    report_cards.write_zip(run, buffer, town_id=town_id, workers=1)
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{report_cards.zip_name(run, town_id)}"'
    return response


def _town_param(request) -> int | None:
    value = (request.POST.get("town") or request.GET.get("town") or "").strip()
    return int_param(value)


@login_required
@require_POST
def objection_create(request, result_id: int):
    result = access.access_result(request.user, result_id)
    access.access_object(request.user, result)
    form = forms.ObjectionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.objection_submit(actor=request.user, result=result, **form.cleaned_data)
            messages.success(request, "异议已提交，工作人员处理后会在此答复")
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("evaluation:report_card", result_id=result.pk)


@login_required
def objection_list(request):
    access.access_manage(request.user)
    state = request.GET.get("state", Objection.State.OPEN)
    objections = Objection.objects.select_related("result__run", "result__enterprise", "submitted_by")
    if state:
        objections = objections.filter(state=state)
    return render(
        request,
        "evaluation/objection_list.html",
        {
            "objections": objections[:500],
            "state": state,
            "states": Objection.State.choices,
            "decide_form": forms.DecideForm(),
            "field_labels": services.OBJECTION_FIELDS,
        },
    )


@login_required
def objection_evidence(request, objection_id: int):
    objection = access.access_objection_evidence(request.user, objection_id)
    name = objection.attachment.name.rsplit("/", 1)[-1]
    return FileResponse(objection.attachment.open("rb"), as_attachment=True, filename=name)


@login_required
@require_POST
def objection_decide(request, objection_id: int):
    objection = access.access_objection_for_staff(request.user, objection_id)
    form = forms.DecideForm(request.POST)
    if form.is_valid():
        try:
            services.objection_decide(
                actor=request.user,
                objection=objection,
                accept=form.cleaned_data["decision"] == "accept",
                reply=form.cleaned_data["reply"],
                corrected_value=form.cleaned_data["corrected_value"],
            )
            messages.success(request, "异议已处理")
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, "请填写答复")
    return redirect(reverse("evaluation:objection_list"))


@login_required
@require_POST
def regrade(request, result_id: int):
    access.access_manage(request.user)
    result = access.access_result(request.user, result_id)
    form = forms.RegradeForm(request.POST)
    if form.is_valid():
        try:
            services.result_regrade(actor=request.user, result=result, **form.cleaned_data)
            messages.success(request, "已调档")
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, "请填写调整后的等级和原因")
    return redirect("evaluation:report_card", result_id=result.pk)


@login_required
@require_POST
def flag_set(request):
    access.access_manage(request.user)
    form = forms.FlagForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        enterprise = Enterprise.objects.filter(uscc=data["uscc"].strip().upper()).first()
        if enterprise is None:
            messages.error(request, f"企业库中没有统一社会信用代码为「{data['uscc']}」的企业")
        else:
            services.flag_set(
                actor=request.user,
                enterprise=enterprise,
                year=data["year"],
                kind=data["kind"],
                present=data["present"],
                note=data["note"],
            )
            messages.success(request, f"已{'登记' if data['present'] else '撤销'}：{enterprise.name}")
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("evaluation:run_list")


@login_required
def my_results(request):
    access.access_my_results(request.user)
    results = (
        EvaluationResult.objects.filter(
            enterprise_id=request.user.enterprise_id, run__state__in=access.VISIBLE_TO_ENTERPRISES
        )
        .select_related("run")
        .order_by("-run__year", "-run__version")
    )
    return render(request, "evaluation/my_results.html", {"results": results})
