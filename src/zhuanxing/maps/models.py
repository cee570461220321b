"""Town boundaries (district data, replaceable); parcel shapes live on ``registry.LandParcel``."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhuanxing.registry.models import Town


class TownBoundary(models.Model):
    town = models.OneToOneField(
        Town, verbose_name=_("镇街/功能区"), on_delete=models.CASCADE, related_name="boundary"
    )
    geometry = models.TextField(_("界线（GeoJSON）"))
    min_lon = models.FloatField(_("最小经度"))
    min_lat = models.FloatField(_("最小纬度"))
    max_lon = models.FloatField(_("最大经度"))
    max_lat = models.FloatField(_("最大纬度"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("镇街界线")
        verbose_name_plural = _("镇街界线")
        ordering = ["town__order", "town__code"]

    def __str__(self) -> str:
        return str(self.town)
