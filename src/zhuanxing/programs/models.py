"""Support policies, applications and their review, public notice, payments, 免申即享.

A policy's rules are its YAML file (the award engine's contract, stored as text); the row
around it holds what the site adds: the document, the application period, the budget, which
clauses need expert review and how payment is staged. An application keeps its computed,
approved and paid amounts apart; 免申即享 proposals are applications of the ``automatic``
channel, so review, budget and payment are the same records.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhuanxing.registry.models import Enterprise

MONEY = {"max_digits": 14, "decimal_places": 2}
DEFAULT_PAYMENT_PLAN = [30, 70]
BANK_FIELDS = ("bank_account_name", "bank_name", "bank_account")  # the account an award is paid to


def default_payment_plan() -> list[int]:
    return list(DEFAULT_PAYMENT_PLAN)


def policy_document_path(instance: Policy, filename: str) -> str:
    return f"policies/{instance.code}/{filename}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"applications/{instance.application_id}/{filename}"


class Policy(models.Model):
    code = models.CharField(_("政策编号"), max_length=80, unique=True, help_text=_("政策文件中的 id"))
    name = models.CharField(_("政策名称"), max_length=200)
    doc_number = models.CharField(_("文号"), max_length=80, blank=True)
    department = models.CharField(_("主管部门"), max_length=50, blank=True)
    year = models.PositiveSmallIntegerField(_("政策年度"), null=True, blank=True)
    text = models.TextField(_("政策文件（YAML）"))
    document = models.FileField(_("政策原文"), upload_to=policy_document_path, blank=True)
    opens_on = models.DateField(_("申报开始"), null=True, blank=True)
    closes_on = models.DateField(_("申报截止"), null=True, blank=True)
    budget = models.DecimalField(
        _("预算（万元）"), **MONEY, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    published = models.BooleanField(_("已发布"), default=False)
    expert_clauses = models.JSONField(_("需专家评审的条款"), default=list, blank=True)
    payment_plan = models.JSONField(_("分期拨付比例（%）"), default=default_payment_plan)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("政策")
        verbose_name_plural = _("政策")
        ordering = ["-year", "code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            errors["closes_on"] = f"申报截止 {self.closes_on} 早于申报开始 {self.opens_on}"
        plan = self.payment_plan
        if (
            not isinstance(plan, list)
            or not plan
            or not all(isinstance(p, int) and not isinstance(p, bool) and p > 0 for p in plan)
            or sum(plan) != 100
        ):
            errors["payment_plan"] = f"分期拨付比例应为合计 100 的正整数，如 30,70：{plan}"
        if errors:
            raise ValidationError(errors)


class Application(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交（待镇街初审）")
        BUREAU_REVIEW = "bureau_review", _("部门审核")
        EXPERT_REVIEW = "expert_review", _("专家评审")
        NOTICE = "notice", _("公示")
        PROPOSED = "proposed", _("免申即享待确认")
        CONFIRMING = "confirming", _("待企业确认收款账户")
        APPROVED = "approved", _("已核定")
        PAYING = "paying", _("拨付中")
        PAID = "paid", _("已拨付")
        RETURNED = "returned", _("退回补正")
        REJECTED = "rejected", _("不予支持")

    class Channel(models.TextChoices):
        APPLIED = "applied", _("企业申报")
        AUTOMATIC = "automatic", _("免申即享")

    # set right after the row is first saved (it contains the id); unique, so "not yet" is null
    number = models.CharField(_("申报编号"), max_length=30, unique=True, null=True, blank=True)  # noqa: DJ001
    policy = models.ForeignKey(
        Policy, verbose_name=_("政策"), on_delete=models.PROTECT, related_name="applications"
    )
    clause_id = models.CharField(_("条款"), max_length=80)
    clause_label = models.CharField(_("条款名称"), max_length=200)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="program_applications"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices, default=Channel.APPLIED)
    project_code = models.CharField(_("项目编号"), max_length=60, blank=True)
    project_name = models.CharField(_("项目名称"), max_length=200, blank=True)
    # field id -> the text the applicant entered (the engine types it)
    fields = models.JSONField(_("申报数据"), default=dict, blank=True)
    # fact id -> value as text / boolean, as the registry gave it when the application was submitted
    facts = models.JSONField(_("企业数据"), default=dict, blank=True)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.DRAFT)
    state_since = models.DateTimeField(_("进入当前状态"))
    deadline = models.DateField(_("办理时限"), null=True, blank=True)
    computed = models.DecimalField(_("计算额（万元）"), **MONEY, null=True, blank=True)
    computed_reasons = models.CharField(_("计算说明"), max_length=500, blank=True)
    explanation = models.JSONField(_("计算过程"), default=list, blank=True)
    approved = models.DecimalField(_("核定额（万元）"), **MONEY, null=True, blank=True)
    approved_reasons = models.CharField(_("核定说明"), max_length=500, blank=True)
    paid = models.DecimalField(_("已拨付（万元）"), **MONEY, default=Decimal("0.00"))
    bank_account_name = models.CharField(_("收款户名"), max_length=100, blank=True)
    bank_name = models.CharField(_("开户银行"), max_length=100, blank=True)
    bank_account = models.CharField(_("银行账号"), max_length=40, blank=True)
    bank_confirmed_at = models.DateTimeField(_("收款账户确认时间"), null=True, blank=True)
    # where a 免申即享 proposal came from besides a match on data, e.g. "promotion:12"
    source_ref = models.CharField(_("来源"), max_length=80, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # when each stage ended, for the statistics' time per stage
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    town_reviewed_at = models.DateTimeField(_("镇街初审时间"), null=True, blank=True)
    bureau_reviewed_at = models.DateTimeField(_("部门审核时间"), null=True, blank=True)
    expert_reviewed_at = models.DateTimeField(_("专家评审完成时间"), null=True, blank=True)
    notice_from = models.DateField(_("公示开始"), null=True, blank=True)
    notice_until = models.DateField(_("公示截止"), null=True, blank=True)
    approved_at = models.DateTimeField(_("核定时间"), null=True, blank=True)
    paid_at = models.DateTimeField(_("拨付完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("申报")
        verbose_name_plural = _("申报")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["policy", "state"]),
            models.Index(fields=["state", "deadline"]),
        ]
        constraints = [
            # one proposal per clause, enterprise and year from a match on data
            models.UniqueConstraint(
                fields=["policy", "clause_id", "enterprise", "year"],
                condition=Q(channel="automatic", source_ref=""),
                name="programs_automatic_once",
            ),
            models.UniqueConstraint(
                fields=["source_ref"], condition=~Q(source_ref=""), name="programs_source_once"
            ),
            models.CheckConstraint(condition=Q(paid__gte=0), name="programs_paid_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.number or '草稿'} {self.enterprise} {self.clause_label}"

    @property
    def outstanding(self) -> Decimal:
        """What is approved and not yet paid."""
        return (self.approved or Decimal(0)) - self.paid


class Attachment(models.Model):
    application = models.ForeignKey(
        Application, verbose_name=_("申报"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("文件"), upload_to=attachment_path)
    name = models.CharField(_("文件名"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申报附件")
        verbose_name_plural = _("申报附件")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class Payment(models.Model):
    """One stage of a staged payment (e.g. 30% then 70%)."""

    application = models.ForeignKey(
        Application, verbose_name=_("申报"), on_delete=models.PROTECT, related_name="payments"
    )
    stage = models.PositiveSmallIntegerField(_("期次"))
    amount = models.DecimalField(_("金额（万元）"), **MONEY)
    paid_on = models.DateField(_("拨付日期"))
    voucher = models.CharField(_("凭证号"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("拨付")
        verbose_name_plural = _("拨付")
        ordering = ["application", "stage"]
        constraints = [
            # a stage is paid once, whoever records it and however often they click
            models.UniqueConstraint(fields=["application", "stage"], name="programs_payment_stage_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="programs_payment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.application} 第{self.stage}期 {self.amount}"


class ReviewerProfile(models.Model):
    """A reviewer's own institution: applications of an enterprise of that name are never theirs to review."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评审专家"),
        on_delete=models.CASCADE,
        related_name="reviewer_profile",
    )
    institution = models.CharField(_("工作单位"), max_length=200)

    class Meta:
        verbose_name = _("评审专家信息")
        verbose_name_plural = _("评审专家信息")

    def __str__(self) -> str:
        return f"{self.user} {self.institution}"


