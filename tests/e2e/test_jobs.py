"""Staff start an evaluation of a large year: the page becomes the job's progress box, the bar
moves while the worker stores the results, and the finished job opens the results."""

from __future__ import annotations

import re
import threading
import time

import pytest
from django.db import OperationalError, connection, connections

from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def large_year(users, settings):
    from zhuanxing.registry.demo import build_demo_registry

    build_demo_registry(enterprises=600, seed=3)
    settings.ZHUANXING_JOB_THRESHOLDS = settings.ZHUANXING_JOB_THRESHOLDS | {"evaluation_run": 100}


def slow_worker(monkeypatch):
    """A worker thread that takes the next job, stores its rows 50 at a time and pauses between
    chunks, so that a person (and the test) can watch the bar move; the beat writes every 0.3 s."""
    from zhuanxing.evaluation import adapters
    from zhuanxing.jobs import runner

    monkeypatch.setattr(adapters, "STORE_CHUNK", 50)
    monkeypatch.setattr(runner, "BEAT_SECONDS", 0.3)
    original = runner.Progress.__call__

    def paced(progress, **kwargs):
        original(progress, **kwargs)
        if kwargs.get("done"):
            time.sleep(0.25)

    monkeypatch.setattr(runner.Progress, "__call__", paced)

    def work():
        from zhuanxing.jobs.models import Job

        beat = runner.Beat(runner.worker_name())
        beat.start()
        try:
            for _ in range(200):
                try:
                    job = Job.objects.filter(state=Job.State.QUEUED).first()
                except OperationalError:  # the test database (shared-cache SQLite) is busy: look again
                    job = None
                if job is not None:
                    runner.execute(job.pk)
                    return
                time.sleep(0.1)
        finally:
            beat.stop()
            beat.join()
            connections.close_all()

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


def test_staff_watch_a_large_run_and_open_its_results(browse, large_year, monkeypatch):
    staff = browse()
    log_in(staff, "bureau", PASSWORD)
    staff.goto("/evaluation/new/")
    staff.select_option("select[name=year]", "2024")
    staff.select_option("select[name=scheme_id]", "zhenhai-2014")
    staff.click("button:has-text('开始评价')")
    staff.wait_for_selector(".job-progress")
    assert re.search(r"/jobs/\d+/$", staff.url)
    assert "2024年度亩均效益评价" in staff.inner_text(".job-title")
    assert staff.inner_text(".job-state") == "排队中"
    _screenshot(staff, "job-queued")

    worker = slow_worker(monkeypatch)
    seen = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not staff.query_selector("#job-open"):
        bar = staff.query_selector("progress.job-bar")
        if bar and bar.get_attribute("value") is not None:
            seen.add(int(bar.get_attribute("value")))
        time.sleep(0.2)
    worker.join(timeout=30)
    total = int(staff.get_attribute("progress.job-bar", "max"))
    assert staff.inner_text(".job-state") == "已完成"
    assert staff.get_attribute("progress.job-bar", "value") == str(total)
    if connection.vendor == "postgresql":
        # SQLite lets the beat write only between the job's transactions; PostgreSQL at any time
        assert any(0 < value < total for value in seen), seen
    _screenshot(staff, "job-done")
    staff.click("#job-open")
    staff.wait_for_selector("#run-state")
    assert re.search(r"/evaluation/runs/\d+/$", staff.url)
    assert "草稿" in staff.inner_text("#run-state")


def _screenshot(page, name: str) -> None:
    """With ZHUANXING_SCREENSHOTS=DIR, keep desktop and phone pictures of the page to look at."""
    import os

    folder = os.environ.get("ZHUANXING_SCREENSHOTS")
    if not folder:
        return
    for label, size in (
        ("desktop", {"width": 1366, "height": 768}),
        ("phone", {"width": 390, "height": 844}),
    ):
        page.set_viewport_size(size)
        page.screenshot(path=f"{folder}/{name}-{label}.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})
