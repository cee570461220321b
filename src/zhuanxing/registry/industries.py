"""Loading GB/T 4754-2017 (with amendment No. 1) from the project's data file."""

from __future__ import annotations

import csv
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "gbt4754-2017.csv"


def load_industry_table(industry_model) -> int:
    """Fill an empty Industry table (real or migration-historical model); returns rows added."""
    if industry_model.objects.exists():
        return 0
    with DATA_FILE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    # Parents come before children in the file, so inserting in file order satisfies the FK.
    industry_model.objects.bulk_create(
        [
            industry_model(code=r["code"], level=r["level"], name=r["name"], parent_id=r["parent"] or None)
            for r in rows
        ],
        batch_size=500,
    )
    return len(rows)
