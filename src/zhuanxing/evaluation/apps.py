from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "zhuanxing.evaluation"
    verbose_name = "亩均效益综合评价"
