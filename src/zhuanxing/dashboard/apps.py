from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "zhuanxing.dashboard"
    verbose_name = _("驾驶舱与预警")

    def ready(self):
        from zhuanxing import workflow
        from zhuanxing.imports.signals import year_data_changed

        workflow.listen(_run_moved)
        year_data_changed.connect(_year_data_changed, dispatch_uid="dashboard.warnings")


def _run_moved(*, workflow, obj, **_):
    """An evaluation run that moves (公示, 定档) changes the classes the warnings read."""
    if workflow.key == "evaluation.run":
        from zhuanxing.dashboard.services import recompute_warnings_on_commit

        recompute_warnings_on_commit(obj.year)


def _year_data_changed(*, year, **_):
    """An import or a rollback changed the figures the year's warnings read."""
    from zhuanxing.dashboard.services import recompute_warnings_on_commit

    recompute_warnings_on_commit(year)
