from django.apps import AppConfig


class TechmarketConfig(AppConfig):
    name = "zhuanxing.techmarket"
    verbose_name = "科技大市场"
