"""Load GB/T 4754-2017 (with amendment No. 1) from the project's data file."""

import csv
from pathlib import Path

from django.db import migrations

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "gbt4754-2017.csv"


def load_industries(apps, schema_editor):
    Industry = apps.get_model("registry", "Industry")
    with DATA_FILE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    # Parents come before children in the file, so one pass with bulk_create in order works.
    Industry.objects.bulk_create(
        [Industry(code=r["code"], level=r["level"], name=r["name"], parent_id=r["parent"] or None) for r in rows],
        batch_size=500,
    )


def unload_industries(apps, schema_editor):
    apps.get_model("registry", "Industry").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load_industries, unload_industries)]
