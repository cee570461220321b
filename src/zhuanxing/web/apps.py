from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "zhuanxing.web"
    verbose_name = "页面"
