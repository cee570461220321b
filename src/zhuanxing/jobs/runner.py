"""Running jobs in a worker: claim, progress, heartbeat, end, and taking back a dead worker's jobs.

A job's writes happen in its own transaction, which other connections cannot see until it
commits, so progress and heartbeat are written by a separate thread with its own database
connection (``Beat``), every ``BEAT_SECONDS``. On SQLite that thread may find the database
locked while the job writes; it tries again at the next beat (the job timeout is much longer).
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import socket
import threading
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import OperationalError, close_old_connections, connection, transaction
from django.utils import timezone

from zhuanxing.jobs.kinds import KINDS
from zhuanxing.jobs.models import Job, WorkerBeat

logger = logging.getLogger("zhuanxing.jobs")
BEAT_SECONDS = 2.0
REAP_SECONDS = 10.0


class JobCancelled(Exception):
    """Raised by ``Progress.check`` when someone cancelled the job; the job's transaction rolls back."""


class Progress:
    """What a handler calls: ``progress(stage=..., done=..., total=...)`` and ``progress.check()``."""

    def __init__(self, job: Job):
        self.job_id = job.pk
        self.worker = job.worker
        self.stage = job.stage
        self.done = 0
        self.total = job.total
        self.cancelled = False
        self.changed = True
        self.changed_at = timezone.now()
        self.checked_at = time.monotonic()
        self._lock = threading.Lock()

    def __call__(self, *, stage: str | None = None, done: int | None = None, total: int | None = None):
        with self._lock:
            if stage is not None:
                self.stage = stage[:100]
            if done is not None:
                self.done = max(0, int(done))
            if total is not None:
                self.total = max(0, int(total))
            self.changed = True
            self.changed_at = timezone.now()

    def advance(self, rows: int) -> None:
        self(done=self.done + rows)

    def check(self, *, read: bool = True) -> None:
        """Stop here (raise JobCancelled) if the job was cancelled: the beat thread says so, or,
        at most once a second, the job's own connection reads the flag (not with ``read=False``,
        e.g. in the middle of a COPY, when the connection can run nothing else)."""
        if read and not self.cancelled and time.monotonic() - self.checked_at >= 1.0:
            self.checked_at = time.monotonic()
            with contextlib.suppress(OperationalError):
                self.cancelled = Job.objects.filter(pk=self.job_id, cancel_requested=True).exists()
        if self.cancelled:
            raise JobCancelled

    def snapshot(self) -> dict:
        with self._lock:
            self.changed = False
            return {
                "stage": self.stage,
                "done": self.done,
                "total": self.total,
                "progress_at": self.changed_at,
            }


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


_current: dict[str, Progress | None] = {"progress": None}


def flush(progress: Progress) -> None:
    """Write the job's heartbeat and progress; read whether it was cancelled."""
    fields = {"heartbeat_at": timezone.now()}
    fields |= progress.snapshot()
    Job.objects.filter(pk=progress.job_id, state=Job.State.RUNNING, worker=progress.worker).update(**fields)
    if Job.objects.filter(pk=progress.job_id, cancel_requested=True).exists():
        progress.cancelled = True


def beat_once(worker: str) -> None:
    WorkerBeat.objects.update_or_create(
        worker_id=worker,
        defaults={"host": socket.gethostname(), "pid": os.getpid(), "beat_at": timezone.now()},
    )
    progress = _current["progress"]
    if progress is not None:
        flush(progress)


class Beat(threading.Thread):
    """The worker's heartbeat thread: its own beat, the running job's progress, and the reaper."""

    def __init__(self, worker: str):
        super().__init__(name="zhuanxing-beat", daemon=True)
        self.worker = worker
        self.stopping = threading.Event()

    def run(self) -> None:
        last_reap = 0.0
        while not self.stopping.is_set():
            try:
                close_old_connections()
                beat_once(self.worker)
                if time.monotonic() - last_reap >= REAP_SECONDS:
                    reap()
                    last_reap = time.monotonic()
            except OperationalError as exc:  # locked SQLite, a restarting PostgreSQL: next beat
                logger.info("heartbeat skipped: %s", exc)
            except Exception:  # never let the heartbeat thread die
                logger.exception("heartbeat failed")
            self.stopping.wait(BEAT_SECONDS)
        connection.close()

    def stop(self) -> None:
        self.stopping.set()


