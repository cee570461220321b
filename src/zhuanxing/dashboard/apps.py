from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "zhuanxing.dashboard"
    verbose_name = "驾驶舱与预警"

    def ready(self):
        from zhuanxing import workflow

        workflow.listen(_run_moved)


def _run_moved(*, workflow, obj, **_):
    """An evaluation run that moves (公示, 定档) changes the classes the warnings read."""
    if workflow.key == "evaluation.run":
        from zhuanxing.dashboard.services import recompute_warnings_on_commit

        recompute_warnings_on_commit(obj.year)
