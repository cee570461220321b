"""预警 records: one warning per enterprise, year and rule, moving 新 → 已核实 → 已处理 or 误报."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhuanxing.registry.models import Enterprise


class EnterpriseWarning(models.Model):
    class State(models.TextChoices):
        NEW = "新", _("新")
        VERIFIED = "已核实", _("已核实")
        HANDLED = "已处理", _("已处理")
        FALSE_ALARM = "误报", _("误报")

    # state -> the states it may move to (the warning's whole workflow)
    MOVES = {
        State.NEW: (State.VERIFIED, State.FALSE_ALARM),
        State.VERIFIED: (State.HANDLED, State.FALSE_ALARM),
        State.HANDLED: (),
        State.FALSE_ALARM: (),
    }

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="warnings"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    rule = models.CharField(_("规则代码"), max_length=40)
    label = models.CharField(_("预警事项"), max_length=200)
    state = models.CharField(_("状态"), max_length=4, choices=State.choices, default=State.NEW)
    note = models.TextField(_("核实说明"), blank=True)
    created_at = models.DateTimeField(_("发现时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("处理人"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        ordering = ["-year", "enterprise__name", "rule"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year", "rule"], name="warning_once_per_rule_year")
        ]
        indexes = [models.Index(fields=["state", "year"])]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year} {self.label}"

    @property
    def open(self) -> bool:
        return self.state in (self.State.NEW, self.State.VERIFIED)


class WarningRuleFile(models.Model):
    """A version of the district's warning rules as staff saved it (the newest is in force;
    without any, the shipped file is). Only files that passed the check are saved."""

    text = models.TextField(_("预警规则（YAML）"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("保存人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("保存时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("预警规则版本")
        verbose_name_plural = _("预警规则版本")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"预警规则 {self.created_at:%Y-%m-%d %H:%M}"
