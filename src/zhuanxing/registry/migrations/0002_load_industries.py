"""Load GB/T 4754-2017 (with amendment No. 1) from the project's data file."""

from django.db import migrations

from zhuanxing.registry.industries import load_industry_table


def load_industries(apps, schema_editor):
    load_industry_table(apps.get_model("registry", "Industry"))


def unload_industries(apps, schema_editor):
    apps.get_model("registry", "Industry").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load_industries, unload_industries)]
