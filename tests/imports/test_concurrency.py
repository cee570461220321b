"""Two imports of the same year at once keep the history exact (issue 18 §1): real threads,
each on its own connection, against PostgreSQL's advisory lock on the year."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from tests.e2e.conftest import industries  # noqa: F401 (a fixture: transactional tests empty the tables)
from tests.imports.conftest import TAX_HEADER
from tests.imports.files import xlsx
from tests.programs.test_concurrency import race
from zhuanxing.imports.locks import lock_year
from zhuanxing.imports.services import batch_apply, batch_rollback
from zhuanxing.registry.models import AnnualData, AnnualDataChange, ImportBatch

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises whole writing transactions, so a race proves nothing",
    ),
]
NAMES = ("bearings", "chemicals", "fasteners", "garments")


def tax_file(tmp_path, name, district, tax):
    rows = [[district[n].uscc, "", tax + i, 10 + i] for i, n in enumerate(NAMES)]
    return xlsx(tmp_path / name, TAX_HEADER, rows)


def test_two_tax_files_for_one_year_at_once_keep_every_history_row(industries, tmp_path, district, users):  # noqa: F811
    first = tax_file(tmp_path, "first.xlsx", district, 100)
    batch_apply(actor=users["bureau"], source="tax", path=first, file_name="first.xlsx", year=2025)
    files = [tax_file(tmp_path, "a.xlsx", district, 200), tax_file(tmp_path, "b.xlsx", district, 300)]

    results = race(
        lambda i: batch_apply(
            actor=users["bureau"], source="tax", path=files[i], file_name=files[i].name, year=2025
        )[0],
        count=2,
    )
    assert all(isinstance(r, ImportBatch) for r in results), results
    base, *_ = ImportBatch.objects.filter(file_name="first.xlsx")
    earlier, later = sorted(results, key=lambda b: b.pk)
    earlier_tax = 200 if earlier.file_name == "a.xlsx" else 300
    later_tax = 500 - earlier_tax
    for i, name in enumerate(NAMES):
        row = AnnualData.objects.get(enterprise=district[name], year=2025)
        assert row.tax == Decimal(later_tax + i)
        assert row.sources == {"tax": later.pk, "social_insurance": base.pk}  # social insurance untouched
        # every change of each batch has its history row, old value = the value it replaced
        for batch, old, new in ((earlier, 100 + i, earlier_tax + i), (later, earlier_tax + i, later_tax + i)):
            change = AnnualDataChange.objects.get(batch=batch, annual_data=row, field="tax")
            assert (Decimal(change.old_value), Decimal(change.new_value)) == (Decimal(old), Decimal(new))
    assert AnnualDataChange.objects.filter(batch__in=results).count() == 2 * len(NAMES)

    batch_rollback(actor=users["bureau"], batch=later)
    for i, name in enumerate(NAMES):
        row = AnnualData.objects.get(enterprise=district[name], year=2025)
        assert row.tax == Decimal(earlier_tax + i)  # the earlier file's value, never NULL
        assert row.sources == {"tax": earlier.pk, "social_insurance": base.pk}


def test_an_import_waiting_too_long_is_refused_in_chinese(db):
    held, release = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                lock_year(2025)
                held.set()
                release.wait(10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(10)
    try:
        with (
            pytest.raises(ValidationError, match="另一批次正在导入 2025 年度数据，请稍后"),
            transaction.atomic(),
        ):
            lock_year(2025, wait=0.3)
        with transaction.atomic():
            lock_year(2024, wait=0)  # another year is free
    finally:
        release.set()
        holder.join()
