"""Job pages: the list, one job with its progress (htmx polls the box), cancel, and the file."""

from __future__ import annotations

import posixpath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhuanxing.jobs import access, selectors, services


@login_required
def job_list(request):
    jobs = selectors.recent(access.jobs_visible_to(request.user))
    return render(request, "jobs/job_list.html", {"jobs": jobs})


def _context(request, job) -> dict:
    return selectors.describe(job) | {"can_cancel": access.can_cancel(request.user, job)}


@login_required
def job_detail(request, job_id: int):
    job = access.access_job(request.user, job_id)
    return render(request, "jobs/job_detail.html", _context(request, job))


@login_required
def job_status(request, job_id: int):
    """The progress box alone, for htmx polling (every second until the job ends)."""
    job = access.access_job(request.user, job_id)
    response = render(request, "jobs/_progress.html", _context(request, job))
    if job.finished and job.state == job.State.DONE and request.htmx and job.result.get("url"):
        # Let the page know (the box shows the link; a script may follow it).
        response["HX-Trigger"] = "job-done"
    return response


@login_required
@require_POST
def job_cancel(request, job_id: int):
    job = access.access_job(request.user, job_id)
    access.access_cancel(request.user, job)
    try:
        services.job_cancel(actor=request.user, job=job)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, "已请求取消任务")
    return redirect("jobs:job_detail", job_id=job.pk)


@login_required
def job_download(request, job_id: int):
    job = access.access_job(request.user, job_id)
    name = job.result.get("file")
    if job.state != job.State.DONE or not name or not default_storage.exists(name):
        raise Http404("任务没有可下载的文件")
    filename = job.result.get("filename") or posixpath.basename(name)
    return FileResponse(default_storage.open(name, "rb"), as_attachment=True, filename=filename)
