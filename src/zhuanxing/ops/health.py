"""``GET /healthz`` for the load balancer: no login, no session, no template.

200 with ``{"database": "ok", "migrations": "ok", "worker": "ok"|"stale"|"none", "queue": n}``;
503 when the database does not answer or migrations are missing (then the keys say which).
The worker is "ok" when some worker beat within ZHUANXING_WORKER_STALE_SECONDS, "stale" when
workers exist but none beat lately, "none" when no worker ever beat; queue = jobs waiting.
"""

from __future__ import annotations

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

_migrations_ok: dict[str, bool] = {}


def _migrations_applied(connection) -> bool:
    # Once everything is applied in this process it stays applied (the code cannot change under it).
    if _migrations_ok.get(connection.alias):
        return True
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    _migrations_ok[connection.alias] = not plan
    return not plan


def status() -> tuple[int, dict]:
    from zhuanxing.jobs.models import Job, WorkerBeat

    connection = connections[DEFAULT_DB_ALIAS]
    body: dict = {"database": "ok", "migrations": "ok", "worker": "none", "queue": 0}
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        connection.close()
        return 503, {"database": "error", "migrations": "unknown", "worker": "none", "queue": 0}
    try:
        if not _migrations_applied(connection):
            body["migrations"] = "missing"
            return 503, body
    except Exception:
        body["migrations"] = "error"
        return 503, body
    cutoff = timezone.now() - timezone.timedelta(seconds=settings.ZHUANXING_WORKER_STALE_SECONDS)
    beats = WorkerBeat.objects.all()
    if beats.filter(beat_at__gte=cutoff).exists():
        body["worker"] = "ok"
    elif beats.exists():
        body["worker"] = "stale"
    body["queue"] = Job.objects.filter(state=Job.State.QUEUED).count()
    return 200, body


@never_cache
@require_GET
def healthz(request):
    code, body = status()
    return JsonResponse(body, status=code)
