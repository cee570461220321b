from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "zhuanxing.evaluation"
    verbose_name = "亩均效益综合评价"

    def ready(self):
        from zhuanxing.evaluation import workflows  # noqa: F401  (registers its workflows)
