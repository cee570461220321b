from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "zhuanxing.programs"
    verbose_name = "政策兑现"
