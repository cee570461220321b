from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "zhuanxing.registry"
    verbose_name = "企业库"
