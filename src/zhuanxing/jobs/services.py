"""Writes of jobs: start one (queued in the same transaction as the caller's), cancel one."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from zhuanxing.accounts.audit import record_change
from zhuanxing.jobs.kinds import KINDS
from zhuanxing.jobs.models import Job


def enqueue(job: Job) -> None:
    """Put ``job`` on the queue. The task row is written in the current transaction, so a job
    exists on the queue exactly when its record does."""
    from zhuanxing.jobs.tasks import execute_job

    result = execute_job.enqueue(job.pk)
    job.task_id = str(result.id)
    job.save(update_fields=["task_id"])


@transaction.atomic
def job_start(
    *,
    actor,
    kind: str,
    label: str,
    params: dict | None = None,
    total: int | None = None,
    cancellable: bool = True,
    max_attempts: int = 2,
) -> Job:
    if kind not in KINDS:
        raise ValidationError({"kind": f"未知的任务类型：{kind}"})
    job = Job(
        kind=kind,
        label=label[:200],
        params=params or {},
        total=total,
        cancellable=cancellable,
        max_attempts=max_attempts,
        created_by=actor if getattr(actor, "pk", None) else None,
        stage="排队中",
    )
    job.full_clean()
    job.save()
    enqueue(job)
    record_change(actor=actor, action="后台任务创建", obj=job, new={"kind": kind, "params": job.params})
    return job


@transaction.atomic
def job_cancel(*, actor, job: Job) -> Job:
    """A queued job is cancelled at once; a running one stops at its next check, its transaction
    rolled back. A job that is not cancellable (it may be past its point of no return) refuses."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    if job.finished:
        raise ValidationError(f"任务已{job.get_state_display()}，不能取消")
    if not job.cancellable:
        raise ValidationError("此任务开始后不能取消")
    old = {"state": job.state}
    if job.state == Job.State.QUEUED:
        job.state = Job.State.CANCELLED
        job.stage = "已取消"
        job.error = "已按要求取消，没有写入任何数据。"
        from django.utils import timezone

        job.finished_at = timezone.now()
    job.cancel_requested = True
    job.save()
    record_change(actor=actor, action="后台任务取消", obj=job, old=old, new={"state": job.state})
    return job
