"""Reads for the import pages."""

from __future__ import annotations

from django.db.models import QuerySet

from zhuanxing.params import year_param
from zhuanxing.registry.models import AnnualDataChange, ImportBatch


def batch_list(*, source: str = "", year: str = "") -> QuerySet:
    batches = ImportBatch.objects.exclude(source=ImportBatch.Source.DEMO).select_related("created_by")
    if source:
        batches = batches.filter(source=source)
    if (number := year_param(year)) is not None:
        batches = batches.filter(year=number)
    return batches.order_by("-created_at", "-id")


def batch_changes(batch: ImportBatch) -> QuerySet:
    """The revisions the batch made (first values are on the enterprise pages via their source)."""
    return (
        AnnualDataChange.objects.filter(batch=batch)
        .select_related("annual_data__enterprise", "old_batch")
        .order_by("annual_data__enterprise__name", "field")
    )


def batch_rows(batch: ImportBatch) -> list[list]:
    """The batch list as an export's rows."""
    return [
        batch.pk,
        batch.get_source_display(),
        batch.year,
        batch.file_name,
        batch.created_by.display_name if batch.created_by else batch.note,
        batch.created_at,
        batch.get_state_display(),
        batch.summary.get("new", 0),
        batch.summary.get("changed", 0),
        batch.summary.get("unchanged", 0),
    ]
