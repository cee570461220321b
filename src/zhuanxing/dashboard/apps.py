from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "zhuanxing.dashboard"
    verbose_name = "驾驶舱与预警"
