"""政策兑现 pages. Thin: visibility from access.py, reads from selectors, writes from services
(which check the permission of every transition inside their transaction)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, When
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhuanxing import awards, captcha
from zhuanxing.accounts.models import User
from zhuanxing.accounts.throttle import client_address, over_rate
from zhuanxing.campaigns import selectors as campaign_selectors
from zhuanxing.jobs import services as job_services
from zhuanxing.programs import access, adapters, charts, describe, forms, selectors, services
from zhuanxing.programs.models import Application, ConflictDeclaration
from zhuanxing.programs.workflows import APPLICATION
from zhuanxing.registry.access import enterprises_visible_to
from zhuanxing.registry.models import Enterprise
from zhuanxing.web import exports

PAGE_SIZE = 50


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _form_errors(form, exc: ValidationError) -> None:
    """Service errors onto the form: by field where the form has it, else on the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            target = (
                name if name in form.fields else f"field_{name}" if f"field_{name}" in form.fields else None
            )
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


# ---------------------------------------------------------------- policies


@login_required
def policy_list(request):
    policies = access.policies_visible_to(request.user).order_by("-year", "code")
    context = {
        "policies": policies,
        "can_manage": access.can_manage(request.user),
        "may_list_applications": access.may_list_applications(request.user),
    }
    if context["can_manage"]:
        loaded = set(policies.values_list("code", flat=True))
        context["shipped_form"] = forms.ShippedPolicyForm()
        context["shipped_form"].fields["name"].choices = [
            (name, name) for name in awards.shipped_policies() if name not in loaded
        ]
    return render(request, "programs/policy_list.html", context)


