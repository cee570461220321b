"""The evaluation's background jobs: a run of a large year, the zip of report cards."""

from __future__ import annotations

import tempfile

from django.core.files import File
from django.core.files.storage import default_storage
from django.urls import reverse

from zhuanxing.evaluation import services


def run_job(*, job, progress) -> dict:
    params = job.params
    run = services.run_create(
        actor=job.created_by,
        year=int(params["year"]),
        scheme_id=params.get("scheme_id", ""),
        scheme_text=params.get("scheme_text", ""),
        note=params.get("note", ""),
        progress=progress,
    )
    return {
        "url": reverse("evaluation:run_detail", kwargs={"run_id": run.pk}),
        "run_id": run.pk,
        "message": f"评价完成：{run.summary.get('evaluated', 0):,} 家企业",
    }


def report_cards_job(*, job, progress) -> dict:
    """One zip of every report card of the run (or of one town's enterprises), kept through the
    storage API; the PDFs are drawn by both cores (``report_cards.write_zip``)."""
    from zhuanxing.evaluation import report_cards
    from zhuanxing.evaluation.models import EvaluationRun

    run = EvaluationRun.objects.get(pk=job.params["run_id"])
    town_id = job.params.get("town_id")
    with tempfile.TemporaryFile() as handle:
        count = report_cards.write_zip(run, handle, town_id=town_id, progress=progress)
        handle.seek(0)
        filename = report_cards.zip_name(run, town_id)
        name = default_storage.save(f"jobs/{job.pk}/{filename}", File(handle, name=filename))
    return {"file": name, "filename": filename, "message": f"已生成 {count:,} 份评价报告"}