class ConflictDeclaration(models.Model):
    """A reviewer's declared conflict of interest with an enterprise."""

    class Relation(models.TextChoices):
        OWN_INSTITUTION = "own", _("本单位或曾任职单位")
        RELATIVE = "relative", _("近亲属任职或持股")
        OTHER = "other", _("其他利益关系")

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评审专家"),
        on_delete=models.CASCADE,
        related_name="conflicts",
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="+"
    )
    relation = models.CharField(_("关系"), max_length=10, choices=Relation.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    declared_at = models.DateTimeField(_("申报时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("利益冲突申报")
        verbose_name_plural = _("利益冲突申报")
        ordering = ["-declared_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["reviewer", "enterprise"], name="programs_conflict_once")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} — {self.enterprise}（{self.get_relation_display()}）"


class ReviewAssignment(models.Model):
    class Opinion(models.TextChoices):
        SUPPORT = "support", _("同意支持")
        OPPOSE = "oppose", _("不同意支持")

    class State(models.TextChoices):
        ASSIGNED = "assigned", _("待评审")
        DONE = "done", _("已评审")
        RECUSED = "recused", _("已回避")

    application = models.ForeignKey(
        Application, verbose_name=_("申报"), on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("评审专家"), on_delete=models.PROTECT, related_name="reviews"
    )
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.ASSIGNED)
    opinion = models.CharField(_("评审意见"), max_length=10, choices=Opinion.choices, blank=True)
    comment = models.TextField(_("评审说明"), blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("分配人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("分配时间"), auto_now_add=True)
    reviewed_at = models.DateTimeField(_("评审时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("专家评审")
        verbose_name_plural = _("专家评审")
        ordering = ["application", "assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="programs_review_once")
        ]

    def __str__(self) -> str:
        return f"{self.application} — {self.reviewer}"


class PublicObjection(models.Model):
    """An objection anyone may raise against an application on public notice (公示)."""

    class State(models.TextChoices):
        OPEN = "open", _("待处理")
        UPHELD = "upheld", _("异议成立")
        DISMISSED = "dismissed", _("异议不成立")

    application = models.ForeignKey(
        Application, verbose_name=_("申报"), on_delete=models.CASCADE, related_name="objections"
    )
    name = models.CharField(_("姓名或单位"), max_length=100)
    contact = models.CharField(_("联系方式"), max_length=100)
    text = models.TextField(_("异议内容"))
    submitted_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.OPEN)
    reply = models.TextField(_("处理意见"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.application} · {self.name}"
