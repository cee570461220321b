"""GET /healthz (the load balancer's contract) and the one-line request log."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
from django.utils import timezone

from zhuanxing.jobs.models import Job, WorkerBeat
from zhuanxing.ops import health

pytestmark = pytest.mark.django_db


def get(client):
    response = client.get("/healthz")
    return response.status_code, json.loads(response.content)


@pytest.fixture(autouse=True)
def no_worker_beats():
    """Start from no worker: a worker run by an earlier test commits its beat on its own
    connection, which the test transaction does not roll back (PostgreSQL)."""
    WorkerBeat.objects.all().delete()


def test_healthy_without_login_and_without_a_worker(client):
    status, body = get(client)
    assert status == 200
    assert body == {"database": "ok", "migrations": "ok", "worker": "none", "queue": 0}


def test_worker_ok_within_a_minute_then_stale_and_queue_counts_waiting_jobs(client):
    beat = WorkerBeat.objects.create(worker_id="host:1", host="host", pid=1, beat_at=timezone.now())
    Job.objects.create(kind="jobs.selftest", label="a")
    Job.objects.create(kind="jobs.selftest", label="b")
    Job.objects.create(kind="jobs.selftest", label="c", state=Job.State.RUNNING)
    assert get(client) == (200, {"database": "ok", "migrations": "ok", "worker": "ok", "queue": 2})
    WorkerBeat.objects.filter(pk=beat.pk).update(beat_at=timezone.now() - dt.timedelta(seconds=61))
    assert get(client)[1]["worker"] == "stale"


def test_503_when_the_database_does_not_answer(client, monkeypatch):
    from django.db import OperationalError, connections

    def refuse():
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections["default"], "ensure_connection", refuse)
    monkeypatch.setattr(connections["default"], "close", lambda: None)
    code, body = health.status()
    assert code == 503 and body["database"] == "error"
    assert set(body) == {"database", "migrations", "worker", "queue"}


def test_503_when_migrations_are_missing(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    health._migrations_ok.clear()
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("jobs", "0002_future")])
    status, body = get(client)
    assert status == 503
    assert body["database"] == "ok" and body["migrations"] == "missing"


def test_one_log_line_per_request_with_user_status_and_time(client_for, caplog, settings):
    settings.ZHUANXING_LOG_JSON = False
    with caplog.at_level(logging.INFO, logger="zhuanxing.requests"):
        client_for("bureau").get("/jobs/")
    lines = [r.getMessage() for r in caplog.records if r.name == "zhuanxing.requests"]
    assert len(lines) == 1
    assert lines[0].startswith("GET /jobs/ 200 ") and "user=bureau" in lines[0] and "ms" in lines[0]


def test_the_log_line_is_json_when_asked(client, caplog, settings):
    settings.ZHUANXING_LOG_JSON = True
    with caplog.at_level(logging.INFO, logger="zhuanxing.requests"):
        client.get("/healthz")
    record = json.loads([r.getMessage() for r in caplog.records if r.name == "zhuanxing.requests"][0])
    assert record["path"] == "/healthz" and record["status"] == 200 and record["user"] == "-"
    assert isinstance(record["ms"], float)
