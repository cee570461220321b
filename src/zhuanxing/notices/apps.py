from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "zhuanxing.notices"
    verbose_name = "消息中心"

    def ready(self):
        from zhuanxing import workflow
        from zhuanxing.notices import services

        workflow.listen(services.on_transition)  # every workflow transition tells whom it concerns
