"""``zhuanxing worker``: take jobs from the database queue and run them, one at a time.

django-tasks' database worker (claims with SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL, so
any number of workers on any number of hosts share the queue) plus the platform's heartbeat
thread: the worker's beat for /healthz, the running job's progress, and the reaper that takes
back the jobs of a worker that died.
"""

from __future__ import annotations

from django_tasks_db.management.commands import db_worker

from zhuanxing.jobs import runner


class Command(db_worker.Command):
    help = "运行后台任务（评价、打包、免申即享、导入、索引、导出）"

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(reload=False, worker_id=runner.worker_name(), queue_name="default")

    def handle(self, *args, **options) -> None:
        beat = runner.Beat(runner.worker_name())
        beat.start()
        try:
            super().handle(*args, **options)
        finally:
            beat.stop()
