from django.contrib import admin

from zhuanxing.accounts.admin_audit import AuditedAdmin
from zhuanxing.jobs.models import Job, WorkerBeat


@admin.register(Job)
class JobAdmin(AuditedAdmin):
    list_display = ["id", "label", "state", "stage", "done", "total", "attempts", "worker", "created_at"]
    list_filter = ["state", "kind"]
    readonly_fields = [f.name for f in Job._meta.fields]


@admin.register(WorkerBeat)
class WorkerBeatAdmin(AuditedAdmin):
    list_display = ["worker_id", "host", "pid", "started_at", "beat_at"]