@login_required
def policy_create(request):
    access.access_policy_manage(request.user)
    form = forms.PolicyCreateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            policy = services.policy_create(
                actor=request.user,
                text=data["text"],
                document=data["document"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                budget=data["budget"],
                published=data["published"],
                payment_plan=data["payment_plan"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"已保存政策：{policy.name}")
            return redirect("programs:policy_detail", policy_id=policy.pk)
    return render(
        request, "programs/policy_form.html", {"form": form, "catalogue": adapters.catalogue().values()}
    )


@login_required
@require_POST
def policy_load_shipped(request):
    access.access_policy_manage(request.user)
    form = forms.ShippedPolicyForm(request.POST)
    if form.is_valid():
        try:
            policy = services.policy_load_shipped(actor=request.user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, f"已载入内置政策：{policy.name}（未发布，请设置申报期后发布）")
            return redirect("programs:policy_edit", policy_id=policy.pk)
    return redirect("programs:policy_list")


@login_required
def policy_edit(request, policy_id: int):
    access.access_policy_manage(request.user)
    policy = access.access_policy(request.user, policy_id)
    rules = adapters.rules_of(policy)
    initial = {
        "text": policy.text,
        "opens_on": policy.opens_on,
        "closes_on": policy.closes_on,
        "budget": policy.budget,
        "published": policy.published,
        "payment_plan": ",".join(str(p) for p in policy.payment_plan),
        "expert_clauses": policy.expert_clauses,
    }
    clauses = [(c.id, c.label) for c in rules.clauses]
    form = forms.PolicyEditForm(request.POST or None, request.FILES or None, initial=initial, clauses=clauses)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.policy_update(
                actor=request.user,
                policy=policy,
                reason=data["reason"],
                text=data["text"].replace("\r\n", "\n"),
                document=data["document"],
                **{
                    name: data[name]
                    for name in ("opens_on", "closes_on", "budget", "published", "payment_plan")
                },
                expert_clauses=data["expert_clauses"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "已保存")
            return redirect("programs:policy_detail", policy_id=policy.pk)
    context = {"form": form, "policy": policy, "catalogue": adapters.catalogue().values()}
    return render(request, "programs/policy_form.html", context)


@login_required
def policy_detail(request, policy_id: int):
    policy = access.access_policy(request.user, policy_id)
    rules = adapters.rules_of(policy)
    today = timezone.localdate()
    user = request.user
    context = {
        "policy": policy,
        "clauses": describe.describe_policy(rules),
        "calculator_forms": {c.id: forms.ClauseFieldsForm(clause=c) for c in rules.clauses},
        "can_manage": access.can_manage(user),
        "may_calculate": access.calculator_allowed(user),
        "asks_uscc": access.calculator_allowed(user) and access.calculator_asks_uscc(user),
        "may_apply": access.may_open_apply_form(user, policy),
        "today": today,
    }
    if context["can_manage"]:
        context["committed"] = selectors.committed(policy)
        ready = selectors.ready_for_approval(policy, today).filter(channel=Application.Channel.APPLIED)
        context["ready"] = ready.count()
    return render(request, "programs/policy_detail.html", context)


@login_required
def policy_calculate(request, policy_id: int):
    """The calculator: what a clause gives an enterprise for the values typed in, and why."""
    policy = access.access_policy(request.user, policy_id)
    enterprise = access.calculator_enterprise(request.user, request.GET.get("uscc", ""))
    rules = adapters.rules_of(policy)
    clause = rules.clauses_by_id.get(request.GET.get("clause", ""))
    context = {"policy": policy, "clause": clause, "enterprise": enterprise}
    if clause is not None and enterprise is not None:
        values = {f.id: request.GET.get(f"field_{f.id}", "") for f in clause.fields}
        try:
            facts, context["assessment"] = selectors.calculate(policy, clause.id, enterprise, values)
        except ValidationError as exc:
            context["problems"] = exc.messages
        else:
            context["fact_lines"] = selectors.fact_lines(rules, facts)
            if access.may_open_apply_form(request.user, policy) and not clause.automatic:
                # the figures typed here open the application form already filled in
                carried = {f"field_{key}": value for key, value in values.items() if value}
                if access.can_manage(request.user):
                    carried["uscc"] = enterprise.uscc
                context["apply_query"] = urlencode(carried)
    template = "programs/_calculation.html" if request.htmx else "programs/calculation.html"
    return render(request, template, context)


@login_required
def policy_document(request, policy_id: int):
    policy = access.access_policy(request.user, policy_id)
    if not policy.document:
        raise Http404("该政策没有上传原文")
    return FileResponse(
        policy.document.open("rb"), as_attachment=True, filename=policy.document.name.split("/")[-1]
    )


@login_required
@require_POST
def policy_approve(request, policy_id: int):
    """核定 in one batch (the budget shared pro rata) every application of the policy whose notice
    has ended, or (``channel=automatic``) every 免申即享 proposal waiting for confirmation."""
    access.access_staff_pages(request.user)
    policy = access.access_policy(request.user, policy_id)
    automatic = request.POST.get("channel") == Application.Channel.AUTOMATIC
    channel = Application.Channel.AUTOMATIC if automatic else Application.Channel.APPLIED
    ready = list(selectors.ready_for_approval(policy, timezone.localdate()).filter(channel=channel))
    back = (
        redirect("programs:automatic")
        if automatic
        else redirect("programs:policy_detail", policy_id=policy.pk)
    )
    if not ready:
        messages.error(request, "没有待核定的申报")
        return back
    try:
        result = services.applications_approve(actor=request.user, policy=policy, applications=ready)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, f"已核定 {len(result.approved)} 件")
        for line in result.skipped:
            messages.warning(request, f"未核定：{line}")
    return back


# ---------------------------------------------------------------- applications


@login_required
def application_create(request, policy_id: int, clause_id: str):
    access.access_apply(request.user)
    policy = access.access_policy(request.user, policy_id)
    rules = adapters.rules_of(policy)
    clause = rules.clauses_by_id.get(clause_id)
    if clause is None or clause.automatic:
        raise Http404("没有可申报的该条款")
    enterprise = request.user.enterprise if request.user.enterprise_id else None
    picker = None
    if access.can_manage(request.user):  # staff enter a paper application for the enterprise chosen
        chosen = request.GET.get("uscc", "").strip().upper()
        visible = enterprises_visible_to(request.user)
        picker = forms.EnterprisePickForm({"uscc": chosen} if chosen else None, enterprises=visible)
        enterprise = picker.cleaned_data["uscc"] if picker.is_valid() else None
    initial = {"bank_account_name": enterprise.name} if enterprise else {}
    initial |= {  # the figures carried from the calculator (policy_calculate's apply_query)
        f"field_{f.id}": request.GET[f"field_{f.id}"]
        for f in clause.fields
        if request.GET.get(f"field_{f.id}")
    }
    form = forms.ApplicationForm(request.POST or None, request.FILES or None, clause=clause, initial=initial)
    if request.method == "POST" and enterprise is not None and form.is_valid():
        try:
            application = services.application_create(
                actor=request.user,
                policy=policy,
                clause_id=clause.id,
                enterprise=enterprise,
                fields=form.field_values(),
                attachments=form.cleaned_data["attachments"],
                **form.other_values(),
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "已保存为草稿。请核对计算结果，确认无误后提交申报。")
            return redirect("programs:application_detail", application_id=application.pk)
    context = {"policy": policy, "clause": clause, "form": form, "enterprise": enterprise, "picker": picker}
    return render(request, "programs/application_form.html", context)


@login_required
def application_edit(request, application_id: int):
    application = access.access_application(request.user, application_id)
    access.access_transition(request.user, application, "edit")
    clause = adapters.rules_of(application.policy).clause(application.clause_id)
    form = forms.ApplicationForm(
        request.POST or None,
        request.FILES or None,
        clause=clause,
        initial=forms.ApplicationForm.initial_for(application),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.application_update(
                actor=request.user,
                application=application,
                fields=form.field_values(),
                attachments=form.cleaned_data["attachments"],
                **form.other_values(),
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "已保存")
            return redirect("programs:application_detail", application_id=application.pk)
    context = {
        "policy": application.policy,
        "clause": clause,
        "form": form,
        "enterprise": application.enterprise,
        "application": application,
    }
    return render(request, "programs/application_form.html", context)


@login_required
def application_list(request):
    access.access_application_list(request.user)
    filters = {key: request.GET.get(key, "").strip() for key in ("state", "policy", "channel", "q")}
    applications = selectors.application_search(access.applications_visible_to(request.user), **filters)
    context = {
        "page": Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page")),
        "filters": filters,
        "states": Application.State.choices,
        "channels": Application.Channel.choices,
        "policies": access.policies_visible_to(request.user),
        "may_see_overdue": access.may_see_overdue(request.user),
        "is_reviewer": access.is_reviewer(request.user),
        "querystring_base": urlencode({k: v for k, v in filters.items() if v}) + "&"
        if any(filters.values())
        else "",
    }
    return render(request, "programs/application_list.html", context)


@login_required
def application_detail(request, application_id: int):
    application = access.access_application(request.user, application_id)
    user = request.user
    actions = access.actions_for(user, application)
    today = timezone.localdate()
    rows = APPLICATION.available(user, application)
    context = {
        "application": application,
        "actions": actions,
        # the buttons' labels and confirmation sentences, from the workflow table
        "labels": {row.action: _(row.label) for row in rows},
        "confirms": {row.action: _(row.confirm) for row in rows if row.confirm},
        "field_lines": [
            (f.label, application.fields.get(f.id) or "—", f.unit or "")
            for f in adapters.rules_of(application.policy).clause(application.clause_id).fields
        ],
        "fact_lines": selectors.fact_lines(adapters.rules_of(application.policy), application.facts),
        "history": selectors.history(application),
        "payments": application.payments.all(),
        "reviews": application.reviews.select_related("reviewer"),
        "objections": application.objections.all() if access.can_manage(user) else [],
        "attachments": application.attachments.all(),
        "reason_form": forms.ReasonForm(),
        "approval_problem": selectors.approval_problem(application, today) if "approve" in actions else None,
    }
    if "assign" in actions:
        context["reviewer_choices"] = selectors.reviewer_choices(application)
    if "review" in actions:
        context["review_form"] = forms.ReviewForm()
    if "pay" in actions:
        stage, amount = selectors.next_payment(application)
        context["payment_form"] = forms.PaymentForm(
            initial={"stage": stage, "amount": amount, "paid_on": today}
        )
        context["next_stage"] = stage
    if "confirm_bank" in actions:
        context["bank_form"] = forms.BankForm(
            initial={
                "bank_account_name": application.bank_account_name or application.enterprise.name,
                "bank_name": application.bank_name,
                "bank_account": application.bank_account,
            }
        )
    if access.can_manage(user):
        context["decide_form"] = forms.ObjectionDecideForm()
    return render(request, "programs/application_detail.html", context)


def _act(request, application: Application, action: str) -> str:
    """Run ``action`` through its service; returns the success message."""
    user, post = request.user, request.POST
    if action == "submit":
        services.application_submit(actor=user, application=application)
        return "已提交申报"
    if action in ("pass", "return", "reject"):
        services.application_decide(
            actor=user, application=application, decision=action, reason=post.get("reason", "")
        )
        return {"pass": "已通过", "return": "已退回补正", "reject": "已作出不予支持决定"}[action]
    if action == "assign":
        form = forms.AssignForm(post)
        reviewer = User.objects.filter(pk=form.cleaned_data["reviewer"]).first() if form.is_valid() else None
        if reviewer is None:
            raise ValidationError("请选择评审专家")
        services.review_assign(actor=user, application=application, reviewer=reviewer)
        return f"已分配评审专家：{reviewer}"
    if action == "review":
        form = forms.ReviewForm(post)
        if not form.is_valid():
            raise ValidationError("请选择评审意见并填写评审说明")
        services.review_submit(actor=user, application=application, **form.cleaned_data)
        return "评审意见已提交"
    if action == "recuse":
        services.review_recuse(actor=user, application=application, reason=post.get("reason", ""))
        return "已回避"
    if action == "approve":
        approved = services.application_approve(actor=user, application=application)
        return f"已核定 {approved.approved} 万元"
    if action == "confirm_bank":
        form = forms.BankForm(post)
        if not form.is_valid():
            raise ValidationError("请完整填写收款账户")
        services.bank_confirm(actor=user, application=application, **form.cleaned_data)
        return "已确认收款账户"
    if action == "pay":
        form = forms.PaymentForm(post)
        if not form.is_valid():
            raise ValidationError("请填写本期金额")
        payment = services.payment_record(actor=user, application=application, **form.cleaned_data)
        return f"已登记第{payment.stage}期拨付 {payment.amount} 万元"
    raise Http404("未知的操作")


@login_required
@require_POST
def application_action(request, application_id: int, action: str):
    application = access.access_application(request.user, application_id)
    try:
        messages.success(request, _act(request, application, action))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("programs:application_detail", application_id=application.pk)


@login_required
def attachment_download(request, attachment_id: int):
    attachment = access.access_attachment(request.user, attachment_id)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


# ---------------------------------------------------------------- staff pages


@login_required
def overdue(request):
    access.access_overdue(request.user)
    today = timezone.localdate()
    late = selectors.overdue(access.applications_visible_to(request.user), today)
    return render(request, "programs/overdue.html", {"applications": late, "today": today})


STAT_HEADERS = [
    "政策",
    "条款",
    "申报件数",
    "核定件数",
    "不予支持件数",
    "计算额（万元）",
    "核定额（万元）",
    "已拨付（万元）",
]


def _statistics_xlsx(figures):
    stages = list(selectors.stages())
    headers = [*STAT_HEADERS, *[f"{s}平均天数" for s in stages]]
    rows = []
    for policy_figures in figures:
        for clause in [*policy_figures.clauses, policy_figures.total]:
            days = clause.average_days
            rows.append(
                [
                    policy_figures.policy.name,
                    clause.clause_label,
                    clause.applications,
                    clause.approvals,
                    clause.rejections,
                    clause.computed,
                    clause.approved,
                    clause.paid,
                    *[round(days[s], 1) if days[s] is not None else None for s in stages],
                ]
            )
    budget_rows = [
        [f.policy.name, f.policy.budget, f.total.approved, f.budget_used, f.total.paid] for f in figures
    ]
    content = exports.xlsx_bytes(
        {
            "条款统计": (headers, rows),
            "预算执行": (
                ["政策", "预算（万元）", "已核定（万元）", "预算使用率", "已拨付（万元）"],
                budget_rows,
            ),
        }
    )
    return exports.file_response(content, "政策兑现统计.xlsx", exports.XLSX_TYPE)


@login_required
def statistics(request):
    access.access_staff_pages(request.user)
    figures = selectors.statistics(access.policies_visible_to(request.user).order_by("-year", "code"))
    if request.GET.get("format") == "xlsx":
        return _statistics_xlsx(figures)
    return render(
        request,
        "programs/statistics.html",
        {"figures": figures, "stages": list(selectors.stages()), "charts": charts.statistics_charts(figures)},
    )


@login_required
def automatic(request):
    access.access_staff_pages(request.user)
    waiting_first = Case(When(state=Application.State.PROPOSED, then=0), default=1)
    proposals = (
        Application.objects.filter(channel=Application.Channel.AUTOMATIC)
        .exclude(state=Application.State.REJECTED)
        .select_related("policy", "enterprise__town")
        .order_by(waiting_first, "policy__code", "clause_id", "enterprise__name")
    )
    context = {
        "page": Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page")),
        "pending_promotions": campaign_selectors.pending_promotions().count(),
        "automatic_policies": [
            (p, p.applications.filter(state=Application.State.PROPOSED).count())
            for p in access.policies_visible_to(request.user)
            if selectors.has_automatic(p)
        ],
    }
    return render(request, "programs/automatic.html", context)


@login_required
@require_POST
def automatic_scan(request):
    access.access_staff_pages(request.user)
    operating = Enterprise.objects.filter(status=Enterprise.Status.OPERATING).count()
    if operating > settings.ZHUANXING_JOB_THRESHOLDS["automatic"]:
        job = job_services.job_start(
            actor=request.user,
            kind="programs.automatic",
            label=f"免申即享批量匹配（{operating:,}家在营企业）",
            cancellable=False,
        )
        return redirect("jobs:job_detail", job_id=job.pk)
    found = services.automatic_propose(actor=request.user)
    messages.success(request, f"已生成 {len(found.proposed)} 条免申即享建议")
    for problem in found.problems:
        messages.warning(request, problem)
    return redirect("programs:automatic")


@login_required
@require_POST
def objection_decide(request, objection_id: int):
    objection = access.access_objection_for_staff(request.user, objection_id)
    form = forms.ObjectionDecideForm(request.POST)
    if form.is_valid():
        try:
            services.objection_decide(
                actor=request.user,
                objection=objection,
                uphold=form.cleaned_data["decision"] == "uphold",
                reply=form.cleaned_data["reply"],
            )
            messages.success(request, "异议已处理")
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, "请填写处理意见")
    return redirect("programs:application_detail", application_id=objection.application_id)


# ---------------------------------------------------------------- reviewers


@login_required
def conflicts(request):
    """A reviewer's institution, declared conflicts of interest and reviews."""
    access.access_conflicts(request.user)
    user = request.user
    profile = getattr(user, "reviewer_profile", None)
    profile_form = forms.ReviewerProfileForm(initial={"institution": profile.institution if profile else ""})
    conflict_form = forms.ConflictForm()
    if request.method == "POST" and request.POST.get("form") == "profile":
        profile_form = forms.ReviewerProfileForm(request.POST)
        if profile_form.is_valid():
            try:
                services.reviewer_profile_set(actor=user, **profile_form.cleaned_data)
            except ValidationError as exc:
                _form_errors(profile_form, exc)
            else:
                messages.success(request, "已保存工作单位")
                return redirect("programs:conflicts")
    elif request.method == "POST":
        conflict_form = forms.ConflictForm(request.POST)
        if conflict_form.is_valid():
            data = conflict_form.cleaned_data
            enterprise = Enterprise.objects.filter(uscc=data["uscc"].strip().upper()).first()
            try:
                if enterprise is None:
                    raise ValidationError({"uscc": "企业库中没有该统一社会信用代码"})
                services.conflict_declare(
                    actor=user, enterprise=enterprise, relation=data["relation"], note=data["note"]
                )
            except ValidationError as exc:
                _form_errors(conflict_form, exc)
            else:
                # By its code: a reviewer learns no enterprise's name from what he typed.
                messages.success(request, f"已申报与统一社会信用代码为 {enterprise.uscc} 的企业存在利益冲突")
                return redirect("programs:conflicts")
    assigned = set(user.reviews.values_list("application__enterprise_id", flat=True))
    declarations = list(ConflictDeclaration.objects.filter(reviewer=user).select_related("enterprise"))
    for declaration in declarations:  # names only of the enterprises whose applications he reviews
        declaration.shown_name = declaration.enterprise.name if declaration.enterprise_id in assigned else ""
    context = {
        "profile_form": profile_form,
        "conflict_form": conflict_form,
        "declarations": declarations,
        "reviews": user.reviews.select_related("application__enterprise", "application__policy").order_by(
            "-assigned_at"
        ),
    }
    return render(request, "programs/conflicts.html", context)


# ---------------------------------------------------------------- public notice (no login)


def notice_list(request):
    today = timezone.localdate()
    captcha.new_challenge(request.session)
    context = {
        "applications": selectors.on_notice(today),
        "today": today,
        "form": forms.PublicObjectionForm(auto_id=False),
    }
    return render(request, "programs/notice.html", context)


def notice_captcha(request):
    response = HttpResponse(captcha.image_png(request.session), content_type="image/png")
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def notice_object(request, application_id: int):
    application = get_object_or_404(Application, pk=application_id, state=Application.State.NOTICE)
    form = forms.PublicObjectionForm(request.POST)
    address = client_address(request)
    if over_rate(
        "public-objection", address, limit=settings.ZHUANXING_PUBLIC_OBJECTIONS_PER_HOUR, seconds=3600
    ):
        messages.error(request, "该网络地址提交异议过于频繁，请一小时后再试")
    elif not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    elif not captcha.passes(request.session, form.cleaned_data.pop("captcha")):
        messages.error(request, "验证码不正确，请按新图片重新输入")
    else:
        try:
            services.objection_submit(application=application, **form.cleaned_data)
            messages.success(request, "异议已提交，工作人员将核实处理")
        except ValidationError as exc:
            _errors(request, exc)
    return redirect(reverse("programs:notice_list"))
