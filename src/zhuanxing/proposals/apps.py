from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "zhuanxing.proposals"
    verbose_name = _("提案建议办理")

    def ready(self):
        from zhuanxing.proposals import workflows  # noqa: F401  (registers the case workflow)
