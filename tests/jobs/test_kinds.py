"""Each page that used to do long work inline starts a job above its size and keeps the small
case inline; the job does the same work and ends on the same page's result."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.evaluation.fixtures import TEST_SCHEME
from tests.imports.conftest import TAX_HEADER
from tests.imports.files import xlsx
from zhuanxing.jobs import runner
from zhuanxing.jobs.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def small_thresholds(settings):
    settings.ZHUANXING_JOB_THRESHOLDS = {key: 1 for key in settings.ZHUANXING_JOB_THRESHOLDS}


def test_a_large_import_is_applied_by_a_job_all_or_nothing(tmp_path, client_for, district, small_thresholds):
    from zhuanxing.registry.models import AnnualData, ImportBatch

    client = client_for("bureau")
    rows = [[district["bearings"].uscc, "", 1500, 120], [district["chemicals"].uscc, "", 300, 40]]
    path = xlsx(tmp_path / "税务.xlsx", TAX_HEADER, rows)
    data = {"source": "tax", "year": 2024, "file": SimpleUploadedFile(path.name, path.read_bytes())}
    preview_url = client.post(reverse("imports:home"), data)["Location"]
    assert "检查通过" in client.get(preview_url).content.decode()
    response = client.post(preview_url)
    job = Job.objects.get(kind="imports.apply")
    assert response["Location"] == reverse("jobs:job_detail", args=[job.pk])
    assert not AnnualData.objects.exists()
    assert runner.execute(job.pk) == Job.State.DONE
    job.refresh_from_db()
    batch = ImportBatch.objects.get()
    assert job.result["url"] == reverse("imports:batch_detail", args=[batch.pk])
    assert AnnualData.objects.get(enterprise=district["bearings"]).tax == Decimal("1500")


def test_a_large_export_is_written_by_a_job_and_downloaded(client_for, district, small_thresholds):
    import io

    import polars as pl

    client = client_for("bureau")
    page = client.get(reverse("registry:enterprise_list"), {"format": "xlsx", "town": "luotuo"})
    assert "开始导出" in page.content.decode()
    response = client.post(reverse("registry:enterprise_list"), {"format": "xlsx", "town": "luotuo"})
    job = Job.objects.get(kind="registry.export")
    assert response["Location"] == reverse("jobs:job_detail", args=[job.pk])
    assert runner.execute(job.pk) == Job.State.DONE
    download = client.get(reverse("jobs:job_download", args=[job.pk]))
    assert download.status_code == 200
    sheet = pl.read_excel(io.BytesIO(b"".join(download.streaming_content)))
    assert sorted(sheet["企业名称"].to_list()) == sorted(["宁波恒达轴承有限公司", "宁波骆驼紧固件厂"])
    # another staff member may download it, nobody else
    assert client_for("town").get(reverse("jobs:job_download", args=[job.pk])).status_code == 404


def test_a_small_export_still_downloads_at_once(client_for, district):
    response = client_for("bureau").get(reverse("registry:enterprise_list"), {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not Job.objects.exists()


def test_report_cards_of_one_town_are_zipped_by_a_job(client_for, users, yearly_data, small_thresholds):
    import zipfile

    from zhuanxing.evaluation import services

    run = services.run_create(actor=users["bureau"], year=2024, scheme_text=TEST_SCHEME)
    client = client_for("bureau")
    url = reverse("evaluation:report_cards_zip", args=[run.pk])
    assert "开始打包" in client.get(url).content.decode()
    from zhuanxing.registry.models import Town

    luotuo = Town.objects.get(code="luotuo")
    client.post(url, {"town": luotuo.pk})
    job = Job.objects.get(kind="evaluation.report_cards")
    assert job.params == {"run_id": run.pk, "town_id": luotuo.pk} and "骆驼街道" in job.label
    assert runner.execute(job.pk) == Job.State.DONE
    job.refresh_from_db()
    download = client.get(reverse("jobs:job_download", args=[job.pk]))
    with zipfile.ZipFile(__import__("io").BytesIO(b"".join(download.streaming_content))) as archive:
        names = archive.namelist()
    luotuo_results = run.results.filter(enterprise__town=luotuo)
    assert names == [f"2024-{r.enterprise.uscc}.pdf" for r in luotuo_results]
    assert job.result["message"] == f"已生成 {len(names)} 份评价报告"


def test_the_automatic_scan_of_a_large_district_is_a_job(client_for, district, small_thresholds):
    response = client_for("bureau").post(reverse("programs:automatic_scan"))
    job = Job.objects.get(kind="programs.automatic")
    assert response["Location"] == reverse("jobs:job_detail", args=[job.pk])
    assert runner.execute(job.pk) == Job.State.DONE
    job.refresh_from_db()
    assert job.result["message"].startswith("已生成 0 条免申即享建议")


def test_reindex_is_a_job(client_for, users):
    from zhuanxing.techmarket.models import Expert

    Expert.objects.create(
        name="周明", title="教授", fields=["装备制造"], keywords="伺服电机", directions="控制"
    )
    response = client_for("bureau").post(reverse("techmarket:reindex"))
    job = Job.objects.get(kind="techmarket.reindex")
    assert response["Location"] == reverse("jobs:job_detail", args=[job.pk])
    assert runner.execute(job.pk) == Job.State.DONE
    job.refresh_from_db()
    assert "索引已重建：1 个文档" in job.result["message"]
