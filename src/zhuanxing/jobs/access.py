"""Who may see and cancel jobs. The only place the jobs' permissions are decided.

Staff see every job; anybody else the jobs they started themselves (none today: every job
starts from a staff page)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from zhuanxing.accounts.access import is_authenticated, is_staff_member, require
from zhuanxing.jobs.models import Job


def jobs_visible_to(user) -> QuerySet:
    require(is_authenticated(user))
    jobs = Job.objects.all()
    return jobs if is_staff_member(user) else jobs.filter(created_by=user)


def access_job(user, job_id: int) -> Job:
    try:
        return jobs_visible_to(user).get(pk=job_id)
    except Job.DoesNotExist as exc:
        raise Http404("没有找到该任务") from exc


def can_cancel(user, job: Job) -> bool:
    return job.cancellable and not job.finished and (is_staff_member(user) or job.created_by_id == user.pk)


def access_cancel(user, job: Job) -> None:
    require(is_staff_member(user) or job.created_by_id == user.pk, "只有发起人或经信局工作人员可以取消任务")
