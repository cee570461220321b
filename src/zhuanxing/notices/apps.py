from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "zhuanxing.notices"
    verbose_name = _("消息中心")

    def ready(self):
        from zhuanxing import workflow
        from zhuanxing.notices import services

        workflow.listen(services.on_transition)  # every workflow transition tells whom it concerns
