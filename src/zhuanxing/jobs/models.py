"""Background jobs: what the pages show about work that runs in the worker.

A ``Job`` is the platform's record of one piece of long work (an evaluation run, a zip of
report cards, a 免申即享 batch, an import, a reindex, an export): who started it, its stage,
rows done of how many, and how it ended. The queue itself is django-tasks' database
backend (``django_tasks_db``); a job's ``task_id`` is its task there. ``WorkerBeat`` is one
row per worker process, beating every few seconds, read by ``/healthz``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("运行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")
        CANCELLED = "cancelled", _("已取消")

    kind = models.CharField(_("任务类型"), max_length=40)
    label = models.CharField(_("任务"), max_length=200)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.QUEUED)
    stage = models.CharField(_("阶段"), max_length=100, blank=True)
    done = models.PositiveBigIntegerField(_("已处理"), default=0)
    total = models.PositiveBigIntegerField(_("总数"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    progress_at = models.DateTimeField(_("进度时间"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("心跳时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("最多尝试次数"), default=2)
    worker = models.CharField(_("处理进程"), max_length=100, blank=True)
    cancellable = models.BooleanField(_("可取消"), default=True)
    cancel_requested = models.BooleanField(_("已请求取消"), default=False)
    error = models.TextField(_("失败原因"), blank=True)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    task_id = models.CharField(_("队列任务"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "heartbeat_at"])]

    def __str__(self) -> str:
        return f"{self.label}（{self.get_state_display()}）"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED, self.State.CANCELLED)

    @property
    def percent(self) -> float | None:
        if not self.total:
            return None
        return min(100.0, 100.0 * self.done / self.total)

    @property
    def eta_seconds(self) -> float | None:
        """Seconds left at the pace so far (rows done since the start), or None before there is a pace."""
        if self.state != self.State.RUNNING or not self.total or not self.done or not self.started_at:
            return None
        reference = self.progress_at or self.heartbeat_at
        if reference is None:
            return None
        elapsed = (reference - self.started_at).total_seconds()
        if elapsed <= 0:
            return None
        return max(0.0, elapsed / self.done * (self.total - self.done))


class WorkerBeat(models.Model):
    """A worker process (``zhuanxing worker``) and its last heartbeat."""

    worker_id = models.CharField(_("处理进程"), max_length=100, unique=True)
    host = models.CharField(_("主机"), max_length=200)
    pid = models.PositiveIntegerField(_("进程号"))
    started_at = models.DateTimeField(_("启动时间"), auto_now_add=True)
    beat_at = models.DateTimeField(_("心跳时间"))

    class Meta:
        verbose_name = _("处理进程")
        verbose_name_plural = _("处理进程")

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"
