from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "zhuanxing.campaigns"
    verbose_name = _("认定、人才与四换")
