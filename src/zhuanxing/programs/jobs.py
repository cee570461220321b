"""The programs' background job: the 免申即享 scan over every operating enterprise."""

from __future__ import annotations

from django.urls import reverse

from zhuanxing.programs import services


def automatic_job(*, job, progress) -> dict:
    progress(stage="匹配免申即享条款")
    found = services.automatic_propose(actor=job.created_by)
    message = f"已生成 {len(found.proposed):,} 条免申即享建议"
    if found.problems:
        message += "；问题：" + "；".join(found.problems[:20])
    return {"url": reverse("programs:automatic"), "message": message, "proposed": len(found.proposed)}
