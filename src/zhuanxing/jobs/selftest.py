"""A job that only counts (``zhuanxing job-selftest``): checks that a worker takes jobs, reports
progress and can be cancelled; the kill tests use it to stop a worker mid-job."""

from __future__ import annotations

import time

from django.core.exceptions import ValidationError


def selftest_job(*, job, progress) -> dict:
    steps = int(job.params.get("steps", 10))
    delay = float(job.params.get("delay", 0.2))
    if job.params.get("fail"):
        raise ValidationError("自检任务按要求失败")
    progress(stage="计数", done=0, total=steps)
    for step in range(steps):
        progress.check()
        time.sleep(delay)
        progress(done=step + 1)
    return {"message": f"自检完成：{steps} 步"}
