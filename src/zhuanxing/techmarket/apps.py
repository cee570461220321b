from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TechmarketConfig(AppConfig):
    name = "zhuanxing.techmarket"
    verbose_name = _("科技大市场")

    def ready(self):
        from zhuanxing.techmarket import workflows  # noqa: F401  (registers its workflows)