def _handler(kind: str):
    module_name, function_name = KINDS[kind][0].split(":")
    return getattr(importlib.import_module(module_name), function_name)


def _retrying(write, attempts: int = 10):
    """A short write that a busy SQLite may refuse for a moment: try again (PostgreSQL never refuses)."""
    for attempt in range(attempts):
        try:
            return write()
        except OperationalError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.2)


def _finish(job_id: int, worker: str, state: str, **fields) -> None:
    _retrying(
        lambda: Job.objects.filter(pk=job_id, state=Job.State.RUNNING, worker=worker).update(
            state=state, finished_at=timezone.now(), heartbeat_at=timezone.now(), **fields
        )
    )


def _claim(job_id: int, worker: str) -> Job | None:
    return _retrying(lambda: _claim_once(job_id, worker))


def _claim_once(job_id: int, worker: str) -> Job | None:
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.state != Job.State.QUEUED:
            return None
        now = timezone.now()
        job.state = Job.State.RUNNING
        job.attempts += 1
        job.started_at = job.heartbeat_at = now
        job.progress_at = None
        job.worker = worker
        job.error = ""
        job.save()
        return job


def execute(job_id: int, worker: str | None = None) -> str:
    """Run one job to its end (the task's body). Returns the state it ended in."""
    worker = worker or worker_name()
    job = _claim(job_id, worker)
    if job is None:
        return "skipped"
    progress = Progress(job)
    _current["progress"] = progress
    try:
        result = _handler(job.kind)(job=job, progress=progress)
    except JobCancelled:
        _finish(job.pk, worker, Job.State.CANCELLED, error="已按要求取消，没有写入任何数据。", stage="已取消")
        return Job.State.CANCELLED
    except ValidationError as exc:
        _finish(job.pk, worker, Job.State.FAILED, error="；".join(exc.messages)[:4000], stage="失败")
        return Job.State.FAILED
    except Exception as exc:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(
            job.pk,
            worker,
            Job.State.FAILED,
            error=f"任务出错，没有写入任何数据：{type(exc).__name__}：{exc}"[:4000],
            stage="失败",
        )
        return Job.State.FAILED
    finally:
        _current["progress"] = None
    snapshot = progress.snapshot()
    done = snapshot["total"] if snapshot["total"] is not None else snapshot["done"]
    _finish(
        job.pk,
        worker,
        Job.State.DONE,
        result=result or {},
        stage="完成",
        done=done or 0,
        total=snapshot["total"],
    )
    return Job.State.DONE


def reap(now=None) -> list[int]:
    """Take back the jobs of workers that stopped beating (killed, host lost): retry them while
    attempts are left, else fail them. Their transaction died with their connection, so nothing
    of theirs was written. Returns the ids taken back."""
    from django_tasks_db.models import DBTaskResult

    from zhuanxing.jobs import services

    now = now or timezone.now()
    cutoff = now - timezone.timedelta(seconds=settings.ZHUANXING_JOB_TIMEOUT)
    taken = []
    with transaction.atomic():
        stale = list(
            Job.objects.select_for_update(skip_locked=True).filter(
                state=Job.State.RUNNING, heartbeat_at__lt=cutoff
            )
        )
        for job in stale:
            DBTaskResult.objects.filter(pk=job.task_id or None, status="RUNNING").update(
                status="FAILED", finished_at=now, exception_class_path="zhuanxing.jobs.WorkerLost"
            )
            seconds = settings.ZHUANXING_JOB_TIMEOUT
            if job.attempts < job.max_attempts:
                job.state = Job.State.QUEUED
                job.stage = f"处理进程中断（{seconds}秒无心跳），等待第{job.attempts + 1}次尝试"
                job.worker = ""
                job.save()
                services.enqueue(job)
            else:
                job.state = Job.State.FAILED
                job.finished_at = now
                job.stage = "失败"
                job.error = (
                    f"处理进程中断（{seconds}秒无心跳），已尝试{job.attempts}次，任务失败；没有写入任何数据。"
                )
                job.save()
            taken.append(job.pk)
    if taken:
        logger.warning("jobs taken back from dead workers: %s", taken)
    return taken
