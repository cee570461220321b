"""Backup and restore round trip on the configured database: every table's row count and the
official figures' checksum come back as they were, and so do the uploaded files."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from tests.evaluation.fixtures import TEST_SCHEME
from zhuanxing.ops import backup


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_brings_back_every_row_and_file(
    industries, district, users, yearly_data, media, tmp_path
):
    from zhuanxing.evaluation import services
    from zhuanxing.registry.models import AnnualData, Enterprise

    services.run_create(actor=users["bureau"], year=2024, scheme_text=TEST_SCHEME)
    default_storage.save("objections/1/证明.pdf", ContentFile(b"%PDF-1.4 test"))
    counts, checksum = backup.table_counts(), backup.official_checksum()
    assert counts["registry_annualdata"] == 3 and counts["evaluation_evaluationresult"] == 2

    call_command("backup", str(tmp_path / "backup"))
    assert (tmp_path / "backup" / "manifest.json").is_file()

    # the day after: figures corrected, an enterprise added, the upload lost
    AnnualData.objects.filter(enterprise=district["bearings"]).update(tax=Decimal("1"))
    Enterprise.objects.create(
        uscc="91330211MA2999999X", name="新企业", town=district["luotuo"], industry_id="3451"
    )
    default_storage.delete("objections/1/证明.pdf")
    assert backup.official_checksum() != checksum

    call_command("restore", str(tmp_path / "backup"), yes=True)
    assert backup.table_counts() == counts
    assert backup.official_checksum() == checksum
    assert AnnualData.objects.get(enterprise=district["bearings"]).tax == Decimal("520")
    with default_storage.open("objections/1/证明.pdf") as handle:
        assert handle.read() == b"%PDF-1.4 test"


@pytest.mark.django_db
def test_backup_refuses_a_directory_that_is_not_empty(tmp_path, media):
    (tmp_path / "old.txt").write_text("x")
    with pytest.raises(CommandError, match="备份目录不是空的"):
        call_command("backup", str(tmp_path))
