from django.apps import AppConfig


class TechmarketConfig(AppConfig):
    name = "zhuanxing.techmarket"
    verbose_name = "科技大市场"

    def ready(self):
        from zhuanxing.techmarket import workflows  # noqa: F401  (registers its workflows)
