from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MapsConfig(AppConfig):
    name = "zhuanxing.maps"
    verbose_name = _("亩均地图")
