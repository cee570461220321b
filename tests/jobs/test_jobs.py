"""Background jobs on the configured database: queued, running with progress, done, failed,
cancelled, and taken back from a worker that stopped beating."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.evaluation.fixtures import TEST_SCHEME
from zhuanxing.evaluation.models import EvaluationResult, EvaluationRun
from zhuanxing.jobs import runner, services
from zhuanxing.jobs.models import Job

pytestmark = pytest.mark.django_db


def start(users, **params):
    return services.job_start(actor=users["bureau"], kind="jobs.selftest", label="自检", params=params)


def test_a_started_job_is_queued_with_its_task(users):
    from django_tasks_db.models import DBTaskResult

    job = start(users, steps=3, delay=0)
    assert job.state == Job.State.QUEUED
    task = DBTaskResult.objects.get(pk=job.task_id)
    assert task.status == "READY"
    assert task.args_kwargs["args"] == [job.pk]


def test_the_worker_runs_a_queued_job_to_done_with_its_progress(users, monkeypatch):
    from django_tasks_db.management.commands import db_worker

    # Inside the test's transaction the worker must not recycle the connection as it does between jobs.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    job = start(users, steps=4, delay=0)
    call_command("worker", "--batch", "--no-startup-delay", verbosity=0)
    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert (job.done, job.total) == (4, 4)
    assert job.result["message"] == "自检完成：4 步"
    assert job.attempts == 1 and job.finished_at is not None


def test_progress_page_shows_stage_rows_and_estimate(users, client_for):
    job = start(users, steps=10)
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.RUNNING,
        stage="计数",
        done=2500,
        total=10000,
        started_at=now - dt.timedelta(seconds=10),
        progress_at=now,
        heartbeat_at=now,
    )
    client = client_for("bureau")
    html = client.get(reverse("jobs:job_status", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "计数" in html
    assert "2,500" in html and "10,000" in html and "25.0%" in html
    assert "约30秒" in html  # 10 s for a quarter: 30 s for the rest
    assert 'hx-trigger="every 1s"' in html


def test_a_failing_job_says_why_in_chinese(users, client_for):
    job = start(users, fail=True)
    assert runner.execute(job.pk) == Job.State.FAILED
    job.refresh_from_db()
    assert job.error == "自检任务按要求失败"
    html = client_for("bureau").get(reverse("jobs:job_status", args=[job.pk])).content.decode()
    assert "自检任务按要求失败" in html and "hx-trigger" not in html


def test_a_queued_job_cancelled_never_runs(users):
    job = start(users, steps=3, delay=0)
    services.job_cancel(actor=users["bureau"], job=job)
    assert runner.execute(job.pk) == "skipped"
    job.refresh_from_db()
    assert job.state == Job.State.CANCELLED and job.done == 0


def test_a_running_job_stops_at_its_next_check_when_cancelled(users, monkeypatch):
    job = start(users, steps=100, delay=0)
    calls = {"n": 0}
    original = runner.Progress.check

    def check(progress):
        calls["n"] += 1
        if calls["n"] == 3:
            Job.objects.filter(pk=job.pk).update(cancel_requested=True)
            progress.checked_at -= 5  # let it read the flag now
        original(progress)

    monkeypatch.setattr(runner.Progress, "check", check)
    assert runner.execute(job.pk) == Job.State.CANCELLED
    job.refresh_from_db()
    assert job.state == Job.State.CANCELLED and "没有写入任何数据" in job.error


def test_a_finished_job_cannot_be_cancelled(users):
    from django.core.exceptions import ValidationError

    job = start(users, steps=1, delay=0)
    runner.execute(job.pk)
    with pytest.raises(ValidationError, match="不能取消"):
        services.job_cancel(actor=users["bureau"], job=job)


def test_a_job_of_a_dead_worker_is_retried_then_failed(users, settings):
    from django_tasks_db.models import DBTaskResult

    settings.ZHUANXING_JOB_TIMEOUT = 60
    job = start(users, steps=2, delay=0)
    long_ago = timezone.now() - dt.timedelta(seconds=61)
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.RUNNING, attempts=1, heartbeat_at=long_ago, worker="x:1"
    )
    DBTaskResult.objects.filter(pk=job.task_id).update(status="RUNNING")
    first_task = job.task_id

    assert runner.reap() == [job.pk]
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED and "等待第2次尝试" in job.stage
    assert job.task_id != first_task
    assert DBTaskResult.objects.get(pk=first_task).status == "FAILED"
    assert DBTaskResult.objects.get(pk=job.task_id).status == "READY"

    # the second attempt dies too: no attempts left, the job fails (never stays "running")
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, attempts=2, heartbeat_at=long_ago)
    assert runner.reap() == [job.pk]
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert "已尝试2次" in job.error and "没有写入任何数据" in job.error


def test_a_beating_job_is_left_alone(users):
    job = start(users)
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, attempts=1, heartbeat_at=timezone.now())
    assert runner.reap() == []


def test_a_large_year_is_evaluated_by_a_job_that_opens_the_results(users, yearly_data, client_for, settings):
    settings.ZHUANXING_JOB_THRESHOLDS = settings.ZHUANXING_JOB_THRESHOLDS | {"evaluation_run": 1}
    client = client_for("bureau")
    upload = SimpleUploadedFile("方案.yaml", TEST_SCHEME.encode())
    response = client.post(
        reverse("evaluation:run_create"), {"year": 2024, "scheme_id": "zhenhai-2014", "scheme_file": upload}
    )
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:job_detail", args=[job.pk])
    assert job.kind == "evaluation.run" and job.total == 3
    assert not EvaluationRun.objects.exists()
    assert runner.execute(job.pk) == Job.State.DONE
    job.refresh_from_db()
    run = EvaluationRun.objects.get()
    assert job.result["url"] == reverse("evaluation:run_detail", args=[run.pk])
    assert run.results.count() == 2 and (job.done, job.total) == (2, 2)
    html = client.get(reverse("jobs:job_detail", args=[job.pk])).content.decode()
    assert "查看结果" in html and job.result["url"] in html


def test_a_job_whose_input_is_bad_fails_with_the_pages_error_and_writes_nothing(users):
    job = services.job_start(
        actor=users["bureau"],
        kind="evaluation.run",
        label="评价",
        params={"year": 2031, "scheme_text": TEST_SCHEME},
    )
    assert runner.execute(job.pk) == Job.State.FAILED
    job.refresh_from_db()
    assert "2031年度没有可评价的企业数据" in job.error
    assert not EvaluationRun.objects.exists() and not EvaluationResult.objects.exists()
