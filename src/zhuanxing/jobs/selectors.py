"""Reads of jobs: how a job is shown (progress, estimated time) and the file it produced."""

from __future__ import annotations

from zhuanxing.jobs.models import Job


def eta_text(seconds: float | None) -> str:
    if seconds is None:
        return ""
    seconds = int(round(seconds))
    if seconds < 60:
        return f"约{seconds}秒"
    minutes, rest = divmod(seconds, 60)
    return f"约{minutes}分{rest:02d}秒"


def describe(job: Job) -> dict:
    """What the progress box shows."""
    percent = job.percent
    return {
        "job": job,
        "percent": None if percent is None else round(percent, 1),
        "eta": eta_text(job.eta_seconds),
        "done_text": f"{job.done:,}",
        "total_text": "" if job.total is None else f"{job.total:,}",
        "url": job.result.get("url", ""),
        "file": job.result.get("file", ""),
        "message": job.result.get("message", ""),
    }


def recent(jobs, limit: int = 50):
    return jobs.select_related("created_by")[:limit]
