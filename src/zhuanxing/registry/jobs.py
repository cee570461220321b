"""The registry's background job: the enterprise list as .xlsx when it is large."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from zhuanxing.registry import access, selectors
from zhuanxing.web.exports import xlsx_bytes

FILENAME = "企业库.xlsx"


def export_job(*, job, progress) -> dict:
    from zhuanxing.registry.views import EXPORT_HEADERS

    user = job.created_by
    queryset = selectors.enterprise_search(access.enterprises_visible_to(user), **job.params["filters"])
    total = queryset.count()
    progress(stage="导出企业名录", done=0, total=total)

    def rows():
        for done, row in enumerate(selectors.enterprise_export_rows(queryset), start=1):
            if done % 5000 == 0:
                progress(done=done)
                progress.check()
            yield row

    content = xlsx_bytes({"数据": (EXPORT_HEADERS, rows())})
    progress(done=total)
    name = default_storage.save(f"jobs/{job.pk}/enterprises.xlsx", ContentFile(content))
    return {"file": name, "filename": FILENAME, "message": f"已导出 {total:,} 家企业"}
