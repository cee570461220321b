from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "zhuanxing.campaigns"
    verbose_name = "认定、人才与四换"
