from django.apps import AppConfig


class MapsConfig(AppConfig):
    name = "zhuanxing.maps"
    verbose_name = "亩均地图"
