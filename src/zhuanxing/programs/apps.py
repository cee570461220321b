from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "zhuanxing.programs"
    verbose_name = "政策兑现"

    def ready(self):
        from zhuanxing.programs import workflows  # noqa: F401  (registers the application workflow)
