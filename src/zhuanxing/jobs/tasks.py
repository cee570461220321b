"""The one task the queue holds: run a ``Job`` by id (django-tasks, database backend)."""

from __future__ import annotations

from django_tasks import task


@task(queue_name="default")
def execute_job(job_id: int) -> str:
    from zhuanxing.jobs import runner

    return runner.execute(job_id)
