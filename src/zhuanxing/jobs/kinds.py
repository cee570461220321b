"""Every kind of job and the function that does it (``module:function``, imported when run).

A handler is called as ``handler(job=job, progress=progress)`` and returns a JSON-safe dict
(the job's result: a ``url`` to open, a stored ``file``, a ``message``). It raises
``ValidationError`` with the same Chinese messages the page would give; it keeps its writes
in one transaction, so a failure, a cancellation or a killed worker leaves nothing written.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

KINDS: dict[str, tuple[str, str]] = {
    "evaluation.run": ("zhuanxing.evaluation.jobs:run_job", gettext_noop("亩均效益评价")),
    "evaluation.report_cards": ("zhuanxing.evaluation.jobs:report_cards_job", gettext_noop("评价报告打包")),
    "programs.automatic": ("zhuanxing.programs.jobs:automatic_job", gettext_noop("免申即享批量匹配")),
    "imports.apply": ("zhuanxing.imports.jobs:apply_job", gettext_noop("数据导入")),
    "techmarket.reindex": ("zhuanxing.techmarket.jobs:reindex_job", gettext_noop("重建匹配索引")),
    "registry.export": ("zhuanxing.registry.jobs:export_job", gettext_noop("企业名录导出")),
    "jobs.selftest": ("zhuanxing.jobs.selftest:selftest_job", gettext_noop("后台任务自检")),
}
