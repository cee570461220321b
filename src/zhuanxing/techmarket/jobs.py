"""The technology market's background job: rebuild the matching index from the database."""

from __future__ import annotations

from django.urls import reverse

from zhuanxing.techmarket import indexing, services


def reindex_job(*, job, progress) -> dict:
    """What ``zhuanxing techmarket-reindex`` does: expire demands past their date, rebuild."""
    progress(stage="标记过期需求")
    expired = services.demands_expire()
    progress(stage="重建匹配索引")
    status = indexing.rebuild()
    return {
        "url": reverse("techmarket:vocabulary"),
        "message": f"已将 {expired:,} 条过期需求标为已过期；索引已重建：{status.documents:,} 个文档",
    }
