from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "zhuanxing.programs"
    verbose_name = _("政策兑现")

    def ready(self):
        from zhuanxing.programs import workflows  # noqa: F401  (registers the application workflow)
