"""Writes of 提案建议办理. Each is keyword-only, checks its permission and its rule, validates with
``full_clean()`` and is audited, in one transaction. A rule that refuses names itself in the error."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from zhuanxing import tabular
from zhuanxing.accounts.access import require
from zhuanxing.accounts.audit import field_values, record_change
from zhuanxing.proposals import access, documents
from zhuanxing.proposals.models import (
    Assignment,
    Body,
    CoView,
    Extension,
    Feedback,
    Proposal,
    Rating,
    ReplyClass,
    ReplyDraft,
    ReplyTemplate,
    Unit,
    UnitMember,
    parse_chinese_number,
)
from zhuanxing.workdays import add_working_days

# The district's handling rules, in working days from the assignment date (交办之日).
REPLY_DAYS = 60  # the lead unit replies within three months
CO_VIEW_DAYS = 20  # a co-unit sends its view to the lead unit within one month
RETURN_DAYS = 5  # a misrouted case goes back to the office within five working days
MAX_EXTENSION_DAYS = 40  # one extension per case and round, of at most two months
SECOND_DAYS = 20  # an unsatisfied proposer's case is handled again within one month

State = Proposal.State
PROPOSAL_FIELDS = [
    "body",
    "term",
    "meeting",
    "number",
    "title",
    "proposer",
    "proposer_kind",
    "cosigners",
    "category",
    "keywords",
    "submitted_on",
]


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _locked(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().get(pk=proposal.pk)


# ---------------------------------------------------------------- units


@transaction.atomic
def unit_create(
    *, actor, name: str, kind: str = Unit.Kind.BUREAU, full_name: str = "", order: int = 0
) -> Unit:
    access.access_office(actor)
    unit = Unit(name=name.strip(), kind=kind, full_name=full_name, order=order)
    unit.full_clean()
    unit.save()
    record_change(
        actor=actor, action="proposals.unit_create", obj=unit, new=field_values(unit, ["name", "kind"])
    )
    return unit


@transaction.atomic
def unit_member_add(*, actor, unit: Unit, user, is_leader: bool = False) -> UnitMember:
    access.access_office(actor)
    member, _created = UnitMember.objects.update_or_create(
        unit=unit, user=user, defaults={"is_leader": is_leader}
    )
    record_change(
        actor=actor,
        action="proposals.unit_member",
        obj=member,
        new={"unit": unit.name, "user": user.username, "is_leader": is_leader},
    )
    return member


# ---------------------------------------------------------------- registry


def _check_units(names: Iterable[str]) -> list[str]:
    known = set(Unit.objects.values_list("name", flat=True))
    return [name for name in names if name not in known]


@transaction.atomic
def proposal_register(
    *,
    actor,
    body: str,
    term: int,
    meeting: int,
    number: int,
    title: str,
    proposer: str,
    submitted_on: dt.date,
    text: str = "",
    proposer_kind: str = Proposal.ProposerKind.MEMBER,
    cosigners: str = "",
    category: str = "",
    keywords: str = "",
    proposer_user=None,
    suggested_units: Iterable[str] = (),
    today: dt.date | None = None,
) -> Proposal:
    access.access_office(actor)
    suggested = [u for u in suggested_units if u]
    errors = {}
    if submitted_on > _today(today):
        errors["submitted_on"] = f"提交日期 {submitted_on} 晚于今天"
    unknown = _check_units(suggested)
    if unknown:
        errors["suggested_units"] = f"未知的承办单位：{'、'.join(unknown)}"
    if errors:
        raise ValidationError(errors)
    proposal = Proposal(
        body=body,
        term=term,
        meeting=meeting,
        number=number,
        title=title.strip(),
        text=text,
        proposer=proposer.strip(),
        proposer_kind=proposer_kind,
        cosigners=cosigners,
        category=category,
        keywords=keywords,
        submitted_on=submitted_on,
        proposer_user=proposer_user,
        suggested_units=suggested,
    )
    proposal.full_clean()
    proposal.save()
    record_change(
        actor=actor, action="proposals.register", obj=proposal, new=field_values(proposal, PROPOSAL_FIELDS)
    )
    return proposal


# The CPPCC office's sheet: one row per proposal. Headers by these labels (or the ids).
IMPORT_COLUMNS = {
    "term": "届次",
    "meeting": "会议",
    "number": "编号",
    "title": "标题",
    "text": "内容",
    "proposer": "提案人",
    "proposer_kind": "提案人类别",
    "cosigners": "联名人",
    "category": "类别",
    "keywords": "关键词",
    "submitted_on": "提交日期",
    "lead_unit": "建议主办单位",
    "co_units": "建议会办单位",
}
IMPORT_REQUIRED = ["term", "meeting", "number", "title", "proposer", "submitted_on"]
_KIND_WORDS = {
    "委员": "member",
    "代表": "member",
    "个人": "member",
    "界别": "group",
    "工委": "group",
    "集体": "group",
}


def _split_units(text: str | None) -> list[str]:
    if not text:
        return []
    for sep in "，,；;、/ ":
        text = text.replace(sep, "|")
    return [part for part in (p.strip() for p in text.split("|")) if part]


def parse_import(path: str | Path, *, body: str, today: dt.date) -> list[dict]:
    """The rows of the office's sheet as proposal fields; TableError naming every problem by row
    and column: missing or bad numbers, a number given twice or already registered, unknown units,
    dates in the future."""
    frame = tabular.resolve_headers(tabular.read_table(path), IMPORT_COLUMNS, required=IMPORT_REQUIRED)
    known_units = set(Unit.objects.values_list("name", flat=True))
    existing = set(Proposal.objects.filter(body=body).values_list("term", "meeting", "number"))
    problems: list[tabular.CellProblem] = []
    rows: list[dict] = []
    seen: dict[tuple, int] = {}
    for index, record in enumerate(frame.iter_rows(named=True)):
        line = tabular.row_number(index)
        if all(value is None for value in record.values()):
            continue

        def bad(column: str, reason: str, value=None, line=line) -> None:
            problems.append(tabular.CellProblem(reason, row=line, column=IMPORT_COLUMNS[column], value=value))

        row: dict = {"body": body}
        for column in ("term", "meeting"):
            raw = record.get(column)
            if raw is None:
                bad(column, "不能为空")
                continue
            try:
                row[column] = parse_chinese_number(raw)
            except ValueError:
                bad(column, "应为 1–99 的数字，如 9 或 九", raw)
        raw = record.get("number")
        if raw is None:
            bad("number", "缺少编号")
        else:
            try:
                number = int(tabular.parse_number(raw))
                if number < 1 or number != tabular.parse_number(raw):
                    raise ValueError(raw)
                row["number"] = number
            except ValueError:
                bad("number", "编号应为正整数", raw)
        for column in ("title", "proposer"):
            if not record.get(column):
                bad(column, "不能为空")
            else:
                row[column] = record[column]
        raw = record.get("submitted_on")
        if raw is None:
            bad("submitted_on", "不能为空")
        else:
            try:
                day = tabular.parse_date(raw)
                if day > today:
                    bad("submitted_on", f"日期晚于今天（{today}）", raw)
                row["submitted_on"] = day
            except ValueError:
                bad("submitted_on", "无法识别的日期", raw)
        kind = record.get("proposer_kind")
        row["proposer_kind"] = "member"
        if kind:
            matched = [value for word, value in _KIND_WORDS.items() if word in kind]
            if not matched:
                bad("proposer_kind", "应为 委员、代表、界别 或 工委", kind)
            else:
                row["proposer_kind"] = matched[0]
        units = []
        for column in ("lead_unit", "co_units"):
            for name in _split_units(record.get(column)):
                if name not in known_units:
                    bad(column, "未知的承办单位（请先在承办单位中登记）", name)
                units.append(name)
        row["suggested_units"] = units
        for column in ("text", "cosigners", "category", "keywords"):
            row[column] = record.get(column) or ""
        key = (row.get("term"), row.get("meeting"), row.get("number"))
        if None not in key:
            if key in seen:
                bad("number", f"与第{seen[key]}行编号重复", row["number"])
            elif key in existing:
                bad("number", "该届次会议已登记此编号", row["number"])
            else:
                seen[key] = line
        rows.append(row)
    if problems:
        raise tabular.TableError(problems)
    return rows


@transaction.atomic
def proposals_import(
    *, actor, path: str | Path, body: str = Body.CPPCC, today: dt.date | None = None
) -> list[Proposal]:
    """All rows or none (a TableError lists every problem)."""
    access.access_office(actor)
    today = _today(today)
    rows = parse_import(path, body=body, today=today)
    created = []
    for row in rows:
        try:
            created.append(proposal_register(actor=actor, today=today, **row))
        except ValidationError as exc:  # a rule the sheet check did not cover: still name the row
            raise tabular.TableError([tabular.CellProblem("；".join(exc.messages), row=None)]) from exc
    return created


# ---------------------------------------------------------------- assignment


@transaction.atomic
def proposal_assign(
    *, actor, proposal: Proposal, lead: Unit | None, co_units: Iterable[Unit] = (), on: dt.date | None = None
) -> Proposal:
    """交办 (or 重新交办 after a return): the lead unit and co-units, each with its deadline in working
    days from ``on``. Units already assigned in this round stay as they are."""
    access.access_office(actor)
    proposal = _locked(proposal)
    on = _today(on)
    if proposal.state not in (State.REGISTERED, State.RETURNED, State.HANDLING):
        raise ValidationError(f"「{proposal.get_state_display()}」的提案建议不能交办")
    current = list(proposal.assignments.filter(round=proposal.round, active=True))
    current_lead = next((a for a in current if a.role == Assignment.Role.LEAD), None)
    co_units = list(co_units)
    if current_lead is None and lead is None:
        raise ValidationError({"lead": "请选择主办单位"})
    if current_lead is not None and lead is not None and lead.pk != current_lead.unit_id:
        raise ValidationError(
            {"lead": f"已有主办单位（{current_lead.unit}），一件提案建议只能有一个主办单位"}
        )
    lead_unit_id = current_lead.unit_id if current_lead else lead.pk
    if any(unit.pk == lead_unit_id for unit in co_units):
        raise ValidationError({"co_units": "主办单位不能同时作为会办单位"})
    returned = set(
        proposal.assignments.filter(round=proposal.round, returned_on__isnull=False).values_list(
            "unit_id", flat=True
        )
    )
    if current_lead is None:
        # a co-unit made the lead (改为主办) leaves its co-handling part
        promoted = [a for a in current if a.unit_id == lead.pk]
        for assignment in promoted:
            assignment.active = False
            assignment.save(update_fields=["active"])
            current.remove(assignment)
    wanted = ([] if current_lead else [(lead, Assignment.Role.LEAD)]) + [
        (u, Assignment.Role.CO) for u in co_units
    ]
    active_units = {a.unit_id for a in current}
    added = []
    for unit, role in wanted:
        if unit.pk in active_units:
            continue
        if unit.pk in returned:
            raise ValidationError(f"{unit}已退回本件，不能再交办给该单位")
        days = REPLY_DAYS if role == Assignment.Role.LEAD else CO_VIEW_DAYS
        assignment = Assignment(
            proposal=proposal,
            unit=unit,
            role=role,
            round=proposal.round,
            assigned_on=on,
            due_on=add_working_days(on, days),
            return_until=add_working_days(on, RETURN_DAYS),
        )
        assignment.full_clean()
        assignment.save()
        active_units.add(unit.pk)
        added.append(f"{unit.name}（{assignment.get_role_display()}，{assignment.due_on}前）")
    old_state = proposal.state
    proposal.state = State.HANDLING
    proposal.save(update_fields=["state"])
    record_change(
        actor=actor,
        action="proposals.assign",
        obj=proposal,
        old={"state": old_state},
        new={"state": proposal.state, "assigned": added, "on": str(on)},
    )
    return proposal


@transaction.atomic
def assignment_return(
    *, actor, assignment: Assignment, reason: str, today: dt.date | None = None
) -> Assignment:
    """A misrouted case goes back to the office with a reason, within RETURN_DAYS working days."""
    assignment = (
        Assignment.objects.select_for_update().select_related("proposal", "unit").get(pk=assignment.pk)
    )
    access.access_unit_assignment(actor, assignment)
    today = _today(today)
    if not assignment.active:
        raise ValidationError("该交办已退回")
    if assignment.proposal.state not in (State.HANDLING,):
        raise ValidationError("只有办理中的提案建议可以退回")
    if not reason.strip():
        raise ValidationError({"reason": "请填写退回理由"})
    if today > assignment.return_until:
        raise ValidationError(
            f"退回须在交办之日起{RETURN_DAYS}个工作日内提出（本件截至{assignment.return_until}），已超过期限"
        )
    assignment.active = False
    assignment.returned_on = today
    assignment.return_reason = reason.strip()
    assignment.save(update_fields=["active", "returned_on", "return_reason"])
    proposal = assignment.proposal
    if assignment.role == Assignment.Role.LEAD:
        proposal.state = State.RETURNED
        proposal.save(update_fields=["state"])
    record_change(
        actor=actor,
        action="proposals.return",
        obj=assignment,
        old={"active": True},
        new={"active": False, "returned_on": str(today)},
        reason=assignment.return_reason,
    )
    return assignment


@transaction.atomic
def extension_request(
    *, actor, proposal: Proposal, days: int, reason: str, today: dt.date | None = None
) -> Extension:
    proposal = _locked(proposal)
    lead = access.access_lead(actor, proposal)
    today = _today(today)
    earlier = proposal.extensions.filter(requested_at__isnull=False).first()
    if earlier is not None:
        raise ValidationError(
            f"每件提案建议只能申请一次延期（已于{timezone.localtime(earlier.requested_at):%Y-%m-%d}申请，"
            f"{earlier.get_state_display()}）"
        )
    if proposal.state != State.HANDLING:
        raise ValidationError("只有办理中的提案建议可以申请延期")
    if not reason.strip():
        raise ValidationError({"reason": "请填写延期理由"})
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise ValidationError({"days": f"延期不超过{MAX_EXTENSION_DAYS}个工作日"})
    if today > lead.due_on:
        raise ValidationError(f"延期须在办理期限（{lead.due_on}）届满前申请")
    extension = Extension(proposal=proposal, days=days, reason=reason.strip(), requested_by=actor)
    extension.full_clean()
    extension.save()
    record_change(
        actor=actor,
        action="proposals.extension_request",
        obj=extension,
        new={"days": days},
        reason=extension.reason,
    )
    return extension


@transaction.atomic
def extension_decide(*, actor, extension: Extension, approve: bool, reason: str = "") -> Extension:
    access.access_office(actor)
    extension = Extension.objects.select_for_update().get(pk=extension.pk)
    if extension.state != Extension.State.PENDING:
        raise ValidationError("该延期申请已审批")
    extension.decided_by = actor
    if approve:
        lead = access.active_lead(extension.proposal)
        if lead is None:
            raise ValidationError("该提案建议当前没有主办单位")
        extension.old_due_on = lead.due_on
        lead.due_on = add_working_days(lead.due_on, extension.days)
        lead.save(update_fields=["due_on"])
        extension.new_due_on = lead.due_on
        extension.state = Extension.State.APPROVED
    else:
        extension.state = Extension.State.REFUSED
    extension.save()
    record_change(
        actor=actor,
        action="proposals.extension_decide",
        obj=extension,
        old={"state": Extension.State.PENDING, "due_on": str(extension.old_due_on or "")},
        new={"state": extension.state, "due_on": str(extension.new_due_on or "")},
        reason=reason,
    )
    return extension


# ---------------------------------------------------------------- co-handling


@transaction.atomic
def coview_submit(
    *, actor, assignment: Assignment, text: str, figures: str = "", today: dt.date | None = None
) -> CoView:
    assignment = Assignment.objects.select_for_update().select_related("proposal").get(pk=assignment.pk)
    access.access_unit_assignment(actor, assignment)
    if assignment.role != Assignment.Role.CO or not assignment.active:
        raise ValidationError("只有有效的会办单位可以填写会办意见")
    if assignment.proposal.state not in (State.HANDLING, State.AWAITING):
        raise ValidationError("本件已答复，会办意见不能再修改")
    if not text.strip():
        raise ValidationError({"text": "请填写会办意见"})
    view = CoView.objects.filter(assignment=assignment).first()
    old = field_values(view, ["text", "figures"]) if view else None
    view = view or CoView(assignment=assignment)
    view.text, view.figures, view.author, view.sent_on = text.strip(), figures.strip(), actor, _today(today)
    view.full_clean()
    view.save()
    record_change(
        actor=actor, action="proposals.coview", obj=view, old=old, new=field_values(view, ["text", "figures"])
    )
    return view


# ---------------------------------------------------------------- templates and replies


@transaction.atomic
def template_upload(
    *, actor, unit: Unit, name: str, content: bytes, number_pattern: str = "镇经信案复〔{year}〕{n}号"
) -> ReplyTemplate:
    require(access.is_office(actor) or unit.pk in access.unit_ids(actor), f"仅限{unit}人员上传答复模板")
    if "{n}" not in number_pattern:
        raise ValidationError({"number_pattern": "文号格式须含 {n}（提案编号），可含 {year}（年份）"})
    try:
        number_pattern.format(year=2015, n=10)
    except (KeyError, IndexError, ValueError) as exc:
        raise ValidationError({"number_pattern": f"文号格式无效：{number_pattern}"}) from exc
    try:
        placeholders = documents.scan_docx(content)
    except documents.TemplateError as exc:
        raise ValidationError({"content": [str(p) for p in exc.problems]}) from exc
    template = ReplyTemplate(
        unit=unit,
        name=name.strip(),
        number_pattern=number_pattern,
        content=content,
        placeholders=[p.text for p in placeholders],
        uploaded_by=actor,
    )
    template.full_clean()
    template.save()
    record_change(
        actor=actor,
        action="proposals.template_upload",
        obj=template,
        new={"name": template.name, "placeholders": template.placeholders},
    )
    return template


def _fields(
    proposal: Proposal, *, number: str, reply_class: str, addressee: str, signature: str, day
) -> dict:
    co = proposal.assignments.filter(round=1, role=Assignment.Role.CO, active=True).select_related("unit")
    return {
        "文号": number,
        "标注类别": reply_class or "（未标注）",
        "收件人": addressee,
        "署名": signature,
        "日期": documents.chinese_date(day),
        "标题": proposal.title,
        "会议": proposal.session_label,
        "编号": str(proposal.number),
        "提案人": proposal.proposer,
        "会办单位": "、".join(a.unit.name for a in co),
    }


@transaction.atomic
def draft_save(
    *,
    actor,
    proposal: Proposal,
    template: ReplyTemplate,
    body: str = "",
    reply_class: str = "",
    addressee: str = "",
    signature: str = "",
    reply_date: dt.date | None = None,
    kind: str = ReplyDraft.Kind.REPLY,
) -> ReplyDraft:
    """A new version of the reply (or of the follow-up reply to a B-class case), rendered from the
    template with the figures read from the records now."""
    proposal = _locked(proposal)
    lead = (
        access.access_lead(actor, proposal)
        if kind == ReplyDraft.Kind.REPLY
        else _follow_up_lead(actor, proposal)
    )
    if kind == ReplyDraft.Kind.REPLY and proposal.state not in (State.HANDLING, State.AWAITING):
        raise ValidationError(f"「{proposal.get_state_display()}」的提案建议不能起草答复")
    if template.unit_id != lead.unit_id:
        raise ValidationError({"template": f"请使用{lead.unit}的答复模板"})
    if reply_class and reply_class not in ReplyClass.values:
        raise ValidationError({"reply_class": "标注类别应为 A、B、C 或 D"})
    try:
        documents.scan_body(body)
    except documents.TemplateError as exc:
        raise ValidationError({"body": [str(p) for p in exc.problems]}) from exc
    day = reply_date or timezone.localdate()
    number = template.number_pattern.format(year=day.year, n=proposal.number)
    addressee = addressee.strip() or proposal.proposer
    signature = signature.strip() or lead.unit.full_name or lead.unit.name
    fields = _fields(
        proposal, number=number, reply_class=reply_class, addressee=addressee, signature=signature, day=day
    )
    content, used = documents.render_docx(bytes(template.content), fields, body)
    drafts = proposal.drafts.filter(round=proposal.round, kind=kind)
    drafts.filter(state__in=[ReplyDraft.State.DRAFT, ReplyDraft.State.SUBMITTED]).update(
        state=ReplyDraft.State.SUPERSEDED
    )
    version = (drafts.aggregate(v=Max("version"))["v"] or 0) + 1
    draft = ReplyDraft(
        proposal=proposal,
        round=proposal.round,
        kind=kind,
        version=version,
        template=template,
        document_number=number,
        reply_class=reply_class,
        addressee=addressee,
        body=body,
        signature=signature,
        reply_date=day,
        figures=used,
        docx=content,
        author=actor,
    )
    draft.full_clean()
    draft.save()
    if proposal.state == State.AWAITING:
        proposal.state = State.HANDLING
        proposal.save(update_fields=["state"])
    record_change(
        actor=actor,
        action="proposals.draft_save",
        obj=draft,
        new={
            "version": version,
            "reply_class": reply_class,
            "figures": [f"{f['code']}@{f['year']}={f['value']}" for f in used],
        },
    )
    return draft


def _follow_up_lead(actor, proposal: Proposal) -> Assignment:
    if proposal.reply_class != ReplyClass.B or proposal.state not in (State.REPLIED, State.CLOSED):
        raise ValidationError("只有已答复且标注为B类（正在解决或列入计划）的提案建议可以跟踪答复")
    lead = proposal.assignments.filter(role=Assignment.Role.LEAD, active=True).order_by("-round").first()
    require(lead is not None and lead.unit_id in access.unit_ids(actor), "仅限主办单位人员")
    return lead


@transaction.atomic
def draft_regenerate(*, actor, draft: ReplyDraft) -> ReplyDraft:
    """The same draft again as a new version, with the figures as the records are now."""
    return draft_save(
        actor=actor,
        proposal=draft.proposal,
        template=draft.template,
        body=draft.body,
        reply_class=draft.reply_class,
        addressee=draft.addressee,
        signature=draft.signature,
        reply_date=draft.reply_date,
        kind=draft.kind,
    )


@transaction.atomic
def draft_submit(*, actor, draft: ReplyDraft) -> ReplyDraft:
    draft = ReplyDraft.objects.select_for_update().select_related("proposal").get(pk=draft.pk)
    proposal = _locked(draft.proposal)
    if draft.kind == ReplyDraft.Kind.REPLY:
        access.access_lead(actor, proposal)
    else:
        _follow_up_lead(actor, proposal)
    if draft.state != ReplyDraft.State.DRAFT:
        raise ValidationError(f"只有草稿可以提交审签（本稿为「{draft.get_state_display()}」）")
    if draft.kind == ReplyDraft.Kind.REPLY and not draft.reply_class:
        raise ValidationError({"reply_class": "答复须标注类别（A/B/C/D）后方可提交审签"})
    draft.state = ReplyDraft.State.SUBMITTED
    draft.save(update_fields=["state"])
    if draft.kind == ReplyDraft.Kind.REPLY:
        proposal.state = State.AWAITING
        proposal.save(update_fields=["state"])
    record_change(
        actor=actor,
        action="proposals.draft_submit",
        obj=draft,
        old={"state": "draft"},
        new={"state": "submitted"},
    )
    return draft


@transaction.atomic
def draft_approve(*, actor, draft: ReplyDraft, today: dt.date | None = None) -> ReplyDraft:
    """The unit leader signs the reply: it is final (never changes) and the case is answered."""
    draft = ReplyDraft.objects.select_for_update().select_related("proposal").get(pk=draft.pk)
    proposal = _locked(draft.proposal)
    if draft.kind == ReplyDraft.Kind.REPLY:
        access.access_approve(actor, draft)
    else:
        lead = _follow_up_lead(actor, proposal)
        require(access.leads_unit(actor, lead.unit_id), "答复须由主办单位领导审签")
    if draft.state != ReplyDraft.State.SUBMITTED:
        raise ValidationError(f"只有待审签的答复可以签发（本稿为「{draft.get_state_display()}」）")
    if draft.kind == ReplyDraft.Kind.REPLY and not draft.reply_class:
        raise ValidationError({"reply_class": "答复须标注类别（A/B/C/D）后方可签发"})
    draft.state = ReplyDraft.State.APPROVED
    draft.approved_by = actor
    draft.approved_at = timezone.now()
    draft.save(update_fields=["state", "approved_by", "approved_at"])
    old = field_values(proposal, ["state", "reply_class", "replied_on"])
    if draft.kind == ReplyDraft.Kind.REPLY:
        proposal.state = State.REPLIED
        proposal.reply_class = draft.reply_class
        proposal.replied_on = _today(today)
        proposal.save(update_fields=["state", "reply_class", "replied_on"])
    record_change(
        actor=actor,
        action="proposals.draft_approve",
        obj=draft,
        old=old,
        new=field_values(proposal, ["state", "reply_class", "replied_on"])
        | {"document_number": draft.document_number},
    )
    return draft


# ---------------------------------------------------------------- feedback


@transaction.atomic
def feedback_record(
    *, actor, proposal: Proposal, handling: str, result: str, comment: str = "", today: dt.date | None = None
) -> Feedback:
    """The proposer's ratings of the handling and of the result. 不满意 on either opens the second
    handling by the same lead unit, due SECOND_DAYS working days later; after the second handling
    the case closes whatever the rating."""
    proposal = _locked(proposal)
    access.access_feedback(actor, proposal)
    today = _today(today)
    if proposal.state != State.REPLIED:
        raise ValidationError(
            f"尚未答复的提案建议不能反馈办理意见（当前为「{proposal.get_state_display()}」）"
            if proposal.state != State.CLOSED
            else "本件已办结，反馈已录入"
        )
    for name, value in (("handling", handling), ("result", result)):
        if value not in Rating.values:
            raise ValidationError({name: "应为 满意、基本满意 或 不满意"})
    feedback = Feedback(
        proposal=proposal,
        round=proposal.round,
        handling=handling,
        result=result,
        comment=comment,
        recorded_by=actor,
        on_behalf=actor.pk != proposal.proposer_user_id,
        recorded_on=today,
    )
    feedback.full_clean()
    feedback.save()
    old = field_values(proposal, ["state", "round"])
    unsatisfied = Rating.UNSATISFIED in (handling, result)
    if unsatisfied and proposal.round == 1:
        lead = proposal.assignments.filter(round=1, role=Assignment.Role.LEAD, active=True).get()
        proposal.round = 2
        proposal.state = State.HANDLING
        Assignment.objects.create(
            proposal=proposal,
            unit=lead.unit,
            role=Assignment.Role.LEAD,
            round=2,
            assigned_on=today,
            due_on=add_working_days(today, SECOND_DAYS),
            return_until=today,  # a second handling cannot be returned
        )
    else:
        proposal.state = State.CLOSED
    proposal.save(update_fields=["state", "round"])
    record_change(
        actor=actor,
        action="proposals.feedback",
        obj=proposal,
        old=old,
        new=field_values(proposal, ["state", "round"]) | {"handling": handling, "result": result},
        reason=comment,
    )
    return feedback


@transaction.atomic
def proposal_publish(*, actor, proposal: Proposal, published: bool) -> Proposal:
    access.access_office(actor)
    proposal = _locked(proposal)
    if published and proposal.state not in (State.REPLIED, State.CLOSED):
        raise ValidationError("只有已答复的提案建议可以公开")
    old = proposal.published
    proposal.published = published
    proposal.save(update_fields=["published"])
    record_change(
        actor=actor,
        action="proposals.publish",
        obj=proposal,
        old={"published": old},
        new={"published": published},
    )
    return proposal
