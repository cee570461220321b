from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "zhuanxing.evaluation"
    verbose_name = _("亩均效益综合评价")

    def ready(self):
        from zhuanxing.evaluation import workflows  # noqa: F401  (registers its workflows)
