from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "zhuanxing.proposals"
    verbose_name = "提案建议办理"

    def ready(self):
        from zhuanxing.proposals import workflows  # noqa: F401  (registers the case workflow)
