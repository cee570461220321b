from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "zhuanxing.proposals"
    verbose_name = "提案建议办理"
