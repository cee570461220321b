"""Users, their roles, and the audit trail every change to official data writes."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("系统管理员")
    BUREAU = "bureau", _("经信局工作人员")
    TOWN = "town", _("镇街工作人员")
    ENTERPRISE = "enterprise", _("企业用户")
    EXPERT = "expert", _("专家")
    REVIEWER = "reviewer", _("评审专家")


class Department(models.TextChoices):
    ECONOMY = "经信局", _("经信局")
    SCIENCE = "科技局", _("科技局")
    COMMERCE = "商务局", _("商务局")


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.ENTERPRISE)
    department = models.CharField(_("部门"), max_length=20, choices=Department.choices, blank=True)
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    # A town official works for one town; an enterprise user for one enterprise.
    town = models.ForeignKey(
        "registry.Town", verbose_name=_("所属镇街"), null=True, blank=True, on_delete=models.PROTECT
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("所属企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_staff_member(self) -> bool:
        """Bureau staff and administrators: the people who keep official data."""
        return self.is_active and (self.role in (Role.ADMIN, Role.BUREAU) or self.is_superuser)


class AuditEntry(models.Model):
    """Who changed what, when, from where, from which value to which, and why.

    Append-only and chained (等保 2.0 audit protection): after its transaction commits each
    entry is sealed with the next ``seq``, the previous entry's hash and a SHA-256 over its own
    content (``accounts.chain``); on PostgreSQL a trigger refuses any other update or a delete."""

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    # Kept beside the key: the chain must still name who acted after an account is removed.
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    source_address = models.CharField(_("来源地址"), max_length=45, blank=True)
    action = models.CharField(_("操作"), max_length=60)
    object_type = models.CharField(_("对象类型"), max_length=60)
    object_id = models.CharField(_("对象"), max_length=64)
    object_repr = models.CharField(_("对象名称"), max_length=200, blank=True)
    old = models.JSONField(_("原值"), null=True, blank=True)
    new = models.JSONField(_("新值"), null=True, blank=True)
    reason = models.TextField(_("原因"), blank=True)
    seq = models.PositiveBigIntegerField(_("链序号"), null=True, blank=True, unique=True)
    previous_hash = models.CharField(_("前一条摘要"), max_length=64, blank=True)
    entry_hash = models.CharField(_("本条摘要"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_repr}"
