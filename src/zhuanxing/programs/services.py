"""Writes of 政策兑现. Each validates fully, happens in one transaction and is audited.

Every workflow transition locks its application row (``SELECT … FOR UPDATE``), checks the
permission (``access.access_transition``) and the state it starts from, changes the state and
writes the audit entry (who, when, from, to, why) in one transaction: two people acting on the
same application at the same moment are served one after the other, and the second finds the
state already moved. 核定 first locks the policy row, so approvals of one policy are serialised
and its budget is never exceeded (see ``settlement``).

``now`` parameters exist for records entered after the fact and for the demo; the pages and
the API never pass them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhuanxing import awards, workflow
from zhuanxing.accounts.access import require
from zhuanxing.accounts.audit import changed_fields, field_values, record_change
from zhuanxing.accounts.models import Role
from zhuanxing.awards.policy import LevelDifference
from zhuanxing.campaigns import selectors as campaign_selectors
from zhuanxing.campaigns import services as campaign_services
from zhuanxing.campaigns.models import LevelPromotion
from zhuanxing.params import spec_size_problem
from zhuanxing.programs import access, adapters, selectors, settlement
from zhuanxing.programs.models import (
    BANK_FIELDS,
    Application,
    Attachment,
    ConflictDeclaration,
    Payment,
    Policy,
    PublicObjection,
    ReviewAssignment,
    ReviewerProfile,
)
from zhuanxing.programs.workflows import APPLICATION
from zhuanxing.registry.models import Enterprise
from zhuanxing.workdays import add_working_days, notice_period

State = Application.State
NOTICE_DAYS = 5  # 公示: working days
PROPOSAL_DAYS = 10  # working days staff have to confirm a 免申即享 proposal
# the working days each step may take (its deadline, then the overdue list) are in the workflow
# table, ``programs/workflows.py``
ATTACHMENT_SUFFIXES = {".pdf", ".ofd", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx", ".zip"}
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
POLICY_FIELDS = [
    "code",
    "name",
    "doc_number",
    "department",
    "year",
    "opens_on",
    "closes_on",
    "budget",
    "published",
    "expert_clauses",
    "payment_plan",
]
BANK_LABELS = {"bank_account_name": "收款户名", "bank_name": "开户银行", "bank_account": "银行账号"}
PROMOTION_REF = "promotion:"  # Application.source_ref of a proposal made from a campaigns LevelPromotion


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _day(now: dt.datetime) -> dt.date:
    return timezone.localtime(now).date()


# ---------------------------------------------------------------- policies


def rules_from_text(text: str) -> awards.Policy:
    """A policy file checked whole: the engine's own rules (every problem with its key path) and
    the facts the platform can supply. Problems as ``ValidationError`` on ``text``."""
    too_large = spec_size_problem(text, "政策文件")
    if too_large:
        raise ValidationError({"text": [too_large]})
    try:
        rules = awards.load_policy(text)
    except awards.PolicyError as exc:
        raise ValidationError({"text": [str(p) for p in exc.problems]}) from exc
    problems = adapters.catalogue_problems(rules)
    if problems:
        raise ValidationError({"text": [str(p) for p in problems]})
    return rules


def _expert_clauses(rules: awards.Policy, chosen: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(chosen))
    unknown = [c for c in chosen if c not in rules.clauses_by_id]
    if unknown:
        raise ValidationError({"expert_clauses": f"政策中没有这些条款：{'、'.join(unknown)}"})
    return chosen


def _rules_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _audited_policy(policy: Policy) -> dict:
    return field_values(policy, POLICY_FIELDS) | {"rules": _rules_digest(policy.text)}


@transaction.atomic
def policy_create(
    *,
    actor,
    text: str,
    document=None,
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
    budget: Decimal | None = None,
    published: bool = False,
    expert_clauses: Iterable[str] = (),
    payment_plan: list[int] | None = None,
) -> Policy:
    """A policy from its file. The budget is the row's (staff may change it later); left empty,
    it starts as the file's ``budget``."""
    rules = rules_from_text(text)
    if Policy.objects.filter(code=rules.id).exists():
        raise ValidationError({"text": f"政策编号「{rules.id}」已存在；请在该政策的页面修改"})
    policy = Policy(
        code=rules.id,
        name=rules.name,
        doc_number=rules.doc_number or "",
        department=rules.department or "",
        year=rules.year,
        text=text,
        opens_on=opens_on,
        closes_on=closes_on,
        budget=budget if budget is not None else rules.budget,
        published=published,
        expert_clauses=_expert_clauses(rules, expert_clauses),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    if payment_plan is not None:
        policy.payment_plan = payment_plan
    if document:
        policy.document = document
    policy.full_clean()
    policy.save()
    record_change(actor=actor, action="政策新增", obj=policy, new=_audited_policy(policy))
    return policy


@transaction.atomic
def policy_update(
    *, actor, policy: Policy, reason: str = "", text: str | None = None, document=None, **changes
) -> Policy:
    """Change a policy's period, budget, publication, expert clauses, payment plan, document, or
    its file. The file (the rules) can change only while no application has been submitted."""
    allowed = {"opens_on", "closes_on", "budget", "published", "expert_clauses", "payment_plan"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(f"不能修改的字段：{', '.join(sorted(unknown))}")
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    before = _audited_policy(policy)
    rules = adapters.rules_of(policy)
    if text is not None and text != policy.text:
        if policy.applications.exclude(state=State.DRAFT).exists():
            raise ValidationError({"text": "已有提交的申报，不能再修改计算规则；请另行发布新版政策"})
        rules = rules_from_text(text)
        if rules.id != policy.code and Policy.objects.filter(code=rules.id).exists():
            raise ValidationError({"text": f"政策编号「{rules.id}」已被另一政策使用"})
        policy.text, policy.code, policy.name, policy.year = text, rules.id, rules.name, rules.year
        policy.doc_number, policy.department = rules.doc_number or "", rules.department or ""
    if "expert_clauses" in changes:
        changes["expert_clauses"] = _expert_clauses(rules, changes["expert_clauses"])
    else:
        policy.expert_clauses = [c for c in policy.expert_clauses if c in rules.clauses_by_id]
    budget = changes.get("budget", policy.budget)
    approved = selectors.committed(policy)
    if budget is not None and budget < approved:
        raise ValidationError({"budget": f"预算不能低于已核定的 {approved} 万元"})
    for name, value in changes.items():
        setattr(policy, name, value)
    if document:
        policy.document = document
    policy.full_clean()
    policy.save()
    old, new = changed_fields(before, _audited_policy(policy))
    if document:
        new["document"] = policy.document.name
    if new:
        record_change(actor=actor, action="政策修改", obj=policy, old=old, new=new, reason=reason)
    return policy


def policy_load_shipped(*, actor, name: str, **options) -> Policy:
    """Load one of the policy files shipped with the platform (``zhuanxing/policies``)."""
    shipped = awards.shipped_policies()
    if name not in shipped:
        raise ValidationError({"name": f"没有内置政策「{name}」（可选：{'、'.join(shipped)}）"})
    return policy_create(actor=actor, text=shipped[name].read_text(encoding="utf-8"), **options)


# ---------------------------------------------------------------- applications: the enterprise's part


def _locked(application: Application) -> Application:
    """The application, its row locked for the transaction (only its own row: ``of=self`` keeps the
    joined policy, enterprise and town unlocked, so the policy lock of 核定 stays the only one)."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("policy", "enterprise__town")
        .get(pk=application.pk)
    )


def _move(application: Application, action: str, *, actor, now: dt.datetime, **options) -> Application:
    """The state change through the workflow table: it locks the row, checks the state and the
    permission, sets the stamps and the deadline and writes the audit entry."""
    return workflow.apply_transition(APPLICATION, application, action, actor=actor, now=now, **options)


def _assign_number(application: Application) -> None:
    application.number = f"{application.year}-{application.pk:06d}"
    application.save(update_fields=["number"])


def _clause(policy: Policy, clause_id: str) -> awards.Clause:
    clause = adapters.rules_of(policy).clauses_by_id.get(clause_id)
    if clause is None:
        raise ValidationError({"clause": f"政策「{policy.name}」没有条款「{clause_id}」"})
    return clause


def _field_values(clause: awards.Clause, fields: Mapping[str, object]) -> dict[str, str | None]:
    return {f.id: (str(fields.get(f.id) or "").strip() or None) for f in clause.fields}


def _check_open(policy: Policy, today: dt.date) -> None:
    if not policy.published:
        raise ValidationError("该政策尚未发布")
    if policy.opens_on and today < policy.opens_on:
        raise ValidationError(f"申报将于 {policy.opens_on} 开始")
    if policy.closes_on and today > policy.closes_on:
        raise ValidationError(f"申报已于 {policy.closes_on} 截止")


def _apply_assessment(application: Application, assessment: awards.Assessment) -> None:
    application.computed = assessment.computed
    application.computed_reasons = "；".join(assessment.reasons)[:500]
    application.explanation = list(assessment.explanation)


def _attach(application: Application, files: Iterable, actor) -> list[str]:
    names = []
    for upload in files:
        suffix = Path(upload.name).suffix.lower()
        if suffix not in ATTACHMENT_SUFFIXES:
            raise ValidationError(
                {
                    "attachments": f"附件「{upload.name}」的类型不支持（可用：{'、'.join(sorted(ATTACHMENT_SUFFIXES))}）"
                }
            )
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise ValidationError({"attachments": f"附件「{upload.name}」超过 20 MB"})
        attachment = Attachment(application=application, name=Path(upload.name).name[:200], uploaded_by=actor)
        attachment.file = upload
        attachment.save()
        names.append(attachment.name)
    return names


@transaction.atomic
def application_create(
    *,
    actor,
    policy: Policy,
    clause_id: str,
    enterprise: Enterprise,
    fields: Mapping[str, object],
    project_code: str = "",
    project_name: str = "",
    attachments: Iterable = (),
    now: dt.datetime | None = None,
    **bank: str,
) -> Application:
    """A draft application, with the award it would receive now and why (the calculator)."""
    now = _now(now)
    require(access.may_apply(actor, policy, enterprise), "只能为本企业申报已发布的政策")
    _check_open(policy, _day(now))
    clause = _clause(policy, clause_id)
    if clause.automatic:
        raise ValidationError({"clause": f"「{clause.label}」为免申即享条款，无需申报"})
    values = _field_values(clause, fields)
    _facts, assessment = selectors.calculate(policy, clause_id, enterprise, values)
    application = Application(
        policy=policy,
        clause_id=clause.id,
        clause_label=clause.label,
        enterprise=enterprise,
        year=adapters.policy_year(policy),
        project_code=project_code.strip(),
        project_name=project_name.strip(),
        fields=values,
        state=State.DRAFT,
        state_since=now,
        created_by=actor,
        **{name: bank.get(name, "").strip() for name in BANK_FIELDS},
    )
    _apply_assessment(application, assessment)
    application.full_clean(validate_constraints=False)  # its constraints concern 免申即享 proposals
    application.save()
    _assign_number(application)
    added = _attach(application, attachments, actor)
    record_change(
        actor=actor,
        action="申报创建",
        obj=application,
        new={
            "state": State.DRAFT,
            "clause": clause.id,
            "computed": str(assessment.computed),
            "attachments": added,
        },
    )
    return application


@transaction.atomic
def application_update(
    *,
    actor,
    application: Application,
    fields: Mapping[str, object],
    project_code: str = "",
    project_name: str = "",
    attachments: Iterable = (),
    **bank: str,
) -> Application:
    """Change a draft, or an application returned for completion (退回补正)."""
    application = _locked(application)
    access.access_transition(actor, application, "edit")
    clause = _clause(application.policy, application.clause_id)
    audited = ["project_code", "project_name", "fields", "computed", *BANK_FIELDS]
    before = field_values(application, audited)
    values = _field_values(clause, fields)
    _facts, assessment = selectors.calculate(application.policy, clause.id, application.enterprise, values)
    application.fields = values
    application.project_code, application.project_name = project_code.strip(), project_name.strip()
    for name in BANK_FIELDS:
        setattr(application, name, bank.get(name, "").strip())
    _apply_assessment(application, assessment)
    application.full_clean(validate_unique=False, validate_constraints=False)  # no key field changes
    application.save()
    added = _attach(application, attachments, actor)
    old, new = changed_fields(before, field_values(application, audited))
    if added:
        new["attachments"] = added
    if new:
        record_change(actor=actor, action="申报修改", obj=application, old=old, new=new)
    return application


@transaction.atomic
def application_submit(*, actor, application: Application, now: dt.datetime | None = None) -> Application:
    """Submit (or resubmit after 补正): the facts are taken from the registry now and kept with
    the application, and its award is computed on them."""

    def prepare(application: Application) -> dict:
        clause = _clause(application.policy, application.clause_id)
        missing = [f"{f.label}未填写" for f in clause.required_fields if not application.fields.get(f.id)]
        missing += [f"{BANK_LABELS[name]}未填写" for name in BANK_FIELDS if not getattr(application, name)]
        if missing:
            raise ValidationError(missing)
        facts, assessment = selectors.calculate(
            application.policy, clause.id, application.enterprise, application.fields
        )
        application.facts = adapters.snapshot(facts)
        _apply_assessment(application, assessment)
        return {"computed": str(assessment.computed)}

    return _move(application, "submit", actor=actor, now=_now(now), prepare=prepare)


@transaction.atomic
def bank_confirm(
    *, actor, application: Application, now: dt.datetime | None = None, **bank: str
) -> Application:
    """免申即享: the enterprise confirms the account the award is paid to, in one step."""
    values = {name: bank.get(name, "").strip() for name in BANK_FIELDS}

    def prepare(application: Application) -> dict:
        missing = [f"{BANK_LABELS[name]}未填写" for name, value in values.items() if not value]
        if missing:
            raise ValidationError(missing)
        for name, value in values.items():
            setattr(application, name, value)
        return values

    return _move(application, "confirm_bank", actor=actor, now=_now(now), prepare=prepare)


# ---------------------------------------------------------------- review


@transaction.atomic
def application_decide(
    *, actor, application: Application, decision: str, reason: str = "", now: dt.datetime | None = None
) -> Application:
    """A review step's decision: ``pass`` to the next step, ``return`` for completion (退回补正) or
    ``reject`` (不予支持); the last two need a reason."""
    if decision not in ("pass", "return", "reject"):
        raise ValidationError(f"未知的审核结果「{decision}」")
    now = _now(now)

    def prepare(application: Application) -> dict:
        if decision == "reject":
            _dismiss_promotion(actor, application, reason)
            return {}
        if decision != "pass":
            return {}
        if application.state == State.BUREAU_REVIEW:
            expert = application.clause_id in application.policy.expert_clauses
            to = State.EXPERT_REVIEW if expert else State.NOTICE
        elif application.state == State.EXPERT_REVIEW:
            reviews = application.reviews.exclude(state=ReviewAssignment.State.RECUSED)
            if reviews.filter(state=ReviewAssignment.State.ASSIGNED).exists():
                raise ValidationError("还有专家未提交评审意见")
            if not reviews.filter(state=ReviewAssignment.State.DONE).exists():
                raise ValidationError("还没有专家提交评审意见")
            to = State.NOTICE
        else:
            return {}
        if to != State.NOTICE:
            return {"to": to}
        application.notice_from, application.notice_until = notice_period(_day(now), NOTICE_DAYS)
        return {
            "to": to,
            "notice_from": str(application.notice_from),
            "notice_until": str(application.notice_until),
        }

    return _move(application, decision, actor=actor, now=now, reason=reason, prepare=prepare)


def _dismiss_promotion(actor, application: Application, reason: str) -> None:
    """A rejected proposal made from a campaigns level promotion marks the promotion dismissed."""
    if application.source_ref.startswith(PROMOTION_REF):
        promotion = LevelPromotion.objects.get(pk=int(application.source_ref.removeprefix(PROMOTION_REF)))
        campaign_services.promotion_resolve(
            actor=actor,
            promotion=promotion,
            state=LevelPromotion.State.DISMISSED,
            award_ref=application.number,
            reason=reason,
        )


@transaction.atomic
def review_assign(*, actor, application: Application, reviewer) -> ReviewAssignment:
    """Staff assign a reviewer; refused when the reviewer has a conflict of interest with the applicant."""
    application = _locked(application)
    access.access_transition(actor, application, "assign")
    if not (reviewer.is_active and reviewer.role == Role.REVIEWER):
        raise ValidationError({"reviewer": f"{reviewer}不是评审专家"})
    conflict = selectors.conflict_reason(reviewer, application.enterprise)
    if conflict:
        raise ValidationError({"reviewer": f"不能分配给{reviewer}：{conflict}"})
    if application.reviews.filter(reviewer=reviewer).exists():
        raise ValidationError({"reviewer": f"{reviewer}已分配过该申报"})
    assignment = ReviewAssignment(application=application, reviewer=reviewer, assigned_by=actor)
    assignment.full_clean()
    assignment.save()
    record_change(actor=actor, action="分配评审专家", obj=application, new={"reviewer": reviewer.username})
    return assignment


@transaction.atomic
def review_submit(
    *, actor, application: Application, opinion: str, comment: str, now: dt.datetime | None = None
) -> ReviewAssignment:
    application = _locked(application)
    access.access_transition(actor, application, "review")
    assignment = application.reviews.select_for_update().get(
        reviewer=actor, state=ReviewAssignment.State.ASSIGNED
    )
    if not comment.strip():
        raise ValidationError({"comment": "请填写评审说明"})
    assignment.opinion, assignment.comment = opinion, comment.strip()
    assignment.state, assignment.reviewed_at = ReviewAssignment.State.DONE, _now(now)
    assignment.full_clean()
    assignment.save()
    record_change(
        actor=actor,
        action="专家评审意见",
        obj=application,
        new={"opinion": opinion},
        reason=assignment.comment,
    )
    return assignment


@transaction.atomic
def review_recuse(*, actor, application: Application, reason: str) -> ReviewAssignment:
    application = _locked(application)
    access.access_transition(actor, application, "recuse")
    if not reason.strip():
        raise ValidationError({"reason": "请说明回避理由"})
    assignment = application.reviews.select_for_update().get(
        reviewer=actor, state=ReviewAssignment.State.ASSIGNED
    )
    assignment.state = ReviewAssignment.State.RECUSED
    assignment.save(update_fields=["state"])
    record_change(actor=actor, action="评审专家回避", obj=application, reason=reason)
    return assignment


@transaction.atomic
def reviewer_profile_set(*, actor, institution: str) -> ReviewerProfile:
    if not institution.strip():
        raise ValidationError({"institution": "请填写工作单位"})
    profile = ReviewerProfile.objects.filter(user=actor).first() or ReviewerProfile(user=actor)
    before = profile.institution
    profile.institution = institution.strip()
    profile.full_clean()
    profile.save()
    record_change(
        actor=actor,
        action="评审专家工作单位",
        obj=profile,
        old={"institution": before},
        new={"institution": profile.institution},
    )
    return profile


@transaction.atomic
def conflict_declare(*, actor, enterprise: Enterprise, relation: str, note: str = "") -> ConflictDeclaration:
    """A reviewer declares a conflict of interest; reviews of that enterprise still open are recused."""
    declaration = ConflictDeclaration(
        reviewer=actor, enterprise=enterprise, relation=relation, note=note.strip()
    )
    declaration.full_clean()
    declaration.save()
    record_change(
        actor=actor,
        action="利益冲突申报",
        obj=declaration,
        new={"enterprise": enterprise.uscc, "relation": relation},
        reason=note,
    )
    open_reviews = ReviewAssignment.objects.select_for_update().filter(
        reviewer=actor, application__enterprise=enterprise, state=ReviewAssignment.State.ASSIGNED
    )
    for assignment in open_reviews:
        assignment.state = ReviewAssignment.State.RECUSED
        assignment.save(update_fields=["state"])
        record_change(actor=actor, action="评审专家回避", obj=assignment.application, reason="申报利益冲突")
    return declaration


# ---------------------------------------------------------------- public notice


@transaction.atomic
def objection_submit(
    *, application: Application, name: str, contact: str, text: str, today: dt.date | None = None
) -> PublicObjection:
    """Anyone objects to an application on public notice, without signing in."""
    application = _locked(application)
    today = today or timezone.localdate()
    on_notice = (
        application.state == State.NOTICE and application.notice_from <= today <= application.notice_until
    )
    if not on_notice:
        raise ValidationError("该申报不在公示期内")
    objection = PublicObjection(
        application=application, name=name.strip(), contact=contact.strip(), text=text.strip()
    )
    objection.full_clean()
    objection.save()
    record_change(
        actor=None, action="公示异议", obj=application, new={"objection": objection.pk}, reason=objection.text
    )
    return objection


@transaction.atomic
def objection_decide(*, actor, objection: PublicObjection, uphold: bool, reply: str) -> PublicObjection:
    """Staff answer an objection; an upheld one is followed by 不予支持 (or a correction) of the application."""
    access.access_staff_pages(actor)
    objection = PublicObjection.objects.select_for_update().get(pk=objection.pk)
    if objection.state != PublicObjection.State.OPEN:
        raise ValidationError("该异议已处理")
    if not reply.strip():
        raise ValidationError({"reply": "请填写处理意见"})
    objection.state = PublicObjection.State.UPHELD if uphold else PublicObjection.State.DISMISSED
    objection.reply, objection.handled_by, objection.handled_at = reply.strip(), actor, timezone.now()
    objection.full_clean()
    objection.save()
    record_change(
        actor=actor,
        action="处理公示异议",
        obj=objection.application,
        old={"objection": PublicObjection.State.OPEN},
        new={"objection": objection.state},
        reason=objection.reply,
    )
    return objection


# ---------------------------------------------------------------- 核定 and payment


@dataclass
class Approval:
    approved: list[Application]
    skipped: list[str] = field(default_factory=list)


@transaction.atomic
def applications_approve(
    *, actor, policy: Policy, applications: Iterable[Application], now: dt.datetime | None = None
) -> Approval:
    """核定 applications of one policy together: their amounts after exclusive groups, annual
    limits and the remaining budget (``settlement.settle``). The policy row is locked first, then
    the applications (in id order), so concurrent approvals queue and the budget holds. An
    application whose amount comes to 0 is left as it is and reported; if none can be approved,
    nothing is and the reasons are raised."""
    now = _now(now)
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    ids = sorted({a.pk for a in applications})
    batch = list(
        Application.objects.select_for_update(of=("self",))
        .select_related("policy", "enterprise__town")
        .filter(pk__in=ids, policy=policy)
        .order_by("pk")
    )
    if len(batch) != len(ids):
        raise ValidationError("所选申报不属于该政策")
    problems = []
    for application in batch:
        access.access_transition(actor, application, "approve")
        problem = selectors.approval_problem(application, _day(now))
        if problem:
            problems.append(f"{application.number}：{problem}")
    if problems:
        raise ValidationError(problems)
    standing = policy.applications.filter(state__in=selectors.STANDING_STATES).select_related("enterprise")
    remaining = policy.budget - selectors.committed(policy) if policy.budget is not None else None
    decisions = settlement.settle(
        adapters.rules_of(policy), adapters.claims(standing), adapters.claims(batch), remaining=remaining
    )
    result = Approval(approved=[])
    for application in batch:
        decision = decisions[application.number]
        reasons = "；".join(decision.reasons)
        if decision.amount <= 0:
            why = reasons or ("预算已用完" if remaining is not None and remaining <= 0 else "核定额为0")
            result.skipped.append(f"{application.number} {application.enterprise}：{why}")
            continue
        automatic = application.channel == Application.Channel.AUTOMATIC
        to = State.CONFIRMING if automatic and application.bank_confirmed_at is None else State.APPROVED
        application = _move(
            application,
            "approve",
            actor=actor,
            to=to,
            now=now,
            reason=reasons,
            changes={"approved": decision.amount, "approved_reasons": reasons[:500]},
            new={"approved": str(decision.amount)},
        )
        result.approved.append(application)
    if not result.approved:
        raise ValidationError(["未能核定：", *result.skipped])
    return result


def application_approve(*, actor, application: Application, now: dt.datetime | None = None) -> Application:
    return applications_approve(
        actor=actor, policy=application.policy, applications=[application], now=now
    ).approved[0]


@transaction.atomic
def payment_record(
    *,
    actor,
    application: Application,
    stage: int,
    amount: Decimal | str | None = None,
    paid_on: dt.date | None = None,
    voucher: str = "",
    now: dt.datetime | None = None,
) -> Payment:
    """Record stage ``stage`` of the payment (the plan's share unless ``amount`` is given). The
    stage must be the next one, so a second click, or a colleague recording the same stage at
    the same moment, is refused instead of paying twice."""
    now = _now(now)
    recorded: list[Payment] = []

    def prepare(application: Application) -> dict:
        nonlocal amount
        if application.bank_confirmed_at is None:
            raise ValidationError("企业尚未确认收款账户")
        expected, planned = selectors.next_payment(application)
        if stage != expected:
            raise ValidationError(f"第{stage}期已登记" if stage < expected else f"应先登记第{expected}期")
        try:
            amount = planned if amount in (None, "") else Decimal(str(amount)).quantize(selectors.CENT)
        except InvalidOperation as exc:
            raise ValidationError({"amount": f"金额应为数字：「{amount}」"}) from exc
        if amount <= 0 or amount > application.outstanding:
            raise ValidationError(
                {"amount": f"本期金额应大于0且不超过未拨付的 {application.outstanding} 万元"}
            )
        payment = Payment(
            application=application,
            stage=stage,
            amount=amount,
            paid_on=paid_on or _day(now),
            voucher=voucher.strip(),
            recorded_by=actor,
        )
        payment.full_clean()
        payment.save()
        recorded.append(payment)
        application.paid += amount
        done = application.paid == application.approved
        if done:
            application.paid_at = now
        return {
            "to": State.PAID if done else State.PAYING,
            "amount": str(amount),
            "paid": str(application.paid),
        }

    _move(application, "pay", actor=actor, now=now, prepare=prepare, audit=f"拨付第{stage}期")
    return recorded[0]


# ---------------------------------------------------------------- 免申即享


@dataclass
class Proposals:
    proposed: list[Application] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _propose(
    *,
    actor,
    policy: Policy,
    clause: awards.Clause,
    enterprise: Enterprise,
    facts: dict,
    fields: dict,
    now: dt.datetime,
    source_ref: str = "",
    reason: str = "",
) -> Application | None:
    """A 免申即享 proposal: the award computed from data, waiting for staff to confirm it."""
    assessment = selectors.assess(adapters.rules_of(policy), clause, facts, fields)
    if assessment.computed <= 0:
        return None
    application = Application(
        policy=policy,
        clause_id=clause.id,
        clause_label=clause.label,
        enterprise=enterprise,
        year=adapters.policy_year(policy),
        channel=Application.Channel.AUTOMATIC,
        fields=fields,
        facts=adapters.snapshot(facts),
        state=State.PROPOSED,
        state_since=now,
        submitted_at=now,
        source_ref=source_ref,
        bank_account_name=enterprise.name,
    )
    _apply_assessment(application, assessment)
    application.deadline = add_working_days(_day(now), PROPOSAL_DAYS)
    # one proposal per clause, enterprise and year: the callers skip what exists, the database insists
    application.full_clean(validate_constraints=False)
    application.save()
    _assign_number(application)
    record_change(
        actor=actor,
        action="免申即享建议",
        obj=application,
        new={"state": State.PROPOSED, "clause": clause.id, "computed": str(assessment.computed)},
        reason=reason,
    )
    return application


@transaction.atomic
def automatic_propose(*, actor, now: dt.datetime | None = None) -> Proposals:
    """Match every published policy's ``automatic: true`` clauses against the registry, the
    evaluation and the recognitions, and propose each new match; then turn the campaigns
    app's pending level promotions into proposals. ``actor`` None is the platform itself (the
    scheduled ``programs-propose`` command); the page checks its user before calling this.

    A clause without fields is matched on facts alone (its ``eligible`` and vetoes); one with
    fields (a level difference) can only be filled from a level promotion. A problem with one
    policy or promotion is reported and the others go on."""
    now = _now(now)
    found = Proposals()
    for policy in filter(selectors.has_automatic, Policy.objects.filter(published=True)):
        try:
            with transaction.atomic():
                found.proposed += _propose_from_data(actor, policy, now)
        except (ValidationError, awards.DataError) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(p) for p in exc.problems]
            found.problems += [f"{policy.name}：{m}" for m in messages]
    for promotion in campaign_selectors.pending_promotions():
        try:
            with transaction.atomic():
                proposal = promotion_propose(actor=actor, promotion=promotion, now=now)
        except ValidationError as exc:
            found.problems.append(f"{promotion}：{'；'.join(exc.messages)}")
        else:
            if proposal is not None:
                found.proposed.append(proposal)
    return found


def _propose_from_data(actor, policy: Policy, now: dt.datetime) -> list[Application]:
    rules = adapters.rules_of(policy)
    year = adapters.policy_year(policy)
    by_data = {c.id: c for c in rules.clauses if c.automatic and not c.fields}
    if not by_data:
        return []
    rows = adapters.facts_rows(
        rules, Enterprise.objects.filter(status=Enterprise.Status.OPERATING), year=year
    )
    matches = awards.automatic_matches(rules, rows)
    taken = set(
        policy.applications.filter(
            channel=Application.Channel.AUTOMATIC, source_ref="", year=year
        ).values_list("clause_id", "enterprise__uscc")
    )
    facts_by_uscc = {row.pop("uscc"): row for row in rows}
    enterprises = Enterprise.objects.in_bulk(list(facts_by_uscc), field_name="uscc")
    proposed = []
    for uscc, clause_id, veto in matches.iter_rows():
        if veto is not None or clause_id not in by_data or (clause_id, uscc) in taken:
            continue
        proposal = _propose(
            actor=actor,
            policy=policy,
            clause=by_data[clause_id],
            enterprise=enterprises[uscc],
            facts=facts_by_uscc[uscc],
            fields={},
            now=now,
        )
        if proposal is not None:
            proposed.append(proposal)
    return proposed


@transaction.atomic
def promotion_propose(
    *, actor, promotion: LevelPromotion, now: dt.datetime | None = None
) -> Application | None:
    """Turn a campaigns ``LevelPromotion`` (an enterprise registered at a higher level of a kind
    linked to a policy clause) into a 免申即享 proposal of that clause: the level-difference
    award, new level − previous level. Marks the promotion awarded (with the application's
    number), or dismissed when the difference is 0. Problems (the policy not loaded, the clause
    not a level difference, a level the clause does not price) raise ``ValidationError`` and
    leave the promotion pending."""
    now = _now(now)
    promotion = (
        LevelPromotion.objects.select_for_update(of=("self",))
        .select_related("enterprise", "kind", "previous_level", "new_level")
        .get(pk=promotion.pk)
    )
    if promotion.state != LevelPromotion.State.PROPOSED:
        raise ValidationError("该级别晋升已处理")
    policy = Policy.objects.filter(code=promotion.policy_id, published=True).first()
    if policy is None:
        raise ValidationError(f"关联政策「{promotion.policy_id}」尚未载入或未发布")
    clause = _clause(policy, promotion.clause_id)
    award = clause.award
    if not isinstance(award, LevelDifference):
        raise ValidationError(f"条款「{clause.label}」不是级差奖励（level_difference）")
    year = adapters.policy_year(policy)
    if promotion.year != year:
        raise ValidationError(f"认定年度 {promotion.year} 不是政策年度 {year}")
    fields = {award.level: promotion.new_level.name}
    if award.previous:
        fields[award.previous] = promotion.previous_level.name if promotion.previous_level else None
    facts = adapters.facts_of(adapters.rules_of(policy), promotion.enterprise, year=year)
    reason = f"{promotion.kind}：{promotion.previous_level or '无'} → {promotion.new_level}"
    proposal = _propose(
        actor=actor,
        policy=policy,
        clause=clause,
        enterprise=promotion.enterprise,
        facts=facts,
        fields=fields,
        now=now,
        source_ref=f"{PROMOTION_REF}{promotion.pk}",
        reason=reason,
    )
    if proposal is None:
        campaign_services.promotion_resolve(
            actor=actor, promotion=promotion, state=LevelPromotion.State.DISMISSED, reason="级差奖励为0"
        )
        return None
    campaign_services.promotion_resolve(
        actor=actor,
        promotion=promotion,
        state=LevelPromotion.State.AWARDED,
        award_ref=proposal.number,
        reason=reason,
    )
    return proposal
