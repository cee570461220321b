"""亩均效益综合评价 runs and their results.

A run freezes one year's data and one scheme (its YAML text is stored with the run).
Its states go draft → 公示 (published) → final; a final run never changes: a
correction is a new version of the run whose results are compared with the old.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhuanxing.registry.models import Enterprise


class EvaluationRun(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("公示中")
        FINAL = "final", _("已定档")

    year = models.PositiveSmallIntegerField(_("数据年度"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("上一版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revisions",
    )
    scheme_id = models.CharField(_("评价方案"), max_length=60)
    scheme_name = models.CharField(_("方案名称"), max_length=200)
    scheme_text = models.TextField(_("方案内容（YAML）"))
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.DRAFT)
    note = models.CharField(_("说明"), max_length=255, blank=True)
    publish_days = models.PositiveSmallIntegerField(_("公示天数"), default=7)
    published_at = models.DateTimeField(_("公示开始"), null=True, blank=True)
    publish_until = models.DateField(_("公示截止"), null=True, blank=True)
    finalized_at = models.DateTimeField(_("定档时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    summary = models.JSONField(_("统计"), default=dict, blank=True)

    class Meta:
        verbose_name = _("评价批次")
        verbose_name_plural = _("评价批次")
        ordering = ["-year", "-version", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="evaluation_run_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.year}年度 第{self.version}版 {self.scheme_name}"


class EvaluationResult(models.Model):
    """One enterprise in one run: what the engine computed, and any re-grading after."""

    run = models.ForeignKey(
        EvaluationRun, verbose_name=_("评价批次"), on_delete=models.CASCADE, related_name="results"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="evaluation_results"
    )
    group = models.CharField(_("评价组"), max_length=40)
    total = models.FloatField(_("总分"), null=True)
    adjustment = models.FloatField(_("加减分"), null=True)
    rank = models.PositiveIntegerField(_("排名"), null=True)
    percentile = models.FloatField(_("排名百分位"), null=True)
    initial_class = models.CharField(_("初评等级"), max_length=4, blank=True)
    computed_class = models.CharField(_("评定等级"), max_length=4, blank=True)
    exempt = models.BooleanField(_("不评级"), default=False)
    reasons = models.CharField(_("适用规则"), max_length=500, blank=True)
    # indicator id -> {"value", "benchmark", "score"}
    indicators = models.JSONField(_("指标"), default=dict)
    # the frozen input row the engine saw (English ids)
    inputs = models.JSONField(_("评价数据"), default=dict)
    regraded_class = models.CharField(_("调档等级"), max_length=4, blank=True)
    regrade_reason = models.TextField(_("调档原因"), blank=True)

    class Meta:
        verbose_name = _("评价结果")
        verbose_name_plural = _("评价结果")
        ordering = ["run", "group", "rank", "id"]
        constraints = [models.UniqueConstraint(fields=["run", "enterprise"], name="evaluation_result_once")]
        indexes = [models.Index(fields=["run", "computed_class"])]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.final_class}"

    @property
    def final_class(self) -> str:
        """The class that stands: a re-grading if staff made one, else the computed class."""
        return self.regraded_class or self.computed_class


class EvaluationFlag(models.Model):
    """Yearly facts the scheme's rules read and the registry does not hold."""

    class Kind(models.TextChoices):
        MAJOR_ACCIDENT = "major_accident", _("重大安全事故")
        ENV_VIOLATION = "env_violation", _("环境违法")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("事项"), max_length=30, choices=Kind.choices)
    note = models.CharField(_("说明"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("评价事项")
        verbose_name_plural = _("评价事项")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year", "kind"], name="evaluation_flag_once")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year} {self.get_kind_display()}"


def objection_upload_path(instance: Objection, filename: str) -> str:
    return f"objections/{instance.result.run_id}/{filename}"


class Objection(models.Model):
    """An enterprise's objection to a figure of its published result."""

    class State(models.TextChoices):
        OPEN = "open", _("待处理")
        ACCEPTED = "accepted", _("已采纳")
        REJECTED = "rejected", _("不予采纳")

    result = models.ForeignKey(
        EvaluationResult, verbose_name=_("评价结果"), on_delete=models.CASCADE, related_name="objections"
    )
    field = models.CharField(_("异议数据项"), max_length=40)
    claimed_value = models.CharField(_("企业认为的正确值"), max_length=40, blank=True)
    reason = models.TextField(_("异议理由"))
    attachment = models.FileField(_("附件"), upload_to=objection_upload_path, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.OPEN)
    reply = models.TextField(_("答复"), blank=True)
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
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.result.enterprise} · {self.field}"
