"""Thin views of 提案建议办理: each asks ``access`` and calls ``services`` or ``selectors``."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhuanxing import tabular
from zhuanxing.proposals import access, documents, forms, selectors, services, workflows
from zhuanxing.proposals.models import Assignment, Extension, Proposal, ReplyDraft, ReplyTemplate, Unit

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
def overview(request):
    with access.remembered(request.user):
        return _overview(request)


def _overview(request):
    access.access_overview(request.user)
    today = timezone.localdate()
    visible = access.proposals_visible_to(request.user)
    office = access.is_office(request.user)
    units = None if office else access.unit_ids(request.user)
    rows = selectors.cases(visible, today, units=units)
    context = {
        "rows": rows,
        "today": today,
        "office": office,
        "waiting": selectors.waiting_for_assignment(visible) if office else [],
        "counts": {key: sum(r["status"] == key for r in rows) for key in ("overdue", "soon", "ok", "done")},
        "soon_days": selectors.SOON_DAYS,
        "todos": workflows.todos(request.user),
    }
    return render(request, "proposals/overview.html", context)


def _detail_context(request, proposal: Proposal) -> dict:
    user = request.user
    detail = selectors.proposal_detail(proposal)
    mine = access.unit_ids(user)
    lead = detail["lead"]
    is_lead = lead is not None and lead.unit_id in mine
    context = {
        "proposal": proposal,
        **detail,
        "office": access.is_office(user),
        "is_lead": is_lead,
        "is_leader": lead is not None and access.leads_unit(user, lead.unit_id),
        "my_assignments": [a for a in detail["assignments"] if a.unit_id in mine and a.active],
        "today": timezone.localdate(),
        "may_feedback": proposal.state == Proposal.State.REPLIED
        and _may(access.access_feedback, user, proposal),
        "final": selectors.final_reply(proposal),
        "assign_form": forms.AssignForm(initial=_suggested(proposal)),
        "extension_form": forms.ExtensionForm(),
        "feedback_form": forms.FeedbackForm(),
        "return_form": forms.ReturnForm(),
        "pending_extension": next(
            (e for e in detail["extensions"] if e.state == Extension.State.PENDING), None
        ),
    }
    if is_lead or (
        proposal.reply_class == "B" and proposal.state in (Proposal.State.REPLIED, Proposal.State.CLOSED)
    ):
        unit = lead.unit if lead else None
        current = detail["current_draft"]
        initial = {"template": ReplyTemplate.objects.filter(unit=unit).first() if unit else None}
        if current is not None:
            initial |= {
                "template": current.template,
                "reply_class": current.reply_class,
                "addressee": current.addressee,
                "body": current.body,
                "reply_date": current.reply_date,
            }
        context["draft_form"] = forms.DraftForm(initial=initial, unit=unit)
    for assignment in context["my_assignments"]:
        if assignment.role == Assignment.Role.CO:
            view = getattr(assignment, "view", None)
            context["coview_form"] = forms.CoViewForm(
                initial={"text": view.text, "figures": view.figures} if view else None
            )
            context["coview_assignment"] = assignment
    return context


def _may(check, *args) -> bool:
    try:
        check(*args)
    except Exception:  # PermissionDenied
        return False
    return True


def _suggested(proposal: Proposal) -> dict:
    names = proposal.suggested_units or []
    units = {u.name: u for u in Unit.objects.filter(name__in=names)}
    return {
        "lead": units.get(names[0]) if names else None,
        "co_units": [units[n] for n in names[1:] if n in units],
    }


@login_required
def detail(request, proposal_id: int):
    proposal = access.access_proposal(request.user, proposal_id)
    if not (access.is_office(request.user) or access.unit_ids(request.user)):
        return redirect("proposals:mine")
    return render(request, "proposals/detail.html", _detail_context(request, proposal))


@login_required
@require_POST
def act(request, proposal_id: int):
    proposal = access.access_proposal(request.user, proposal_id)
    action = request.POST.get("action", "")
    try:
        messages.success(request, _act(request, proposal, action))
    except ValidationError as exc:
        _errors(request, exc)
    if proposal.proposer_user_id == request.user.pk and not (
        access.is_office(request.user) or access.unit_ids(request.user)
    ):
        return redirect("proposals:mine")
    return redirect("proposals:detail", proposal_id=proposal.pk)


def _form(form_class, request, **kwargs):
    form = form_class(request.POST, **kwargs)
    if not form.is_valid():
        raise ValidationError(
            [
                f"{form.fields[name].label}：{'；'.join(errs)}" if name in form.fields else "；".join(errs)
                for name, errs in form.errors.items()
            ]
        )
    return form.cleaned_data


def _act(request, proposal: Proposal, action: str) -> str:
    user = request.user
    if action == "assign":
        data = _form(forms.AssignForm, request)
        services.proposal_assign(
            actor=user, proposal=proposal, lead=data["lead"], co_units=data["co_units"], on=data["on"]
        )
        return "已交办"
    if action == "return":
        assignment = get_object_or_404(Assignment, pk=request.POST.get("assignment"), proposal=proposal)
        services.assignment_return(
            actor=user, assignment=assignment, reason=_form(forms.ReturnForm, request)["reason"]
        )
        return "已退回提案办理办公室"
    if action == "extension":
        data = _form(forms.ExtensionForm, request)
        services.extension_request(actor=user, proposal=proposal, days=data["days"], reason=data["reason"])
        return "已提交延期申请，待办公室审批"
    if action in ("extension_approve", "extension_refuse"):
        extension = get_object_or_404(Extension, pk=request.POST.get("extension"), proposal=proposal)
        services.extension_decide(actor=user, extension=extension, approve=action == "extension_approve")
        return "已批准延期" if action == "extension_approve" else "已不予延期"
    if action == "coview":
        assignment = get_object_or_404(Assignment, pk=request.POST.get("assignment"), proposal=proposal)
        data = _form(forms.CoViewForm, request)
        services.coview_submit(actor=user, assignment=assignment, text=data["text"], figures=data["figures"])
        return "已送达会办意见"
    if action in ("draft", "follow_up"):
        lead = access.active_lead(proposal) or proposal.assignments.filter(role="lead", active=True).last()
        data = _form(forms.DraftForm, request, unit=lead.unit if lead else None)
        draft = services.draft_save(
            actor=user,
            proposal=proposal,
            template=data["template"],
            body=data["body"],
            reply_class=data["reply_class"],
            addressee=data["addressee"],
            reply_date=data["reply_date"],
            kind=ReplyDraft.Kind.FOLLOW_UP if action == "follow_up" else ReplyDraft.Kind.REPLY,
        )
        return f"已生成第{draft.version}版答复稿，引用数据 {len(draft.figures)} 项"
    if action in ("regenerate", "submit", "approve"):
        draft = get_object_or_404(ReplyDraft, pk=request.POST.get("draft"), proposal=proposal)
        if action == "regenerate":
            draft = services.draft_regenerate(actor=user, draft=draft)
            return f"已按最新数据重新生成第{draft.version}版"
        if action == "submit":
            services.draft_submit(actor=user, draft=draft)
            return "已提交审签"
        services.draft_approve(actor=user, draft=draft)
        return f"已签发：{draft.document_number}"
    if action == "feedback":
        data = _form(forms.FeedbackForm, request)
        feedback = services.feedback_record(
            actor=user,
            proposal=proposal,
            handling=data["handling"],
            result=data["result"],
            comment=data["comment"],
        )
        proposal.refresh_from_db()
        if proposal.state == Proposal.State.HANDLING:
            return "已录入反馈：提案人不满意，已启动二次办理"
        return f"已录入反馈（{feedback.get_result_display()}），本件办结"
    if action in ("publish", "unpublish"):
        services.proposal_publish(actor=user, proposal=proposal, published=action == "publish")
        return "已公开答复" if action == "publish" else "已取消公开"
    raise Http404("未知的操作")


@login_required
def import_proposals(request):
    access.access_office(request.user)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower() or ".xlsx"
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"upload{suffix}"
            path.write_bytes(upload.read())
            try:
                created = services.proposals_import(
                    actor=request.user, path=path, body=form.cleaned_data["body"]
                )
            except tabular.TableError as exc:
                problems = [str(p) for p in exc.problems]
            else:
                messages.success(request, f"已导入 {len(created)} 件")
                return redirect("proposals:overview")
    return render(
        request,
        "proposals/import.html",
        {
            "form": form,
            "problems": problems,
            "columns": services.IMPORT_COLUMNS,
            "required": services.IMPORT_REQUIRED,
        },
    )


@login_required
def templates(request):
    access.access_overview(request.user)
    office = access.is_office(request.user)
    mine = access.unit_ids(request.user)
    form = forms.TemplateForm(request.POST or None, request.FILES or None)
    if not office:
        form.fields["unit"].queryset = Unit.objects.filter(pk__in=mine)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.template_upload(
                actor=request.user,
                unit=data["unit"],
                name=data["name"],
                content=data["file"].read(),
                number_pattern=data["number_pattern"],
            )
        except ValidationError as exc:
            problems = exc.messages
        else:
            messages.success(request, "已上传答复模板")
            return redirect("proposals:templates")
    listed = ReplyTemplate.objects.select_related("unit").defer("content")
    if not office:
        listed = listed.filter(unit_id__in=mine)
    return render(
        request,
        "proposals/templates.html",
        {"form": form, "problems": problems, "templates": listed, "fields": documents.FIELDS},
    )


@login_required
def template_file(request, template_id: int):
    template = get_object_or_404(ReplyTemplate, pk=template_id)
    access.require(access.is_office(request.user) or template.unit_id in access.unit_ids(request.user))
    response = HttpResponse(bytes(template.content), content_type=DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''template-{template.pk}.docx"
    return response


def draft_docx(request, draft_id: int):
    draft = access.access_draft_file(request.user, get_object_or_404(ReplyDraft, pk=draft_id))
    response = HttpResponse(bytes(draft.docx), content_type=DOCX)
    response["Content-Disposition"] = f"attachment; filename=reply-{draft.proposal_id}-v{draft.version}.docx"
    return response


def draft_pdf(request, draft_id: int):
    draft = access.access_draft_file(request.user, get_object_or_404(ReplyDraft, pk=draft_id))
    pdf = documents.render_pdf(bytes(draft.docx), title=draft.document_number)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename=reply-{draft.proposal_id}-v{draft.version}.pdf"
    return response


@login_required
def statistics(request):
    access.access_statistics(request.user)
    return render(
        request, "proposals/statistics.html", {"stats": selectors.statistics(Proposal.objects.all())}
    )


@login_required
def mine(request):
    access.access_mine(request.user)
    proposals = Proposal.objects.filter(proposer_user=request.user).order_by("-term", "-meeting", "number")
    rows = [{"proposal": p, "final": selectors.final_reply(p)} for p in proposals]
    return render(request, "proposals/mine.html", {"rows": rows, "form": forms.FeedbackForm()})


def public_list(request):
    return render(request, "proposals/public_list.html", {"proposals": selectors.published()})


def public_detail(request, proposal_id: int):
    proposal = get_object_or_404(selectors.published(), pk=proposal_id)
    final = selectors.final_reply(proposal)
    paragraphs = documents.docx_text(bytes(final.docx)) if final else []
    return render(
        request,
        "proposals/public_detail.html",
        {"proposal": proposal, "final": final, "paragraphs": paragraphs},
    )
